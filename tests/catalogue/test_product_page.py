"""A product's page: its variants with price, stock state and a form to add each to the cart,
in the visitor's language; its head for search engines and link previews; and a fixed number of
queries however many variants, batches and records lie behind it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.catalogue.builders import build_product, build_sku, stock, translate_page
from workshops.inventory import reserve
from workshops.models import Reservation

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def texts(document, selector):
    return [element.get_text(" ", strip=True) for element in document.select(selector)]


@pytest.fixture
def tote(shop):
    """A tote bag in four colours: 10 blue, 3 red, none green, and yellow off sale."""
    world = shop.world
    skus = [build_sku(world.workshop, f"TOTE-{colour}") for colour in ("B", "R", "G", "Y")]
    stock(world, skus[0], 10, key="tote-b")
    stock(world, skus[1], 3, key="tote-r")
    stock(world, skus[3], 8, key="tote-y")
    return build_product(
        shop.bags,
        "Tote bag",
        tax_class=shop.tax_class,
        variants=[
            (skus[0], "24.00", "Blue"),
            (skus[1], "24.00", "Red"),
            (skus[2], "26.50", "Green"),
            (skus[3], "24.00", "Yellow", False),
        ],
    )


def test_each_variant_shows_its_price_and_stock_state(client, tote):
    document = soup(client.get("/en/shop/bags/tote-bag/"))

    assert texts(document, ".offer__head") == [
        "Blue €24.00 In stock",
        "Red €24.00 Only 3 left",
        "Green €26.50 Sold out",
        "Yellow €24.00 Not on sale",
    ]
    assert document.h1.get_text() == "Tote bag"


def test_only_what_can_be_bought_has_a_form_without_a_csrf_token(client, tote):
    document = soup(client.get("/en/shop/bags/tote-bag/"))
    forms = document.select("form.add-to-cart")
    variants = list(tote.variants.order_by("sort_order"))

    assert [
        (form["action"], form["method"], form.select_one("[name=variant]")["value"])
        for form in forms
    ] == [
        ("/en/cart/add/", "post", str(variants[0].pk)),
        ("/en/cart/add/", "post", str(variants[1].pk)),
    ]
    assert [sorted(field["name"] for field in form.select("input")) for form in forms] == [
        ["next", "quantity", "variant"]
    ] * 2
    assert forms[0].select_one("[name=next]")["value"] == "/en/shop/bags/tote-bag/"
    assert "csrfmiddlewaretoken" not in str(document)
    label = forms[0].select_one("label")
    assert document.select_one(f"#{label['for']}")["name"] == "quantity"


def test_an_expired_reservation_does_not_hold_stock_on_the_page(client, tote):
    red = tote.variants.get(options="Red").sku
    reserve([(red, 2)], key="checkout-1", expires_at=timezone.now() + datetime.timedelta(minutes=5))
    assert texts(soup(client.get("/en/shop/bags/tote-bag/")), ".offer__head")[1] == (
        "Red €24.00 Only 1 left"
    )

    Reservation.objects.filter(key="checkout-1").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert texts(soup(client.get("/en/shop/bags/tote-bag/")), ".offer__head")[1] == (
        "Red €24.00 Only 3 left"
    )


def test_a_translation_shows_the_source_variants_in_its_language(client, shop, tote):
    blue = tote.variants.get(options="Blue")
    blue.options_translations = {"fr": "Bleu"}
    blue.save()
    translate_page(shop.home, "fr", title="Accueil")
    translate_page(shop.shop, "fr", title="Boutique", slug="boutique")
    translate_page(shop.bags, "fr", title="Sacs", slug="sacs")
    translate_page(tote, "fr", title="Sac cabas", slug="sac-cabas")

    document = soup(client.get("/fr/boutique/sacs/sac-cabas/"))

    assert texts(document, ".offer__head")[:2] == [
        "Bleu 24,00\xa0€ En stock",
        "Red 24,00\xa0€ Plus que 3",
    ]
    assert document.select_one("form.add-to-cart [name=variant]")["value"] == str(blue.pk)


def test_pages_below_the_shop_are_found_in_one_query_or_not_at_all(client, shop, tote):
    draft = build_product(shop.bags, "Draft", tax_class=shop.tax_class, variants=[], live=False)

    assert client.get("/en/shop/bags/").status_code == 200
    assert client.get("/en/shop/bags/tote-bag/").status_code == 200
    assert client.get("/en/shop/bags/no-such-bag/").status_code == 404
    assert client.get("/en/shop/chairs/tote-bag/").status_code == 404
    assert client.get("/en/shop/bags/tote-bag/more/").status_code == 404
    assert client.get(draft.url_path.replace("/home/", "/en/")).status_code == 404


def test_a_page_not_saved_yet_previews_without_variants(rf, shop):
    """An editor's preview of a new product: nothing saved yet, nothing to offer."""
    from catalogue.models import ProductPage
    from catalogue.products.detail import product_context

    page = ProductPage(title="New", summary="New.", tax_class=shop.tax_class)
    request = rf.get("/")

    context = product_context(request, page)

    assert (context["offers"], context["provenance"], context["story"]) == ([], None, None)
    assert context["product_seo"]["structured"]["offers"] == []
