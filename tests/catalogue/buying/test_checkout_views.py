"""The checkout page (catalogue.checkout.views): the form and its key, the order placed once,
refusals shown beside their fields, prices changed shown and confirmed, customers' words
escaped; the confirmation and the buyer's order page."""

import pytest
from django.core import mail
from django.urls import reverse

from catalogue.models import Order, ShopSettings
from tests.catalogue.checkout_fixtures import CONTACT, eur
from tests.catalogue.placing_checks import shop_state

pytestmark = pytest.mark.django_db

START = "/en/checkout/"


def in_cart(client, *lines):
    for variant, quantity in lines:
        client.post(
            reverse("catalogue_cart:add"),
            {"variant": variant.pk, "quantity": quantity},
            HTTP_ORIGIN="http://testserver",
        )


def form_data(client, shop, **changes):
    client.get(START)
    return {
        **CONTACT,
        "key": client.session["checkout"]["key"],
        "shipping": shop.standard_2kg.pk,
        "payment_method": "invoice",
        **changes,
    }


def text(response):
    return response.content.decode()


@pytest.fixture
def buyer(client, shop):
    in_cart(client, (shop.mug, 3), (shop.book, 1))
    return client


def test_the_form_carries_its_key_and_every_field_its_purpose(buyer, shop):
    response = buyer.get(START)
    page = text(response)

    key = buyer.session["checkout"]["key"]
    assert f'<input type="hidden" name="key" value="{key}"' in page
    for purpose in (
        "email",
        "tel",
        "name",
        "organization",
        "address-line1",
        "address-line2",
        "postal-code",
        "address-level2",
        "country",
    ):
        assert f'autocomplete="{purpose}"' in page
    assert 'aria-describedby="id_email-hint"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no-cache" in response["Cache-Control"]
    assert "onpaste" not in page
    # Showing the form again keeps the key.
    buyer.get(START)
    assert buyer.session["checkout"]["key"] == key


def test_placing_the_order_empties_the_cart_and_shows_how_to_pay(buyer, shop):
    settings = ShopSettings.load()
    settings.seller_name, settings.iban, settings.bic = (
        "Bridgework",
        "FR7630006000011234567890189",
        "AGRIFRPP",
    )
    settings.save()

    response = buyer.post(START, form_data(buyer, shop))

    order = Order.objects.get()
    assert (response.status_code, response["Location"]) == (
        303,
        f"/en/checkout/done/{order.access_token}/",
    )
    assert buyer.session.get("cart") is None
    assert buyer.session.get("checkout") is None
    done = buyer.get(response["Location"])
    page = text(done)
    assert order.number in page
    assert order.payment_reference in page
    assert "FR7630006000011234567890189" in page
    assert "€50.40" in page
    assert f'href="/en/orders/{order.access_token}/"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no-cache" in done["Cache-Control"]


def test_a_double_submit_places_one_order(buyer, shop):
    data = form_data(buyer, shop)
    first = buyer.post(START, data)
    state = shop_state()

    second = buyer.post(START, data)

    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert shop_state() == state
    assert Order.objects.count() == 1


def test_a_tampered_key_places_nothing_and_the_form_comes_back_with_a_fresh_key(buyer, shop):
    data = form_data(buyer, shop, key="A" * 32)
    before, cart = shop_state(), buyer.session["cart"]

    response = buyer.post(START, data)

    assert response.status_code == 400
    assert "This checkout form is out of date or was changed." in text(response)
    assert shop_state() == before
    assert buyer.session["cart"] == cart
    assert buyer.session["checkout"]["key"] != "A" * 32
    assert 'value="ada@example.org"' in text(response)  # nothing to type again


def test_a_country_outside_every_zone_is_shown_beside_the_country(buyer, shop):
    before = shop_state()
    response = buyer.post(START, form_data(buyer, shop, country="JP"))

    page = text(response)
    assert response.status_code == 400
    assert shop_state() == before
    message = (
        "We do not deliver to Japan yet. Choose a delivery address in another country, or "
        "contact us to ask."
    )
    assert f'<p class="field-error" id="id_country-error">{message}</p>' in page
    assert 'aria-invalid="true" aria-describedby="id_country-error"' in page
    assert f'<a href="#id_country">Country: {message}</a>' in page


def test_missing_details_are_listed_and_tied_to_their_fields(buyer, shop):
    before = shop_state()
    response = buyer.post(START, form_data(buyer, shop, email="", address="", city=""))

    page = text(response)
    assert response.status_code == 400
    assert shop_state() == before
    assert '<a href="#id_email">E-mail: This field is required.</a>' in page
    assert (
        '<a href="#id_address">Address: Enter this part of the address, so that we can deliver.</a>'
        in page
    )
    assert 'aria-describedby="id_email-error id_email-hint"' in page
    assert "data-focus-on-load" in page


def test_a_price_changed_since_the_cart_must_be_confirmed(buyer, shop):
    shop.mug.price = eur("13.00")
    shop.mug.save()

    page = text(buyer.get(START))
    assert "Price changed: <del>€12.00</del> → <ins>€13.00</ins>" in page
    before = shop_state()
    refused = buyer.post(START, form_data(buyer, shop))
    assert refused.status_code == 400
    assert "Prices changed since you added them: check them above, then tick this box." in text(
        refused
    )
    assert shop_state() == before

    placed = buyer.post(START, form_data(buyer, shop, accept_prices="on"))

    assert placed.status_code == 303
    order = Order.objects.get()
    assert order.lines.get(variant=shop.mug).unit_price == eur("13.00")


def test_a_price_changed_while_the_form_was_open_is_shown_and_places_nothing(buyer, shop):
    data = form_data(buyer, shop)
    shop.mug.price = eur("13.00")
    shop.mug.save()
    before = shop_state()

    response = buyer.post(START, data)

    page = text(response)
    assert response.status_code == 400
    assert shop_state() == before
    assert "Price changed: <del>€12.00</del> → <ins>€13.00</ins>" in page
    assert "Prices changed since you added them: check them above, then tick this box." in page


def test_a_price_changed_again_after_it_was_confirmed_must_be_confirmed_again(buyer, shop):
    shop.mug.price = eur("13.00")
    shop.mug.save()
    data = form_data(buyer, shop, accept_prices="on")  # the form showed 13.00
    shop.mug.price = eur("14.00")
    shop.mug.save()
    before = shop_state()

    response = buyer.post(START, data)

    page = text(response)
    assert response.status_code == 400
    assert shop_state() == before
    assert "Mug: was €13.00, now €14.00." in page
    assert (
        '<input type="checkbox" name="accept_prices" aria-invalid="true" '
        'aria-describedby="id_accept_prices-error" id="id_accept_prices">'
    ) in page  # not ticked: the new price is confirmed anew

    placed = buyer.post(START, {**data, "key": buyer.session["checkout"]["key"]})
    assert placed.status_code == 303
    assert Order.objects.get().lines.get(variant=shop.mug).unit_price == eur("14.00")


def test_stock_that_fell_while_the_form_was_open_places_nothing(buyer, shop):
    from datetime import timedelta

    from django.utils import timezone

    from workshops import inventory

    data = form_data(buyer, shop)
    inventory.reserve(
        [(shop.mug.sku, 9)], key="other", expires_at=timezone.now() + timedelta(hours=1)
    )
    before = shop_state()

    response = buyer.post(START, data)

    assert (response.status_code, response["Location"]) == (303, "/en/cart/")
    assert shop_state() == before
    assert "Only 1 of Mug left: choose 1 or fewer." in text(buyer.get("/en/cart/"))


def test_customer_words_are_escaped_on_every_page_and_in_the_e_mail(
    buyer, shop, after_placing, django_capture_on_commit_callbacks
):
    script = "<script>alert(1)</script>"
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.post(
            START,
            form_data(buyer, shop, name=script, organisation="<b>Bold</b>", address=f"1 {script}"),
        )
    order = Order.objects.get()
    assert order.name == script
    for page in (
        text(buyer.get(response["Location"])),
        text(buyer.get(f"/en/orders/{order.access_token}/")),
        mail.outbox[0].alternatives[0][0],
    ):
        assert script not in page
        assert "<b>Bold</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_order_page_is_found_by_its_token_only(buyer, shop):
    buyer.post(START, form_data(buyer, shop))
    order = Order.objects.get()

    response = buyer.get(f"/en/orders/{order.access_token}/")

    assert response.status_code == 200
    assert f"Order {order.number}" in text(response)
    assert "awaiting payment" in text(response)
    assert order.payment_reference in text(response)
    assert '<meta name="robots" content="noindex">' in text(response)
    assert "no-cache" in response["Cache-Control"]
    assert buyer.get("/en/orders/not-a-token/").status_code == 404
    assert buyer.get("/en/checkout/done/not-a-token/").status_code == 404


def test_an_empty_cart_has_no_checkout(client, shop):
    response = client.get(START)
    assert (response.status_code, response["Location"]) == (303, "/en/cart/")
    response = client.post(START, {"key": "A" * 32})
    assert (response.status_code, response["Location"]) == (303, "/en/cart/")
    assert Order.objects.count() == 0
