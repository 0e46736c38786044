"""Shared fixtures, and the rules of the test run.

- Tests marked ``postgres`` run only when DATABASE_URL points at PostgreSQL; otherwise they are
  deselected and the run says so in its summary.
- Browser tests skip with a visible reason where Chromium is missing; CI sets
  BRIDGEWORK_REQUIRE_TOOLS=1, which turns that skip into a failure.
"""

import os

import pytest
from django.conf import settings

from core.testing.browser import launch_chromium

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls while one
# runs unless told that this is deliberate. The tests hold no async code of their own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_deselected_postgres = []


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    keep = []
    for item in items:
        (_deselected_postgres if item.get_closest_marker("postgres") else keep).append(item)
    if _deselected_postgres:
        config.hook.pytest_deselected(items=_deselected_postgres)
        items[:] = keep


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"bridgework: database {engine}; BRIDGEWORK_REQUIRE_TOOLS={os.environ.get('BRIDGEWORK_REQUIRE_TOOLS', '')!r}"


def pytest_terminal_summary(terminalreporter):
    if _deselected_postgres:
        terminalreporter.write_line(
            f"bridgework: {len(_deselected_postgres)} PostgreSQL test(s) deselected because "
            "DATABASE_URL does not point at PostgreSQL "
            "(set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them).",
            yellow=True,
        )


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _register_hypothesis_profiles():
    """CI runs a fixed, derandomised profile so a run is repeatable and its time bounded."""
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
    hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_register_hypothesis_profiles()
