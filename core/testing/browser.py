"""Playwright driving Debian's Chromium, for the browser tests of every app.

``launch_chromium`` starts the system Chromium (never a downloaded build) headless with the
flags this network needs; ``admin_login`` signs a staff user in to the Wagtail admin the way a
person does, second factor included (enrolling at the first login when the role requires it), so
every browser test keeps a single way in.
"""

import base64
import os
import re

from django_otp.oath import totp

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
    """Sign in through the Wagtail login form, pass the second factor as an authenticator app
    would (reading the key from the enrolment page, or from the user's device), and wait for the
    admin dashboard."""
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(f"^{re.escape(base_url)}/admin/(2fa/(setup|verify)/.*)?$"))
    if "/admin/2fa/setup/" in page.url:
        key = base64.b32decode(page.locator("[data-secret]").first.get_attribute("data-secret"))
        page.get_by_label("Code").first.fill(current_code(key))
        page.get_by_role("button", name="Turn on two-factor sign-in").first.click()
        page.get_by_role("link", name="I have kept them: continue").first.click()
    elif "/admin/2fa/verify/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Code").first.fill(current_code(device.bin_key))
        page.get_by_role("button", name="Continue").first.click()
    page.wait_for_url(f"{base_url}/admin/")


def current_code(key: bytes) -> str:
    """The six digits an authenticator app shows now for ``key`` (RFC 6238, 30 s steps)."""
    return f"{totp(key, step=30, digits=6):06d}"


def admin_menu_labels(page) -> list[str]:
    """The labels of the admin sidebar's main menu, as a person sees them."""
    items = page.locator("nav[aria-label='Main menu'] .sidebar-main-menu__list > li")
    items.first.wait_for()
    return [text.strip().split("\n")[0] for text in items.all_inner_texts()]


def settled(page) -> None:
    """Wait for the page's running animations (a message fading in) to finish, so an
    accessibility check reads the colours as a person sees them."""
    # An animation cancelled meanwhile (a drop-down closing) counts as finished.
    page.evaluate(
        "() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
    )
