"""The shop against WCAG 2.2 AA with axe-core (the options of ``test_accessibility``), in each
language and at desktop and phone widths: the listing, a category, a product page, the cart with
a product in it, the checkout (as it opens, and once more after a submit with errors) and the
confirmation. Each screen is kept as a screenshot (``BRIDGEWORK_SCREENSHOTS``, else /tmp/shots)
for a person to look at."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from catalogue.models import ShippingRate
from tests.browser.shop_pages import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    TIMEOUT,
    add_to_cart,
    category_of,
    path_of,
    shop_in,
    two_products,
    words,
)
from tests.browser.test_accessibility import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", "/tmp/shots"))  # noqa: S108
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def checked(page, found: dict, name: str, language: str, width: str) -> None:
    """Read the screen as axe does, check that nothing makes it scroll sideways (WCAG 1.4.10),
    and keep a picture of it with every image loaded (a lazy one below the fold too)."""
    page.evaluate("() => document.fonts.ready")
    found[name] = violations(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found[name].append(f"the page scrolls sideways by {overflow}px")
    page.evaluate(
        """() => Promise.all([...document.images].map(image => {
            image.loading = "eager";
            return image.complete ? null : new Promise(done => { image.onload = image.onerror = done; });
        }))"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shop_meets_wcag_22_aa(chromium, demo, language, width):
    (product, variant), _second = two_products(language)
    context = chromium.new_context(
        viewport=WIDTHS[width], is_mobile=width == "phone", has_touch=width == "phone"
    )
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    found = {}

    page.goto(demo + path_of(shop_in(language)))
    checked(page, found, "listing", language, width)
    page.goto(demo + path_of(category_of(product)))
    checked(page, found, "category", language, width)
    page.goto(demo + path_of(product))
    checked(page, found, "product", language, width)
    add_to_cart(page, demo, product, variant)
    checked(page, found, "cart", language, width)

    (check_out, place) = words(language, "Check out", "Place order")
    page.get_by_role("link", name=check_out).click()
    expect(page.get_by_role("button", name=place)).to_be_visible()
    checked(page, found, "checkout", language, width)
    page.get_by_role("button", name=place).click()
    expect(page.locator(".error-summary")).to_be_focused()
    checked(page, found, "checkout-errors", language, width)

    email, name, country = words(language, "E-mail", "Full name", "Country")
    page.get_by_label(email, exact=True).fill("buyer@example.org")
    page.get_by_label(name, exact=True).fill("Sam Buyer")
    page.get_by_label(country, exact=True).select_option("FR")
    collection = ShippingRate.objects.get(kind=ShippingRate.Kind.COLLECTION)
    page.locator(f'input[name="shipping"][value="{collection.pk}"]').check()  # no address
    page.get_by_role("button", name=place).click()
    expect(page.locator(".payment-instructions")).to_be_visible()
    checked(page, found, "confirmation", language, width)
    context.close()

    assert {screen: v for screen, v in found.items() if v} == {}
