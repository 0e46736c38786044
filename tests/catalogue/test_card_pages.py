"""Card payment's pages for the buyer (``catalogue.cards.views``) and what finance sees of an
order flagged for review: the success page never pays (it waits for Stripe's event and reloads
itself a limited number of times), the cancel page offers the card again or the invoice, and
refuses both for a paid or cancelled order."""

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.cards.views import REFRESH_TIMES
from catalogue.models import CardCheckout, Order
from tests.brand.builders import build_home
from tests.catalogue.card_checks import SESSIONS, card_order, opened, session_answer, state
from tests.catalogue.order_builders import build_order, build_shop
from tests.catalogue.order_screens import ORDERS, finance_staff, page_url, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop):
    order = card_order(shop, language="en")
    opened(order, "cs_test_1")
    return order


def text(response) -> str:
    return response.content.decode()


def test_the_success_page_waits_for_stripe_and_reloads_itself(client, order):
    before = state()

    response = client.get(f"/en/card/{order.access_token}/paid/")

    page = text(response)
    assert response.status_code == 200
    assert "Your card payment is being confirmed" in page
    assert (
        f'<meta http-equiv="refresh" content="5;url=/en/card/{order.access_token}/paid/?check=1">'
        in page
    )
    assert "This page checks again by itself every 5 seconds, for two minutes." in page
    assert 'role="status"' in page and "Check now" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no-cache" in response["Cache-Control"]
    assert state() == before  # opening it pays nothing


def test_the_success_page_stops_reloading_after_two_minutes(client, order):
    page = text(client.get(f"/en/card/{order.access_token}/paid/?check={REFRESH_TIMES}"))

    assert 'http-equiv="refresh"' not in page
    assert "You do not need to pay again: we will e-mail buyer@example.org" in page


def test_the_success_page_confirms_once_the_event_paid_the_order(client, order):
    Order.objects.filter(pk=order.pk).update(status="paid", paid_at=timezone.now())

    page = text(client.get(f"/en/card/{order.access_token}/paid/"))

    assert "Thank you: your payment is confirmed" in page
    assert 'http-equiv="refresh"' not in page
    assert "€60.50" in page


def test_the_cancel_page_offers_the_card_again_or_the_invoice(client, order):
    page = text(client.get(f"/en/card/{order.access_token}/"))

    assert f'action="/en/card/{order.access_token}/pay/"' in page
    assert '<input type="hidden" name="attempt" value="1">' in page
    assert f'action="/en/card/{order.access_token}/invoice/"' in page
    assert 'role="alert"' not in page
    status = text(client.get(f"/en/orders/{order.access_token}/"))
    assert f'href="/en/card/{order.access_token}/"' in status  # the way back to paying


def test_without_stripe_keys_the_card_is_refused_and_the_invoice_still_offered(
    client, order, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = ""

    retried = client.post(f"/en/card/{order.access_token}/pay/", {"attempt": "1"})
    page = text(client.get(retried["Location"]))
    with django_capture_on_commit_callbacks(execute=True):
        switched = client.post(f"/en/card/{order.access_token}/invoice/")

    assert "Card payment is not available just now" in page
    assert switched.status_code == 303
    order.refresh_from_db()
    assert order.payment_method == "invoice"


def test_trying_again_sends_the_buyer_to_a_new_page(client, order, fake_stripe):
    fake_stripe.on("post", SESSIONS, session_answer("cs_test_2"))
    fake_stripe.on("post", r"/v1/checkout/sessions/cs_test_1/expire", session_answer("cs_test_1"))

    response = client.post(f"/en/card/{order.access_token}/pay/", {"attempt": "1"})

    assert (response.status_code, response["Location"]) == (
        303,
        "https://checkout.stripe.com/c/pay/cs_test_2",
    )
    assert list(CardCheckout.objects.values_list("attempt", "state")) == [
        (1, "replaced"),
        (2, "open"),
    ]


def test_switching_to_invoice_leads_to_the_bank_details(
    client, order, fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.on("post", r"/v1/checkout/sessions/cs_test_1/expire", session_answer("cs_test_1"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/card/{order.access_token}/invoice/")

    assert (response.status_code, response["Location"]) == (
        303,
        f"/en/checkout/done/{order.access_token}/",
    )
    order.refresh_from_db()
    assert order.payment_method == "invoice"
    assert order.payment_reference in text(client.get(response["Location"]))
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("paid", "Order BW-2026-0001 is paid already."),
        ("cancelled", "Order BW-2026-0001 was cancelled: there is nothing to pay."),
    ],
)
def test_a_paid_or_cancelled_order_offers_no_payment(client, order, fake_stripe, status, said):
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status=status,
        paid_at=now if status == "paid" else None,
        cancelled_at=now if status == "cancelled" else None,
    )
    before = state()

    page = text(client.get(f"/en/card/{order.access_token}/"))
    retried = client.post(f"/en/card/{order.access_token}/pay/", {"attempt": "1"})
    switched = client.post(f"/en/card/{order.access_token}/invoice/")

    assert said in page and "Try the card payment again" not in page
    assert retried["Location"] == switched["Location"] == f"/en/card/{order.access_token}/"
    assert said in text(client.get(retried["Location"]))
    assert state() == before and fake_stripe.requests == []


def test_the_public_pages_refuse_a_wrong_token_and_the_wrong_method(client, order):
    assert client.get("/en/card/not-a-token/").status_code == 404
    assert client.get("/en/card/not-a-token/paid/").status_code == 404
    assert client.post("/en/card/not-a-token/pay/").status_code == 404
    assert client.get(f"/en/card/{order.access_token}/pay/").status_code == 405
    assert client.get(f"/en/card/{order.access_token}/invoice/").status_code == 405


def test_finance_sees_why_an_order_needs_review_and_finds_it_by_the_filter(client, shop):
    build_home()
    flagged = build_order(shop, "BW-2026-0001", method="card")
    build_order(shop, "BW-2026-0002")
    reason = "The card provider's session says €60.49, the order's total is €60.50."
    Order.objects.filter(pk=flagged.pk).update(review_reason=reason)
    signed_in(client, finance_staff())

    page = text(client.get(page_url(flagged)))
    listed = text(client.get(f"{ORDERS}?review=flagged"))
    clear = text(client.get(f"{ORDERS}?review=clear"))

    assert 'id="order-review"' in page and "the order&#x27;s total is €60.50." in page
    assert "BW-2026-0001" in listed and "BW-2026-0002" not in listed
    assert "BW-2026-0002" in clear and "BW-2026-0001" not in clear


def test_the_confirmation_page_of_a_card_order_promises_the_e_mail_for_when_it_is_paid(
    client, order
):
    page = text(client.get(f"/en/checkout/done/{order.access_token}/"))

    assert (
        "We will send a confirmation to buyer@example.org once your payment is confirmed." in page
    )
    assert "We have sent a confirmation" not in page
