"""The foundation's journeys in a real browser: a visitor reads a story and searches; each demo
role signs in to the back office and sees only its menu."""

import re

import pytest
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from core.testing.browser import admin_login, admin_menu_labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENUS = {
    "supervisor": [
        "Daily production",
        "Record training",
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Help",
    ],
    "finance": ["Production", "Pay", "Ledger", "Trial balance", "Help"],
    "finance2": ["Production", "Pay", "Ledger", "Trial balance", "Help"],
    "auditor": [
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Work programme",
        "Pay",
        "Ledger",
        "Trial balance",
        "Verify the ledger",
        "Help",
    ],
    "programme": [
        "Daily production",
        "Record training",
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Work programme",
        "Reports",
        "Help",
    ],
    "editor": ["Pages", "Images", "Documents", "Reports", "Settings", "Help"],
    "fulfilment": ["Stock", "Stock records", "Help"],
    "admin": [
        "Pages",
        "Daily production",
        "Record training",
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Work programme",
        "Pay",
        "Ledger",
        "Trial balance",
        "Verify the ledger",
        "Images",
        "Documents",
        "Reports",
        "Settings",
        "Help",
    ],
}


def test_visitor_reads_a_story_and_searches(page, demo):
    page.goto(demo + "/")  # the browser asks for English: redirected to /en/
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Made with skill. Paid fairly. Proven by the records."
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    expect(page).to_have_url(demo + "/en/stories/")
    page.get_by_role("link", name="Green in the desert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Green in the desert")
    expect(page.get_by_text("Told by Nadia")).to_be_visible()

    page.get_by_role("searchbox", name="Search the site").first.fill("upholstery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=upholstery$"))
    results = page.locator(".search-results h2")
    expect(results).to_have_text(["The chair that came back"])
    results.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The chair that came back")


def test_keyboard_user_skips_to_the_content(page, demo):
    page.goto(demo + "/en/stories/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_each_demo_role_signs_in_and_sees_only_its_menu(chromium, demo):
    seen = {}
    for username in MENUS:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        admin_login(page, demo, username, DEMO_PASSWORD)
        seen[username] = admin_menu_labels(page)
        context.close()

    assert seen == MENUS


def test_wrong_password_is_refused(page, demo):
    page.goto(demo + "/admin/login/")
    page.get_by_label("Username").fill("finance")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Your username and password didn't match")).to_be_visible()
    expect(page).to_have_url(demo + "/admin/login/")
