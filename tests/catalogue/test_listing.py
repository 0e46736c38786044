"""The shop's and a category's listing: live products of the language, sorted, filtered and in
pages from the query string; bad parameters left out with the form saying why, never a 500."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, PageViewRestriction

from tests.brand.builders import build_home  # noqa: F401  (the shop fixture builds it)
from tests.catalogue.builders import build_product, build_sku, stock, translate_page
from tests.workshops.production_builders import SINCE
from workshops.models import Trade, Workshop, WorkshopSupervisor

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in soup(response).select(".product-card__title")]


@pytest.fixture
def catalogue(shop):
    """Four bags and two chairs. Prices (lowest variant): Tote 24.00, Satchel 31.00 (sold out),
    Pouch 9.50, Backpack 55.00 (woodwork); Stool 40.00 (woodwork), Bench 120.00 (sold out).
    Newest first: Bench, Stool, Backpack, Pouch, Satchel, Tote."""
    world = shop.world
    woodwork = Trade.objects.create(
        name="Woodwork", slug="woodwork", occupation_code="7522", locale=Locale.get_default()
    )
    joinery = Workshop.objects.create(
        name="Joinery north",
        slug="joinery-north",
        public_name="Joinery",
        prison=world.workshop.prison,
        trade=woodwork,
        kind=Workshop.Kind.ADMINISTRATION,
    )
    WorkshopSupervisor.objects.create(workshop=joinery, user=world.supervisor, start=SINCE)
    specs = [
        (shop.bags, "Tote", world.workshop, [("24.00", 10), ("28.00", 2)]),
        (shop.bags, "Satchel", world.workshop, [("31.00", 0)]),
        (shop.bags, "Pouch", world.workshop, [("9.50", 4)]),
        (shop.bags, "Backpack", joinery, [("55.00", 1)]),
        (shop.chairs, "Stool", joinery, [("40.00", 6)]),
        (shop.chairs, "Bench", joinery, [("120.00", 0)]),
    ]
    pages = {}
    for number, (category, title, workshop, variants) in enumerate(specs):
        skus = []
        for index, (price, quantity) in enumerate(variants):
            sku = build_sku(workshop, f"{title.upper()}-{index}")
            if quantity:
                stock(world, sku, quantity, key=f"{title}-{index}")
            skus.append((sku, price, f"Option {index}"))
        pages[title] = build_product(
            category, title, tax_class=shop.tax_class, variants=skus, number=number
        )
    return pages


def test_the_shop_lists_its_live_products_newest_first(client, catalogue):
    catalogue["Pouch"].unpublish()

    assert titles(client.get("/en/shop/")) == ["Bench", "Stool", "Backpack", "Satchel", "Tote"]


def test_pages_behind_a_password_are_not_listed(client, shop, catalogue):
    PageViewRestriction.objects.create(
        page=shop.chairs, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    PageViewRestriction.objects.create(
        page=catalogue["Pouch"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    document = soup(client.get("/en/shop/"))

    assert titles(client.get("/en/shop/")) == ["Backpack", "Satchel", "Tote"]
    assert [a.get_text(strip=True) for a in document.select(".category-nav a")] == ["Bags"]


def test_a_category_lists_its_own_products(client, catalogue):
    assert titles(client.get("/en/shop/chairs/")) == ["Bench", "Stool"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("new", ["Bench", "Stool", "Backpack", "Pouch", "Satchel", "Tote"]),
        ("price", ["Pouch", "Tote", "Satchel", "Stool", "Backpack", "Bench"]),
        ("-price", ["Bench", "Backpack", "Stool", "Satchel", "Tote", "Pouch"]),
    ],
)
def test_sorting(client, catalogue, sort, expected):
    assert titles(client.get("/en/shop/", {"sort": sort})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "chairs"}, ["Bench", "Stool"]),
        ({"trade": "woodwork"}, ["Bench", "Stool", "Backpack"]),
        ({"trade": "bakery"}, ["Pouch", "Satchel", "Tote"]),
        ({"min_price": "24", "max_price": "55"}, ["Stool", "Backpack", "Satchel", "Tote"]),
        ({"in_stock": "on"}, ["Stool", "Backpack", "Pouch", "Tote"]),
        ({"in_stock": "on", "trade": "woodwork", "max_price": "50"}, ["Stool"]),
        ({"category": "bags", "sort": "price"}, ["Pouch", "Tote", "Satchel", "Backpack"]),
    ],
)
def test_filters(client, catalogue, params, expected):
    assert titles(client.get("/en/shop/", params)) == expected


def test_cards_show_the_lowest_price_the_trade_and_whether_in_stock(client, catalogue):
    document = soup(client.get("/en/shop/bags/", {"sort": "price"}))

    assert [
        (
            card.select_one(".product-card__title").get_text(strip=True),
            card.select_one(".product-card__trade").get_text(strip=True),
            card.select_one(".product-card__price").get_text(strip=True),
            card.select_one(".stock").get_text(strip=True),
            card.select_one("a")["href"],
        )
        for card in document.select(".product-card")
    ] == [
        ("Pouch", "Bakery", "€9.50", "In stock", "/en/shop/bags/pouch/"),
        ("Tote", "Bakery", "€24.00", "In stock", "/en/shop/bags/tote/"),
        ("Satchel", "Bakery", "€31.00", "Sold out", "/en/shop/bags/satchel/"),
        ("Backpack", "Woodwork", "€55.00", "In stock", "/en/shop/bags/backpack/"),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "abc", "max_price": "-3", "sort": "cheapest", "per_page": "7"},
        {"min_price": "1e400", "max_price": "NaN", "trade": "<script>", "category": "nope"},
        {"min_price": "99999999999999999999", "page": "-4", "q": "x" * 500},
        {"page": "zzz", "per_page": "48abc", "sort": ""},
        {"q": '"*()&|', "category": "bags&chairs"},
    ],
)
def test_bad_parameters_are_left_out_and_never_fail_the_page(client, catalogue, params):
    response = client.get("/en/shop/", params)

    expected = ["Bench", "Stool", "Backpack", "Pouch", "Satchel", "Tote"]
    assert titles(response) == ([] if params.get("q", "").startswith('"') else expected)
    assert b"<script>" not in response.content.split(b"<main")[1]


def test_a_bad_field_shows_its_error_tied_to_it(client, catalogue):
    document = soup(client.get("/en/shop/", {"min_price": "abc", "max_price": "30"}))

    field = document.select_one("#id_min_price")
    assert field["aria-invalid"] == "true"
    assert document.select_one(f"#{field['aria-describedby']}").get_text(strip=True) == (
        "Enter a number."
    )
    assert document.select_one("#id_max_price").get("aria-invalid") is None
    assert titles(client.get("/en/shop/", {"min_price": "abc", "max_price": "30"})) == [
        "Pouch",
        "Tote",
    ]


def test_a_lowest_price_above_the_highest_is_refused_on_the_highest(client, catalogue):
    response = client.get("/en/shop/", {"min_price": "50", "max_price": "10"})
    document = soup(response)

    assert document.select_one("#id_max_price-error").get_text(strip=True) == (
        "The highest price is below the lowest price."
    )
    assert titles(response) == ["Bench", "Backpack"]  # the lowest price still applies


def test_pages_of_24_or_48(client, shop):
    sku_of = build_sku
    for number in range(30):
        sku = sku_of(shop.world.workshop, f"P-{number:02d}")
        build_product(
            shop.bags,
            f"Product {number:02d}",
            tax_class=shop.tax_class,
            variants=[(sku, "10.00", "")],
            number=number,
        )

    first = soup(client.get("/en/shop/", {"sort": "new", "trade": "bakery"}))
    second = soup(client.get("/en/shop/", {"sort": "new", "trade": "bakery", "page": "2"}))
    everything = titles(client.get("/en/shop/", {"per_page": "48"}))

    assert len(first.select(".product-card")) == 24
    assert [h.get_text() for h in second.select(".product-card__title")] == [
        f"Product {number:02d}" for number in range(5, -1, -1)
    ]
    assert first.select_one(".pagination a[rel=next]")["href"] == ("?sort=new&trade=bakery&page=2")
    assert first.select_one(".shop__count").get_text(strip=True) == "30 products"
    assert len(everything) == 30


def test_the_product_search_finds_products_of_the_language_only(client, shop, catalogue):
    tote = catalogue["Tote"]
    tote.summary = "A sturdy canvas bag."
    tote.save_revision().publish()

    assert titles(client.get("/en/shop/", {"q": "canvas"})) == ["Tote"]
    assert titles(client.get("/en/shop/chairs/", {"q": "canvas"})) == []
    assert titles(client.get("/en/shop/", {"q": "canvas", "in_stock": "on"})) == ["Tote"]


def test_search_operators_are_words_to_search_for(client, catalogue):
    """A quote, a bracket or a star is not a search engine's syntax error."""
    for url in ("/en/shop/", "/en/search/"):
        for query in ('"*()&|', "bag OR (", "NEAR(", "-tote", "tote*"):
            assert client.get(url, {"q": query}).status_code == 200


def test_the_site_search_finds_products(client, catalogue):
    tote = catalogue["Tote"]
    tote.summary = "A sturdy canvas bag."
    tote.save_revision().publish()

    document = soup(client.get("/en/search/", {"q": "canvas"}))

    assert [a.get_text(strip=True) for a in document.select(".search-results h2 a")] == ["Tote"]
    assert document.select_one(".search-results p").get_text(strip=True) == "A sturdy canvas bag."


def test_a_french_listing_shows_french_pages_and_trade_names(client, shop, catalogue):
    bakery = shop.world.workshop.trade
    boulangerie = bakery.copy_for_translation(Locale.objects.get(language_code="fr"))
    boulangerie.name = "Boulangerie"
    boulangerie.save()
    translate_page(shop.home, "fr", title="Accueil")
    translate_page(shop.shop, "fr", title="Boutique", slug="boutique")
    translate_page(shop.bags, "fr", title="Sacs", slug="sacs")
    translate_page(catalogue["Pouch"], "fr", title="Trousse", slug="trousse")

    document = soup(client.get("/fr/boutique/"))

    assert [
        (
            card.select_one(".product-card__title").get_text(strip=True),
            card.select_one(".product-card__trade").get_text(strip=True),
            card.select_one(".product-card__price").get_text(strip=True),
        )
        for card in document.select(".product-card")
    ] == [("Trousse", "Boulangerie", "9,50\xa0€")]


def test_filtered_or_searched_listings_are_not_indexed(client, catalogue):
    def robots(params):
        tag = soup(client.get("/en/shop/", params)).select_one("meta[name=robots]")
        return tag["content"] if tag else None

    assert robots({}) is None
    assert robots({"page": "1"}) is None
    assert robots({"trade": "woodwork"}) == "noindex, follow"
    assert robots({"q": "tote"}) == "noindex, follow"


def test_an_arabic_listing_is_written_right_to_left(client, shop, catalogue):
    translate_page(shop.home, "ar", title="الرئيسية")
    translate_page(shop.shop, "ar", title="المتجر", slug="almatjar")
    translate_page(shop.bags, "ar", title="حقائب", slug="haqaib")
    translate_page(catalogue["Pouch"], "ar", title="محفظة", slug="mihfaza")

    document = soup(client.get("/ar/almatjar/"))

    assert (document.html["lang"], document.html["dir"]) == ("ar", "rtl")
    assert [h.get_text(strip=True) for h in document.select(".product-card__title")] == ["محفظة"]
    assert document.select_one(".stock").get_text(strip=True) == "متوفر"
