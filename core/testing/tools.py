"""Tests that need a tool a newcomer may lack (Chromium, pdftoppm) skip with a visible reason;
CI sets ``BRIDGEWORK_REQUIRE_TOOLS=1`` and the same test fails instead, so a green CI run has
really exercised them."""

import os
import shutil

import pytest

REQUIRE_TOOLS_ENV = "BRIDGEWORK_REQUIRE_TOOLS"

INSTALL_HINTS = {
    "chromium": "apt-get install chromium",
    "pdftoppm": "apt-get install poppler-utils",
    "pdftotext": "apt-get install poppler-utils",
}


def tools_required() -> bool:
    return os.environ.get(REQUIRE_TOOLS_ENV, "").lower() in {"1", "yes", "true"}


def missing_tool(name: str, reason: str = "") -> None:
    """Skip the current test because ``name`` is missing, or fail when CI requires the tools."""
    hint = INSTALL_HINTS.get(name, "")
    message = (
        f"{name} is not installed"
        + (f" ({hint})" if hint else "")
        + (f": {reason}" if reason else "")
    )
    if tools_required():
        pytest.fail(f"{message}; {REQUIRE_TOOLS_ENV} is set, so this is a failure, not a skip.")
    pytest.skip(message)


def require_executable(name: str, path: str | None = None) -> str:
    """The executable's path, or skip/fail the test as ``missing_tool`` says."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if not found:
        missing_tool(name)
    return found
