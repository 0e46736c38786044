"""Starting a card payment (``catalogue.cards.sessions``, ``switching``): the card method and
its hold, the Checkout Session's parameters as Stripe receives them (minor units summing exactly
to the order's total, the idempotency key, the expiry inside the stock's hold), an attempt reused
or replaced, Stripe's refusal kept in words, and the switch to paying on invoice.

The order (``order_builders``): 2 × bread 12.00 (gross 24.00), 1 × apron 30.50, shipping 6.00,
total 60.50 = 1200 × 2 + 3050 + 600 cents."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from moneyed import Money

from catalogue.cards.amounts import Item, line_items, minor_units
from catalogue.cards.sessions import (
    MARGIN,
    CardPaymentRefused,
    card_hold,
    start_payment,
)
from catalogue.cards.switching import switch_to_invoice
from catalogue.checkout import payments
from catalogue.models import CardCheckout, Invoice, Order, ShopSettings
from catalogue.taxes.pricing import line_amounts
from tests.catalogue.card_checks import (
    SESSIONS,
    card_order,
    session_answer,
    sessions_in_turn,
    soon,
    state,
)
from tests.catalogue.order_builders import build_shop, eur
from wages.models import Journal

pytestmark = pytest.mark.django_db
SITE = "https://shop.example.org/"
State = CardCheckout.State


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop):
    return card_order(shop)


def expected_params(order, attempt) -> dict:
    token = order.access_token
    return {
        "mode": "payment",
        "line_items[0][quantity]": "2",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "1200",
        "line_items[0][price_data][product_data][name]": "Bread",
        "line_items[1][quantity]": "1",
        "line_items[1][price_data][currency]": "eur",
        "line_items[1][price_data][unit_amount]": "3050",
        "line_items[1][price_data][product_data][name]": "Apron",
        "line_items[2][quantity]": "1",
        "line_items[2][price_data][currency]": "eur",
        "line_items[2][price_data][unit_amount]": "600",
        "line_items[2][price_data][product_data][name]": "Post",
        "client_reference_id": "BW-2026-0001",
        "metadata[order]": "BW-2026-0001",
        "metadata[attempt]": str(attempt.attempt),
        "payment_intent_data[metadata][order]": "BW-2026-0001",
        "customer_email": "buyer@example.org",
        "locale": "fr",
        "success_url": f"https://shop.example.org/fr/card/{token}/paid/",
        "cancel_url": f"https://shop.example.org/fr/card/{token}/",
        "expires_at": str(int(attempt.expires_at.timestamp())),
    }


def test_the_card_method_is_offered_only_with_stripe_keys(settings, fake_stripe):
    assert [m.code for m in payments.available_methods()] == ["invoice", "card"]
    assert str(payments.get("card").label) == "Card (secure payment page)"
    settings.STRIPE_SECRET_KEY = ""
    assert [m.code for m in payments.available_methods()] == ["invoice"]
    with pytest.raises(ValidationError):
        payments.get("card")


def test_a_card_order_holds_its_stock_long_enough_for_a_checkout_session(db):
    now = timezone.now()
    shop = ShopSettings.load()
    method = payments.registered("card")
    shop.checkout_minutes = 30  # shorter than Stripe's shortest session and our margin
    assert method.hold(now, shop) == now + datetime.timedelta(minutes=60)
    shop.checkout_minutes = 90
    assert card_hold(now, shop) == now + datetime.timedelta(minutes=90)
    shop.checkout_minutes = 3000  # longer than Stripe's longest session
    assert card_hold(now, shop) == now + datetime.timedelta(hours=24)


def test_the_session_is_asked_for_with_exact_amounts_key_and_expiry(order, fake_stripe):
    fake_stripe.on("post", SESSIONS, session_answer("cs_test_1"))

    attempt = start_payment(order=order, site_url=SITE)

    assert (attempt.attempt, attempt.state, attempt.session_id, attempt.url) == (
        1,
        State.OPEN,
        "cs_test_1",
        "https://checkout.stripe.com/c/pay/cs_test_1",
    )
    assert attempt.expires_at == order.reservation.expires_at - MARGIN
    [request] = fake_stripe.requests
    assert (request.method, request.path) == ("post", "/v1/checkout/sessions")
    assert request.idempotency_key == "order:BW-2026-0001:attempt:1"
    assert request.params == expected_params(order, attempt)
    assert 1200 * 2 + 3050 + 600 == minor_units(order.total) == 6050
    # Stripe's rule: 30 minutes to 24 hours after creation.
    assert soon(30) < attempt.expires_at < soon(24 * 60)
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("awaiting_payment", "card")
    assert Invoice.objects.count() == Journal.objects.count() == 0  # invoiced once paid


def test_asking_again_opens_the_same_page(order, fake_stripe):
    fake_stripe.on("post", SESSIONS, session_answer("cs_test_1"))
    first = start_payment(order=order, site_url=SITE)

    again = start_payment(order=order, site_url=SITE)

    assert again.pk == first.pk
    assert len(fake_stripe.requests) == 1


def test_prices_without_tax_are_sent_as_line_totals_so_the_sum_stays_exact(shop, fake_stripe):
    """3 × 9.99 without tax at 20 %: net 29.97, tax 5.994 → 5.99, gross 35.96, which is not
    3 × 11.99 (35.97): the line goes as one item of 35.96. Total 35.96 + 30.50 + 6.00 = 72.46."""
    order = card_order(shop, quantities=(3, 1))
    order.lines.filter(description="Bread").update(
        unit_price=Decimal("9.99"),
        net=Decimal("29.97"),
        tax=Decimal("5.99"),
        gross=Decimal("35.96"),
    )
    Order.objects.filter(pk=order.pk).update(
        net_total=Decimal("60.39"),
        tax_total=Decimal("12.07"),
        total=Decimal("72.46"),
        prices_include_tax=False,
    )
    order.refresh_from_db()
    fake_stripe.on("post", SESSIONS, session_answer())

    start_payment(order=order, site_url=SITE)

    params = fake_stripe.requests[0].params
    assert [
        (params[f"line_items[{i}][price_data][product_data][name]"],
         params[f"line_items[{i}][quantity]"],
         params[f"line_items[{i}][price_data][unit_amount]"])
        for i in range(3)
    ] == [("3 × Bread", "1", "3596"), ("Apron", "1", "3050"), ("Post", "1", "600")]  # fmt: skip
    assert 3596 + 3050 + 600 == 7246


@pytest.mark.parametrize("include_tax", [True, False])
def test_line_items_always_sum_to_the_total(include_tax):
    """Every price from 0.01 to 19.99 in steps of 0.37, quantities 1 to 7, rates 5.5 and 20 %:
    the items sum to the total computed as place_order computes it."""
    checked = 0
    for cents in range(1, 2000, 37):
        for quantity in range(1, 8):
            for rate in (Decimal("5.5"), Decimal(20)):
                amounts = line_amounts(
                    eur(Decimal(cents) / 100), quantity, rate, prices_include_tax=include_tax
                )
                line = SimpleNamespace(description="X", quantity=quantity, gross=amounts.gross)
                order = SimpleNamespace(
                    number="N",
                    shipping_price=eur("5.90"),
                    shipping_name="Post",
                    total=amounts.gross + eur("5.90"),
                )
                items = line_items(order, [line])
                assert sum(item.amount for item in items) == minor_units(order.total)
                checked += 1
    assert checked == 55 * 7 * 2


def test_amounts_go_in_each_currency_s_minor_units():
    assert minor_units(Money("60.50", "EUR")) == 6050
    assert minor_units(Money("1500", "JPY")) == 1500
    assert minor_units(Money("12.345", "TND")) == 12345
    with pytest.raises(ValidationError):
        minor_units(Money("1.005", "EUR"))
    assert Item("Bread", 1200, 2).amount == 2400


def test_a_stripe_error_keeps_the_order_and_says_what_to_do(order, fake_stripe):
    fake_stripe.on(
        "post",
        SESSIONS,
        lambda request: (400, {"error": {"type": "invalid_request_error", "message": "No."}}),
    )
    before = state()

    with pytest.raises(CardPaymentRefused) as refused:
        start_payment(order=order, site_url=SITE)

    assert refused.value.messages == [
        "The secure card payment page could not be opened just now. Try again in a moment, or "
        "pay on invoice by bank transfer: your order is kept either way."
    ]
    attempt = CardCheckout.objects.get()
    assert (attempt.state, attempt.session_id, attempt.error) == (State.FAILED, None, "No.")
    after = state()
    assert after["attempts"] == [("BW-2026-0001", 1, "failed")]
    assert {k: v for k, v in after.items() if k not in ("attempts", "log")} == {
        k: v for k, v in before.items() if k not in ("attempts", "log")
    }


def test_trying_again_opens_a_new_attempt_once_and_closes_the_old_page(order, fake_stripe):
    fake_stripe.on("post", SESSIONS, sessions_in_turn("cs_test_1", "cs_test_2"))
    fake_stripe.on("post", r"/v1/checkout/sessions/cs_test_1/expire", session_answer("cs_test_1"))
    start_payment(order=order, site_url=SITE)

    second = start_payment(order=order, site_url=SITE, replacing=1)
    again = start_payment(order=order, site_url=SITE, replacing=1)  # a double click

    assert again.pk == second.pk
    assert [(a.attempt, a.state, a.session_id) for a in CardCheckout.objects.all()] == [
        (1, State.REPLACED, "cs_test_1"),
        (2, State.OPEN, "cs_test_2"),
    ]
    assert [r.path for r in fake_stripe.requests] == [
        "/v1/checkout/sessions",
        "/v1/checkout/sessions/cs_test_1/expire",
        "/v1/checkout/sessions",
    ]
    assert [fake_stripe.requests[i].idempotency_key for i in (0, 2)] == [
        "order:BW-2026-0001:attempt:1",
        "order:BW-2026-0001:attempt:2",
    ]
    assert fake_stripe.requests[2].params["metadata[attempt]"] == "2"


def test_a_new_attempt_late_in_the_hold_extends_the_hold_first(shop, fake_stripe):
    order = card_order(shop, hold=datetime.timedelta(minutes=20))  # less than Stripe's 30
    fake_stripe.on("post", SESSIONS, session_answer())

    attempt = start_payment(order=order, site_url=SITE)

    order.reservation.refresh_from_db()
    assert soon(59) < order.reservation.expires_at <= soon(60)  # a new card hold
    assert attempt.expires_at == order.reservation.expires_at - MARGIN


def test_an_order_no_longer_held_is_refused_and_nothing_changes(shop, fake_stripe):
    order = card_order(shop, hold=datetime.timedelta(minutes=20))
    from workshops.inventory import release

    release(order.reservation)
    before = state()

    with pytest.raises(CardPaymentRefused) as refused:
        start_payment(order=order, site_url=SITE)

    assert refused.value.code == "hold_over"
    assert state() == before and fake_stripe.requests == []


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("paid", "Order BW-2026-0001 is paid already."),
        ("cancelled", "Order BW-2026-0001 was cancelled: there is nothing to pay."),
    ],
)
def test_a_paid_or_cancelled_order_is_neither_paid_again_nor_switched(
    order, fake_stripe, status, message
):
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status=status,
        paid_at=now if status == "paid" else None,
        cancelled_at=now if status == "cancelled" else None,
    )
    before = state()

    for attempt in (
        lambda: start_payment(order=order, site_url=SITE),
        lambda: switch_to_invoice(order=order),
    ):
        with pytest.raises(CardPaymentRefused) as refused:
            attempt()
        assert refused.value.messages == [message]

    assert state() == before and fake_stripe.requests == []


def test_switching_to_invoice_issues_the_invoice_and_holds_the_stock_longer(
    order, fake_stripe, django_capture_on_commit_callbacks
):
    fake_stripe.on("post", SESSIONS, session_answer("cs_test_1"))
    fake_stripe.on("post", r"/v1/checkout/sessions/cs_test_1/expire", session_answer("cs_test_1"))
    start_payment(order=order, site_url=SITE)

    with django_capture_on_commit_callbacks(execute=True):
        switch_to_invoice(order=order)

    order.refresh_from_db()
    order.reservation.refresh_from_db()
    assert (order.status, order.payment_method) == ("awaiting_payment", "invoice")
    days = ShopSettings.load().invoice_hold_days
    assert soon(days * 24 * 60 - 1) < order.reservation.expires_at <= soon(days * 24 * 60)
    year = timezone.localdate().year
    assert list(Invoice.objects.values_list("number", flat=True)) == [f"{year}-000001"]
    assert list(Journal.objects.values_list("key", flat=True)) == [f"invoice:{year}-000001"]
    assert [m.to for m in mail.outbox] == [["buyer@example.org"]]
    assert list(CardCheckout.objects.values_list("state", flat=True)) == [State.REPLACED]
    assert fake_stripe.requests[-1].path == "/v1/checkout/sessions/cs_test_1/expire"
    before = state()

    with django_capture_on_commit_callbacks(execute=True):
        switch_to_invoice(order=order)  # again: nothing more

    assert state() == before


def test_a_hold_is_extended_but_never_shortened(order):
    from workshops.inventory import extend

    held_until = order.reservation.expires_at

    assert extend(order.reservation, expires_at=soon(10)).expires_at == held_until
    assert extend(order.reservation, expires_at=soon(600)).expires_at > held_until
