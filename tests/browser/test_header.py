"""The public header in a real browser: on a phone it folds into a menu button so the page's
content starts in the first screen; in French on a 1366 px screen it fits on one line."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_menu_folds_behind_a_button_and_content_starts_in_the_first_screen(
    chromium, demo
):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    page.goto(demo + "/ar/")

    button = page.get_by_role("button", name="القائمة")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="القائمة الرئيسية")).to_be_hidden()
    heading_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert heading_top < 844 / 3, heading_top

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    menu = page.get_by_role("navigation", name="القائمة الرئيسية")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link")).to_have_count(6)  # five brand pages and the shop
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    context.close()


def test_in_french_the_header_fits_on_one_line_at_1366_px(chromium, demo):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="fr")
    page = context.new_page()
    page.goto(demo + "/fr/")

    expect(page.locator(".menu-toggle")).to_be_hidden()
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (".brand-mark", ".main-nav li:last-child a", ".site-search button")
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 8, middles
    assert page.locator(".site-header").bounding_box()["height"] < 100
    context.close()
