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
        "Payslips",
        "Help",
    ],
    "finance": [
        "Orders",
        "Production",
        "Pay",
        "Family remittances",
        "Ledger",
        "Trial balance",
        "Workers' accounts",
        "Payslips",
        "Purchases",
        "General-ledger export",
        "Reports",
        "Help",
    ],
    "finance2": [
        "Orders",
        "Production",
        "Pay",
        "Family remittances",
        "Ledger",
        "Trial balance",
        "Workers' accounts",
        "Payslips",
        "Purchases",
        "General-ledger export",
        "Reports",
        "Help",
    ],
    "auditor": [
        "Orders",
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Work programme",
        "Pay",
        "Family remittances",
        "Ledger",
        "Trial balance",
        "Verify the ledger",
        "Workers' accounts",
        "Payslips",
        "Purchases",
        "General-ledger export",
        "Compliance",
        "Reports",
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
        "Family remittances",
        "Compliance",
        "Reports",
        "Help",
    ],
    "editor": ["Pages", "Images", "Documents", "Reports", "Settings", "Help"],
    "fulfilment": ["Orders", "Stock", "Stock records", "Reports", "Help"],
    "admin": [
        "Pages",
        "Orders",
        "Daily production",
        "Record training",
        "Stock",
        "Production",
        "Stock records",
        "Training",
        "Work programme",
        "Pay",
        "Family remittances",
        "Ledger",
        "Shop",
        "Trial balance",
        "Verify the ledger",
        "Workers' accounts",
        "Payslips",
        "Purchases",
        "General-ledger export",
        "Images",
        "Documents",
        "Compliance",
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
    # the story, among the shop's upholstered products
    expect(results).to_contain_text(["The chair that came back"])
    results.get_by_role("link", name="The chair that came back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The chair that came back")


def test_keyboard_user_skips_to_the_content(page, demo):
    page.goto(demo + "/en/stories/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


# What each role's dashboard says waits first, and the title of the page its first link opens.
FIRST_WAITING = {
    "supervisor": ("Days with no production recorded", re.compile(r"^Jebel Qantar .* · \w+ \d")),
    "finance": ("Runs you calculated, waiting for another officer", re.compile(r"^Inspect: PR-")),
    "finance2": ("Pay runs waiting for your approval", re.compile(r"^Inspect: PR-")),
    "auditor": ("Ledger verification", re.compile(r"^Verify the ledger")),
    "programme": ("Ready for a certificate", re.compile(r"^New: Certificate")),
}


def test_each_demo_role_signs_in_sees_only_its_menu_and_finds_its_waiting_work(chromium, demo):
    seen, waiting = {}, {}
    for username in MENUS:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        admin_login(page, demo, username, DEMO_PASSWORD)
        seen[username] = admin_menu_labels(page)
        if username in FIRST_WAITING:
            title, heading = FIRST_WAITING[username]
            panel = page.locator(".bridgework-waiting").first
            first = panel.locator("h3").filter(has_text=re.compile(r"\d$")).first
            expect(first).to_contain_text(title)
            panel.get_by_role("link").first.click()
            expect(page).to_have_title(heading)
            waiting[username] = page.url.removeprefix(demo)
        else:
            expect(page.locator(".bridgework-waiting")).to_have_count(
                0 if username in ("editor", "fulfilment") else 3
            )
        context.close()

    assert seen == MENUS
    assert sorted(waiting) == sorted(FIRST_WAITING)


def test_wrong_password_is_refused(page, demo):
    page.goto(demo + "/admin/login/")
    page.get_by_label("Username").fill("finance")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Your username and password didn't match")).to_be_visible()
    expect(page).to_have_url(demo + "/admin/login/")
