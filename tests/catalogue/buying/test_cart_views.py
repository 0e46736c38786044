"""The cart's pages (catalogue.cart.views): add, change and remove, each checked against the
variant and its stock; every refusal answers 400 with the reason and leaves the cart as it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.catalogue.checkout_fixtures import eur
from workshops import inventory

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def add(client, variant, quantity="1", **headers):
    data = {"variant": getattr(variant, "pk", variant), "quantity": quantity, "next": "/en/shop/"}
    return client.post(reverse("catalogue_cart:add"), data, **(headers or SAME_ORIGIN))


def cart(client):
    return client.session.get("cart")


def text(response):
    return response.content.decode()


def test_adding_keeps_the_line_with_the_price_seen_and_shows_the_cart(client, shop):
    response = add(client, shop.mug, "2")

    assert response.status_code == 303
    assert response["Location"] == "/en/cart/"
    assert cart(client) == {
        "lines": {str(shop.mug.pk): {"quantity": 2, "price": "12.00"}},
        "count": 2,
    }
    page = client.get("/en/cart/")
    assert "Added to your cart: Mug." in text(page)
    assert "Cart, 2 items" in text(page)
    assert 'href="/en/shop/"' in text(page)  # continue shopping where the product was
    assert '<meta name="robots" content="noindex">' in text(page)
    assert "no-cache" in page["Cache-Control"]


def test_adding_again_adds_to_the_line(client, shop):
    add(client, shop.mug, "2")
    add(client, shop.mug, "3")
    assert cart(client)["lines"][str(shop.mug.pk)]["quantity"] == 5


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_REFERER": "https://elsewhere.example/en/shop/"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_adding_from_another_site_or_from_nowhere_is_forbidden(client, shop, headers):
    response = client.post(
        reverse("catalogue_cart:add"), {"variant": shop.mug.pk, "quantity": "1"}, **headers
    )
    assert response.status_code == 403
    assert cart(client) is None


def test_adding_from_a_page_of_this_site_without_origin_uses_the_referer(client, shop):
    response = add(client, shop.mug, "1", HTTP_REFERER="http://testserver/en/shop/mug/")
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "The quantity must be at least 1. To take a product out, remove it."),
        ("-1", "Enter the quantity as a whole number from 1 to 99."),
        ("abc", "Enter the quantity as a whole number from 1 to 99."),
        ("", "Enter the quantity as a whole number from 1 to 99."),
        ("2.5", "Enter the quantity as a whole number from 1 to 99."),
        ("١", "Enter the quantity as a whole number from 1 to 99."),
        ("100", "At most 99 of one product can be ordered here; for more, ask us for a quote."),
        (
            "99999999999999999999",
            "At most 99 of one product can be ordered here; for more, ask us for a quote.",
        ),
        ("11", "Only 10 of Mug left: choose 10 or fewer."),
    ],
)
def test_a_bad_quantity_is_refused_and_the_cart_is_unchanged(client, shop, quantity, message):
    add(client, shop.book, "1")
    before = cart(client)

    response = add(client, shop.mug, quantity)

    assert response.status_code == 400
    assert message in text(response)
    assert "Your cart is as it was." in text(response)
    assert cart(client) == before


def test_what_the_cart_holds_counts_towards_the_stock(client, shop):
    add(client, shop.book, "4")
    before = cart(client)
    response = add(client, shop.book, "2")
    assert response.status_code == 400
    assert "Only 5 of Book left: choose 5 or fewer." in text(response)
    assert cart(client) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "This product is no longer in the shop. Remove it from your cart."),
        ("not a number", "This product is no longer in the shop. Remove it from your cart."),
        ("unpublished", "Mug is no longer on sale. Remove it from your cart."),
        ("not on sale", "Mug is not on sale at the moment."),
        ("sold out", "Mug is sold out."),
    ],
)
def test_a_variant_that_cannot_be_bought_is_refused(client, shop, change, message):
    variant = shop.mug.pk
    if change == "missing":
        variant = 999_999
    elif change == "not a number":
        variant = "mug"
    elif change == "unpublished":
        shop.mug_page.unpublish()
    elif change == "not on sale":
        shop.mug.available = False
        shop.mug.save()
    else:
        inventory.reserve(
            [(shop.mug.sku, 10)],
            key="other",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )

    response = add(client, variant, "1")

    assert response.status_code == 400
    assert message in text(response)
    assert cart(client) is None


def update(client, variant, quantity):
    return client.post(
        reverse("catalogue_cart:update"),
        {"variant": getattr(variant, "pk", variant), "quantity": quantity},
    )


def test_a_quantity_changes_in_place(client, shop):
    add(client, shop.mug, "1")
    response = update(client, shop.mug, "4")
    assert response.status_code == 303
    assert cart(client) == {
        "lines": {str(shop.mug.pk): {"quantity": 4, "price": "12.00"}},
        "count": 4,
    }


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "The quantity must be at least 1. To take a product out, remove it."),
        ("x", "Enter the quantity as a whole number from 1 to 99."),
        ("12", "Only 10 of Mug left: choose 10 or fewer."),
    ],
)
def test_a_bad_new_quantity_is_shown_beside_its_line(client, shop, quantity, message):
    add(client, shop.mug, "1")
    before = cart(client)

    response = update(client, shop.mug, quantity)

    assert response.status_code == 400
    assert cart(client) == before
    field = f'id="quantity-{shop.mug.pk}"'
    assert f'{field} name="quantity" type="number"' in text(response)
    assert f'aria-invalid="true" aria-describedby="quantity-{shop.mug.pk}-error"' in text(response)
    assert f'<p class="field-error" id="quantity-{shop.mug.pk}-error">{message}</p>' in text(
        response
    )


def test_changing_a_line_not_in_the_cart_is_refused(client, shop):
    add(client, shop.mug, "1")
    before = cart(client)
    response = update(client, shop.book, "2")
    assert response.status_code == 400
    assert "Your cart holds no such product any more" in text(response)
    assert cart(client) == before


def test_removing_the_last_line_empties_the_cart_and_the_header_link_goes(client, shop):
    add(client, shop.mug, "1")
    response = client.post(reverse("catalogue_cart:remove"), {"variant": shop.mug.pk})
    assert response.status_code == 303
    assert cart(client) is None
    page = client.get("/en/cart/")
    assert "Removed from your cart: Mug." in text(page)
    assert 'id="cart-link"' not in text(page)


def test_a_price_changed_since_it_was_added_is_shown_old_and_new(client, shop):
    add(client, shop.mug, "2")
    shop.mug.price = eur("13.50")
    shop.mug.save()

    page = text(client.get("/en/cart/"))

    assert "Price changed: <del>€12.00</del> → <ins>€13.50</ins>" in page
    assert "€27.00" in page  # the line at the new price
    assert cart(client)["lines"][str(shop.mug.pk)]["price"] == "12.00"  # as seen, until confirmed


def test_stock_that_fell_since_the_cart_stops_the_checkout(client, shop):
    add(client, shop.mug, "5")
    inventory.reserve(
        [(shop.mug.sku, 8)], key="other", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )

    page = text(client.get("/en/cart/"))
    assert "Only 2 of Mug left: choose 2 or fewer." in page
    assert reverse("catalogue_checkout:start") not in page
    response = client.get(reverse("catalogue_checkout:start"))
    assert (response.status_code, response["Location"]) == (303, "/en/cart/")


def test_the_header_shows_no_cart_link_without_a_cart(client, shop):
    page = client.get("/en/cart/")
    assert 'id="cart-link"' not in text(page)
    assert "Your cart is empty." in text(page)


def test_the_cart_reads_in_arabic_right_to_left(client, shop):
    add(client, shop.mug, "2")
    page = text(client.get("/ar/cart/"))
    assert '<html lang="ar" dir="rtl">' in page
    assert "سلتك" in page
    assert "السلة، 2 قطعة" in page


def test_the_cart_page_reads_the_same_number_of_queries_for_one_line_or_two(client, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add(client, shop.mug, "1")
    client.get("/en/cart/")  # warm-up: the site, the settings
    with CaptureQueriesContext(connection) as one:
        client.get("/en/cart/")
    add(client, shop.book, "1")
    with CaptureQueriesContext(connection) as two:
        client.get("/en/cart/")
    assert len(two) == len(one)
