"""The shop's pages behind the full-page cache: publishing a product, changing its price and a
stock change that alters what its page shows each empty the cache; a stock change the page does
not show leaves it (``catalogue.products.freshness``)."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from djmoney.money import Money

from catalogue.models import ProductPage
from catalogue.products.freshness import shown
from tests.catalogue.builders import build_product, build_sku, stock
from workshops.inventory import count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def mug(shop, committed):
    sku = build_sku(shop.world.workshop, "MUG")
    committed(lambda: stock(shop.world, sku, 10, key="mug-1"))
    page = committed(
        lambda: build_product(
            shop.bags, "Mug", tax_class=shop.tax_class, variants=[(sku, "12.00", "White")]
        )
    )
    return page, sku


def visit(page) -> tuple[str, str, str]:
    """(X-Cache, the variant's price, its stock words) of an anonymous visit."""
    response = Client().get(page.url)
    document = BeautifulSoup(response.content, "html.parser")
    price = document.select_one(".offer .offer__price").get_text(" ", strip=True)
    state = document.select_one(".offer .stock").get_text(" ", strip=True)
    return response["X-Cache"], price, state


def test_the_page_shows_a_state_not_a_count_above_five():
    assert [shown(n) for n in (0, -1, 1, 5, 6, 300)] == [
        "sold out",
        "sold out",
        1,
        5,
        "in stock",
        "in stock",
    ]


def test_a_stock_change_the_page_shows_empties_the_cache_and_one_it_does_not_keeps_it(
    mug, committed
):
    page, sku = mug
    assert visit(page) == ("miss", "€12.00", "In stock")
    assert visit(page)[0] == "hit"
    committed(lambda: count(sku, 9, key="c-1", reason="one broke"))  # 10 → 9: still in stock
    assert visit(page) == ("hit", "€12.00", "In stock")
    committed(lambda: count(sku, 4, key="c-2", reason="more broke"))  # 9 → 4: "only 4 left"
    assert visit(page) == ("miss", "€12.00", "Only 4 left")
    committed(lambda: count(sku, 0, key="c-3", reason="all broke"))
    assert visit(page) == ("miss", "€12.00", "Sold out")


def test_publishing_a_new_price_empties_the_cache(mug, committed):
    page, _sku = mug
    assert visit(page)[0] == "miss" and visit(page)[0] == "hit"
    page = ProductPage.objects.get(pk=page.pk)
    variant = page.variants.get()
    variant.price = Money("13.50", "EUR")
    page.variants = [variant]
    committed(lambda: page.save_revision().publish())
    assert visit(page) == ("miss", "€13.50", "In stock")


def test_publishing_a_new_product_refreshes_its_listing(shop, mug, committed):
    listing = Client().get(shop.bags.url)
    assert listing["X-Cache"] == "miss" and Client().get(shop.bags.url)["X-Cache"] == "hit"
    sku = build_sku(shop.world.workshop, "JUG")
    jug = build_product(
        shop.bags, "Jug", tax_class=shop.tax_class, variants=[(sku, "20.00", "Blue")], live=False
    )
    committed(lambda: jug.save_revision().publish())  # as an editor publishes it
    again = Client().get(shop.bags.url)
    assert again["X-Cache"] == "miss" and "Jug" in again.content.decode()


def with_a_cart(client: Client) -> Client:
    """``client`` with a session (an empty cart): the page cache never serves it."""
    session = client.session
    session["cart"] = {}
    session.save()
    return client


def cold_visit(page) -> tuple[str, str]:
    """(the variant's price, its stock words) as a visitor with a cart gets them: never from the
    page cache, the page's main part from what is kept per generation (core.page_cache)."""
    response = with_a_cart(Client()).get(page.url)
    assert "X-Cache" not in response
    document = BeautifulSoup(response.content, "html.parser")
    price = document.select_one(".offer .offer__price").get_text(" ", strip=True)
    state = document.select_one(".offer .stock").get_text(" ", strip=True)
    return price, state


def test_a_visitor_with_a_cart_sees_each_change_the_page_shows_at_once(mug, committed):
    page, sku = mug
    assert cold_visit(page) == cold_visit(page) == ("€12.00", "In stock")

    committed(lambda: count(sku, 3, key="c-1", reason="seven broke"))
    assert cold_visit(page) == ("€12.00", "Only 3 left")

    page = ProductPage.objects.get(pk=page.pk)
    variant = page.variants.get()
    variant.price = Money("13.50", "EUR")
    page.variants = [variant]
    committed(lambda: page.save_revision().publish())
    assert cold_visit(page) == ("€13.50", "Only 3 left")


def test_an_editors_preview_shows_the_draft_and_leaves_the_public_page_as_published(mug):
    """Wagtail previews a draft under the page's own id, at the site's host: what the public
    got first must not show in the preview, nor the draft to the public after it."""
    page, _sku = mug
    host = urlsplit(page.full_url).hostname
    public, with_cart = Client(HTTP_HOST=host), with_a_cart(Client(HTTP_HOST=host))
    assert public.get(page.url)["X-Cache"] == "miss" and with_cart.get(page.url).status_code == 200
    draft = ProductPage.objects.get(pk=page.pk)
    draft.summary = "A draft nobody has published."
    draft.description = "<p>Draft words.</p>"

    preview = draft.make_preview_request().content.decode()

    assert "A draft nobody has published." in preview
    assert "Draft words." in preview
    for response in (public.get(page.url), with_cart.get(page.url)):
        shown = response.content.decode()
        assert "Draft words." not in shown and "A draft nobody has published." not in shown
        assert page.summary in shown
