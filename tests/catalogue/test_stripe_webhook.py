"""Stripe's events (``POST /stripe/webhook/``, ``catalogue.cards.webhooks`` and ``fulfilment``):
verified by their signature, acted on once, in any order, and never trusted about the amount.

Every event is the documented Checkout Session object (``stripe_payloads/``), signed locally with
the test endpoint's secret. The order (``order_builders``) totals 60.50 EUR = 6050 cents, as the
payload says."""

import datetime
import logging
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from catalogue.cards.events import Handled, handled_types, handler_for, handles
from catalogue.models import CardCheckout, Order, StripeEvent
from tests.catalogue.card_checks import WEBHOOK, card_order, deliver, event, opened, state
from tests.catalogue.fake_stripe import WEBHOOK_SECRET
from tests.catalogue.order_builders import build_shop
from wages.models import Journal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_stripe")]
State = CardCheckout.State


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop):
    order = card_order(shop)
    opened(order, "cs_test_1")
    return order


def paid_state(order):
    order.refresh_from_db()
    return order.status, order.provider_payment_id, order.review_reason


def test_a_completed_paid_session_pays_the_order_once(
    client, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, event())

    assert (response.status_code, response.content) == (200, b"ok")
    assert paid_state(order) == ("paid", "pi_3QxBridgeworkIntent01", "")
    year = timezone.localdate().year
    assert sorted(Journal.objects.values_list("key", flat=True)) == [
        f"invoice:{year}-000001",
        "payment:BW-2026-0001",
    ]
    payment = Journal.objects.get(key="payment:BW-2026-0001")
    assert sorted(payment.entries.values_list("account__code", "amount")) == [
        ("shop:card-clearing", Decimal("60.500")),
        ("shop:receivables", Decimal("-60.500")),
    ]
    assert state()["stock"] == [("APRON", 9, 0), ("BREAD", 8, 0)]  # sold
    assert list(CardCheckout.objects.values_list("state", flat=True)) == [State.COMPLETED]
    assert list(
        StripeEvent.objects.values_list("event_id", "type", "order__number", "outcome")
    ) == [("evt_1", "checkout.session.completed", "BW-2026-0001", "paid")]
    assert [m.subject for m in mail.outbox] == ["Paiement reçu pour la commande BW-2026-0001"]


def test_the_same_event_again_changes_nothing(client, order):
    deliver(client, event())
    before = state()

    response = deliver(client, event())  # Stripe delivers again: the same id

    assert response.status_code == 200
    assert state() == before


def test_another_event_of_the_same_paid_session_changes_nothing(client, order):
    deliver(client, event())
    before = state()

    response = deliver(client, event("checkout.session.async_payment_succeeded", event_id="evt_2"))

    assert response.status_code == 200
    assert {k: v for k, v in state().items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }


@pytest.mark.parametrize(
    "how",
    ["a wrong secret", "an old timestamp", "no signature", "a changed body", "no secret set"],
)
def test_an_event_not_signed_by_stripe_is_refused_and_changes_nothing(client, order, settings, how):
    payload = event()
    before = state()
    if how == "a wrong secret":
        response = deliver(client, payload, secret="whsec_someone_else")
    elif how == "an old timestamp":
        response = deliver(client, payload, at=int(time.time()) - 301)
    elif how == "no signature":
        response = deliver(client, payload, header=False)
    elif how == "a changed body":
        signature = deliver.__globals__["signed"](payload)
        response = client.post(
            WEBHOOK,
            data=payload.replace("6050", "1"),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )
    else:
        settings.STRIPE_WEBHOOK_SECRET = ""
        response = deliver(client, payload, secret=WEBHOOK_SECRET)

    assert response.status_code == 400
    assert state() == before


def test_a_signature_within_the_tolerance_is_accepted(client, order):
    response = deliver(client, event(), at=int(time.time()) - 290)

    assert response.status_code == 200
    assert paid_state(order)[0] == "paid"


def test_stripe_needs_no_csrf_token(order):
    response = deliver(Client(enforce_csrf_checks=True), event())

    assert response.status_code == 200
    assert paid_state(order)[0] == "paid"


def test_only_post_is_answered(client):
    assert client.get(WEBHOOK).status_code == 405
    assert client.put(WEBHOOK).status_code == 405


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"amount_total": 6049},
            "The card provider's session says €60.49, the order's total is €60.50.",
        ),
        (
            {"currency": "usd"},
            "The card provider's session says $60.50, the order's total is €60.50.",
        ),
    ],
)
def test_an_amount_or_currency_not_the_order_s_flags_it_and_pays_nothing(
    client, order, changes, reason
):
    before = state()

    response = deliver(client, event(**changes))

    assert response.status_code == 200
    assert paid_state(order) == ("awaiting_payment", "", reason)
    after = state()
    assert (after["journals"], after["invoices"], after["stock"]) == (
        before["journals"],
        before["invoices"],
        before["stock"],
    )


def test_money_taken_for_a_cancelled_order_flags_it(client, order):
    deliver(client, event("checkout.session.expired", event_id="evt_0"))
    assert paid_state(order)[0] == "cancelled"
    before = state()

    response = deliver(client, event())

    assert response.status_code == 200
    status, intent, reason = paid_state(order)
    assert (status, intent) == ("cancelled", "")
    assert reason == (
        "Money was taken by card (pi_3QxBridgeworkIntent01) for this cancelled order: refund it "
        "or restore the order."
    )
    assert (state()["journals"], state()["stock"]) == (before["journals"], before["stock"])


def test_an_expired_session_cancels_the_order_and_releases_its_stock(client, order):
    response = deliver(client, event("checkout.session.expired"))

    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (
        "cancelled",
        "The card payment page expired unpaid.",
    )
    assert state()["stock"] == [("APRON", 10, 0), ("BREAD", 10, 0)]
    assert list(CardCheckout.objects.values_list("state", flat=True)) == [State.EXPIRED]


def test_expired_after_completed_changes_nothing(client, order):
    deliver(client, event())
    before = state()

    response = deliver(client, event("checkout.session.expired", event_id="evt_2"))

    assert response.status_code == 200
    assert {k: v for k, v in state().items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }


def test_an_old_attempt_expiring_while_a_new_one_is_open_keeps_the_order(client, order):
    CardCheckout.objects.filter(session_id="cs_test_1").update(state=State.REPLACED)
    opened(order, "cs_test_2", attempt=2)

    response = deliver(client, event("checkout.session.expired", session_id="cs_test_1"))

    assert response.status_code == 200
    assert paid_state(order) == ("awaiting_payment", "", "")
    assert list(CardCheckout.objects.values_list("attempt", "state")) == [
        (1, State.EXPIRED),
        (2, State.OPEN),
    ]
    assert state()["stock"] == [("APRON", 10, 1), ("BREAD", 10, 2)]
    # The new attempt pays.
    deliver(client, event(event_id="evt_2", session_id="cs_test_2", attempt="2"))
    assert paid_state(order)[0] == "paid"


def test_an_order_switched_to_invoice_is_not_cancelled_by_its_old_page_expiring(client, order):
    Order.objects.filter(pk=order.pk).update(payment_method="invoice")

    deliver(client, event("checkout.session.expired"))

    assert paid_state(order) == ("awaiting_payment", "", "")


def test_a_delayed_payment_waits_then_succeeds(client, order):
    response = deliver(client, event(payment_status="unpaid", payment_intent="pi_delayed"))

    assert response.status_code == 200
    assert paid_state(order) == ("awaiting_payment", "", "")
    order.reservation.refresh_from_db()
    assert order.reservation.expires_at > timezone.now() + datetime.timedelta(days=13)

    deliver(
        client,
        event(
            "checkout.session.async_payment_succeeded",
            event_id="evt_2",
            payment_intent="pi_delayed",
        ),
    )

    assert paid_state(order) == ("paid", "pi_delayed", "")


def test_a_delayed_payment_that_fails_cancels_the_order(client, order):
    deliver(client, event(payment_status="unpaid"))

    deliver(
        client,
        event("checkout.session.async_payment_failed", event_id="evt_2", payment_status="unpaid"),
    )

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (
        "cancelled",
        "The card provider said the payment failed.",
    )


def test_paid_twice_through_two_pages_flags_the_order(client, order):
    opened(order, "cs_test_2", attempt=2)
    deliver(client, event())

    deliver(
        client, event(event_id="evt_2", session_id="cs_test_2", attempt="2", payment_intent="pi_2")
    )

    assert paid_state(order) == (
        "paid",
        "pi_3QxBridgeworkIntent01",
        "Paid twice by card (pi_3QxBridgeworkIntent01 and pi_2): refund one.",
    )
    assert len([k for k in state()["journals"] if k.startswith("payment:")]) == 1


def test_a_session_whose_id_was_never_stored_is_found_by_its_attempt(client, shop):
    order = card_order(shop)
    CardCheckout.objects.create(
        order=order, attempt=1, state=State.PENDING, expires_at=timezone.now()
    )

    deliver(client, event(session_id="cs_test_lost"))

    assert paid_state(order)[0] == "paid"
    assert CardCheckout.objects.get().session_id == "cs_test_lost"


def test_an_unknown_type_is_stored_and_ignored(client, order):
    before = state()

    response = deliver(client, event("customer.created", event_id="evt_9"))

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored"
    assert {k: v for k, v in state().items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }


@pytest.mark.parametrize("changes", [{"order": "BW-1999-9999"}, {"session_id": "cs_test_not_ours"}])
def test_an_unknown_order_or_session_is_logged_and_changes_nothing(client, order, changes, caplog):
    before = state()

    with caplog.at_level(logging.WARNING, logger="catalogue.cards.fulfilment"):
        response = deliver(client, event(**changes))

    assert response.status_code == 200
    assert "is not one of ours" in caplog.text
    assert StripeEvent.objects.get().outcome == "unknown session"
    assert {k: v for k, v in state().items() if k != "events"} == {
        k: v for k, v in before.items() if k != "events"
    }


def test_another_area_registers_its_own_event_type(client, order):
    @handles("charge.dispute.created")
    def disputed(event):
        return Handled("seen", None)

    try:
        response = deliver(client, event("charge.dispute.created", event_id="evt_d"))
        assert response.status_code == 200
        assert StripeEvent.objects.get().outcome == "seen"
        assert handler_for("charge.dispute.created") is disputed
        with pytest.raises(ValueError):
            handles("charge.dispute.created")(lambda event: Handled("other"))
    finally:
        from catalogue.cards import events

        events._handlers.pop("charge.dispute.created")
    assert handled_types() == [
        "charge.refunded",  # catalogue.refunds.stripe_events
        "checkout.session.async_payment_failed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.completed",
        "checkout.session.expired",
    ]
