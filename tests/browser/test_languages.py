"""Languages in a real browser: a visitor switches language across the home page, a story and the
search, and the Arabic pages are mirrored (right-to-left)."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from brand.demo.translations import TRANSLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FR, AR = TRANSLATIONS["fr"], TRANSLATIONS["ar"]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
HERO = "Made with skill. Paid fairly. Proven by the records."


def switch_to(page, language_name):
    page.get_by_role("navigation", name=re.compile("Language|Langue|اللغة")).get_by_role(
        "link", name=re.compile(f"^{language_name}")
    ).click()


def test_visitor_switches_language_on_the_home_page_a_story_and_the_search(page, demo):
    page.goto(demo + "/en/")
    switch_to(page, "français")
    expect(page).to_have_url(demo + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(FR[HERO])

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Histoires"
    ).click()
    expect(page).to_have_url(demo + "/fr/histoires/")
    page.get_by_role("link", name=FR["Bread at four in the morning"]).click()
    expect(page).to_have_url(demo + "/fr/histoires/le-pain-a-quatre-heures/")
    expect(page.locator("main time")).to_have_text("14 septembre 2026")

    switch_to(page, "English")
    expect(page).to_have_url(demo + "/en/stories/bread-at-four/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bread at four in the morning")
    expect(page.locator("main time")).to_have_text("September 14, 2026")

    switch_to(page, "العربيّة")
    expect(page).to_have_url(demo + "/ar/stories/bread-at-four/")
    expect(page.get_by_role("heading", level=1)).to_have_text(AR["Bread at four in the morning"])

    page.get_by_role("searchbox").fill("الخبز")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ar/search/\?q="))
    expect(page.locator(".search-results h2")).to_have_text([AR["Bread at four in the morning"]])

    switch_to(page, "français")
    expect(page).to_have_url(re.compile(r"/fr/search/\?q="))
    expect(page.locator("#search-page-q")).to_have_value("الخبز")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_an_untranslated_story_leads_to_the_translated_index(page, demo):
    page.goto(demo + "/en/stories/the-printers-apprentice/")  # an older story, English only

    switch_to(page, "français")

    expect(page).to_have_url(demo + "/fr/histoires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Histoires")


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def first_line(page, selector):
    """The box of the first line of text in ``selector``: where the reading starts."""
    return page.evaluate(
        """selector => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector(selector));
            const line = range.getClientRects()[0];
            return {x: line.x, width: line.width};
        }""",
        selector,
    )


def test_arabic_pages_are_mirrored(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo + "/en/")
    english = {name: box(page, sel) for name, sel in LANDMARKS.items()}
    english["hero_line"] = first_line(page, ".hero h1")
    page.goto(demo + "/ar/")
    arabic = {name: box(page, sel) for name, sel in LANDMARKS.items()}
    arabic["hero_line"] = first_line(page, ".hero h1")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Left to right: the brand mark starts the header on the left and search follows it.
    assert english["brand"]["x"] < english["nav"]["x"] < english["search"]["x"]
    # Right to left: the same order from the right edge.
    right = {name: b["x"] + b["width"] for name, b in arabic.items()}
    assert right["brand"] > right["nav"] > right["search"]
    assert right["brand"] > 1280 / 2 > arabic["search"]["x"]
    # The hero's text column and picture swap sides.
    assert english["hero_text"]["x"] < english["hero_media"]["x"]
    assert arabic["hero_text"]["x"] > arabic["hero_media"]["x"]
    # The heading's first line starts at the column's right edge, as the English one at the left.
    assert abs(right["hero_line"] - right["hero_text"]) <= 1
    assert abs(english["hero_line"]["x"] - english["hero_text"]["x"]) <= 1
    # The skip link is still first in the tab order.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="الانتقال إلى المحتوى الرئيسي")).to_be_focused()
    page.screenshot(path=str(SCREENSHOTS / "home-ar.png"))


LANDMARKS = {
    "brand": ".brand-mark",
    "nav": ".main-nav",
    "search": ".site-search",
    "hero_text": ".hero__text",
    "hero_media": ".hero__media",
}
