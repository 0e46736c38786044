"""Playwright driving Debian's Chromium, for the browser tests of every app.

``launch_chromium`` starts the system Chromium (never a downloaded build) headless with the
flags this network needs; ``admin_login`` signs a staff user in to the Wagtail admin the way a
person does. The security issue's second factor is passed here too once it exists, so every
browser test keeps a single way in.
"""

import os

from core.testing.tools import missing_tool

CHROMIUM = os.environ.get("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


def launch_chromium(playwright):
    if not os.access(CHROMIUM, os.X_OK):
        missing_tool("chromium", f"no executable at {CHROMIUM}")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def admin_login(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the Wagtail login form and wait for the admin dashboard."""
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/admin/")


def admin_menu_labels(page) -> list[str]:
    """The labels of the admin sidebar's main menu, as a person sees them."""
    items = page.locator("nav[aria-label='Main menu'] .sidebar-main-menu__list > li")
    items.first.wait_for()
    return [text.strip().split("\n")[0] for text in items.all_inner_texts()]
