"""The checkout with card payment (``catalogue.checkout.views`` → ``catalogue.cards``): the order
is placed first, then the buyer is sent (303) to Stripe's page; Stripe's refusal keeps the order
and offers the choices. 3 × mug 12.00 + 1 × book 8.50 + standard delivery 5.90 = 50.40."""

import pytest

from catalogue.models import CardCheckout, Invoice, Order
from tests.catalogue.buying.test_checkout_views import form_data, in_cart, text
from tests.catalogue.card_checks import SESSIONS, session_answer

pytestmark = pytest.mark.django_db
START = "/en/checkout/"


@pytest.fixture
def buyer(client, shop, fake_stripe):
    in_cart(client, (shop.mug, 3), (shop.book, 1))
    return client


def test_paying_by_card_places_the_order_then_opens_stripe_s_page(buyer, shop, fake_stripe):
    fake_stripe.on("post", SESSIONS, session_answer("cs_test_9"))

    response = buyer.post(START, form_data(buyer, shop, payment_method="card"))

    order = Order.objects.get()
    assert (response.status_code, response["Location"]) == (
        303,
        "https://checkout.stripe.com/c/pay/cs_test_9",
    )
    assert (order.payment_method, order.status, str(order.total)) == (
        "card",
        "awaiting_payment",
        "€50.40",
    )
    params = fake_stripe.requests[0].params
    assert [
        (params[f"line_items[{i}][price_data][product_data][name]"],
         params[f"line_items[{i}][quantity]"],
         params[f"line_items[{i}][price_data][unit_amount]"])
        for i in range(3)
    ] == [("Mug — blue", "3", "1200"), ("Book", "1", "850"), ("Standard", "1", "590")]  # fmt: skip
    assert 3 * 1200 + 850 + 590 == 5040
    assert (params["customer_email"], params["locale"]) == ("ada@example.org", "en")
    assert params["success_url"] == f"http://testserver/en/card/{order.access_token}/paid/"
    assert CardCheckout.objects.get().session_id == "cs_test_9"
    assert Invoice.objects.count() == 0
    assert buyer.session.get("cart") is None


def test_stripe_s_refusal_keeps_the_order_and_offers_both_ways_to_pay(buyer, shop, fake_stripe):
    fake_stripe.on("post", SESSIONS, lambda r: (500, {"error": {"type": "api_error"}}))

    response = buyer.post(START, form_data(buyer, shop, payment_method="card"))

    order = Order.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/en/card/{order.access_token}/")
    page = text(buyer.get(response["Location"]))
    assert 'role="alert"' in page
    assert "The secure card payment page could not be opened just now." in page
    assert "Try the card payment again" in page
    assert "Pay on invoice by bank transfer instead" in page
    assert order.status == "awaiting_payment"
