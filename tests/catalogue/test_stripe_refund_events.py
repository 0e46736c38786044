"""``charge.refunded`` through the webhook (``catalogue.refunds.stripe_events``): a refund made in
Stripe's dashboard becomes a refund here, with its credit note and journal, once; a refund made
here is not recorded again when Stripe tells of it; a charge of no order of ours changes nothing.

The order is the refund builders' card order: 60.50 EUR paid, PaymentIntent ``pi_bridgework``."""

import json
from decimal import Decimal

import pytest
from moneyed import Money

from catalogue.models import CreditNote, Refund, StripeEvent
from catalogue.refunds.operations import refund_order, refundable
from tests.catalogue.card_checks import deliver
from tests.catalogue.order_builders import build_shop
from tests.catalogue.refund_builders import PAYMENT_INTENT, paid_order, refunder, snapshot
from wages.models import Journal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_stripe")]


def charge_refunded(*, event_id="evt_refund_1", refunded=1250, refunds=None, intent=PAYMENT_INTENT):
    """A ``charge.refunded`` event as Stripe sends it: the Charge, with its running total
    refunded, and its refunds listed only when ``refunds`` is given (newer API versions leave
    them out)."""
    charge = {
        "id": "ch_bridgework",
        "object": "charge",
        "amount": 6050,
        "amount_refunded": refunded,
        "currency": "eur",
        "payment_intent": intent,
        "refunded": refunded == 6050,
        "metadata": {},
    }
    if refunds is not None:
        charge["refunds"] = {"object": "list", "data": refunds, "has_more": False}
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "charge.refunded",
            "created": 1796000000,
            "data": {"object": charge},
        }
    )


@pytest.fixture
def order():
    return paid_order(build_shop(), method="card")


def test_a_refund_made_in_stripes_dashboard_is_recorded_with_its_credit_note(client, order):
    response = deliver(client, charge_refunded(refunded=1250))

    assert response.status_code == 200
    refund = Refund.objects.get(order=order)
    assert (refund.kind, refund.status, refund.amount.amount) == (
        "provider",
        "succeeded",
        Decimal("12.500"),
    )
    assert refund.provider_refund_id == "ch_bridgework:1250"
    assert CreditNote.objects.filter(refund=refund).count() == 1
    assert refundable(order).amount == Decimal("48.000")  # 60.50 − 12.50
    event = StripeEvent.objects.get(event_id="evt_refund_1")
    assert (event.order, event.outcome) == (order, "refunds recorded from the card provider: 1")


def test_the_same_event_again_and_a_second_event_with_the_same_total_record_nothing(client, order):
    deliver(client, charge_refunded(refunded=1250))
    before = snapshot()

    assert deliver(client, charge_refunded(refunded=1250)).status_code == 200  # a replay
    assert deliver(client, charge_refunded(event_id="evt_2", refunded=1250)).status_code == 200

    assert snapshot() == before


def test_a_second_dashboard_refund_adds_only_the_difference(client, order):
    deliver(client, charge_refunded(refunded=1250))

    deliver(client, charge_refunded(event_id="evt_2", refunded=2000))

    amounts = sorted(refund.amount.amount for refund in Refund.objects.filter(order=order))
    assert amounts == [Decimal("7.500"), Decimal("12.500")]  # 20.00 in all


def test_listed_refunds_are_recorded_by_their_own_ids(client, order):
    refunds = [
        {"id": "re_a", "object": "refund", "amount": 500, "status": "succeeded"},
        {"id": "re_b", "object": "refund", "amount": 300, "status": "succeeded"},
        {"id": "re_failed", "object": "refund", "amount": 900, "status": "failed"},
    ]

    deliver(client, charge_refunded(refunded=800, refunds=refunds))

    recorded = sorted(Refund.objects.values_list("provider_refund_id", "amount"))
    assert recorded == [("re_a", Decimal("5.000")), ("re_b", Decimal("3.000"))]


def test_a_refund_made_here_is_not_recorded_again_when_stripe_tells_of_it(
    client, order, fake_stripe
):
    fake_stripe.on(
        "post",
        "/v1/refunds",
        lambda request: (
            200,
            {"id": "re_here", "object": "refund", "amount": 1000, "status": "succeeded"},
        ),
    )
    refund_order(
        order,
        user=refunder(),
        key="refund-here-1",
        reason="Damaged",
        amount=Money(Decimal("10.00"), "EUR"),
    )
    before = snapshot()

    listed = [{"id": "re_here", "object": "refund", "amount": 1000, "status": "succeeded"}]
    deliver(client, charge_refunded(refunded=1000, refunds=listed))
    deliver(client, charge_refunded(event_id="evt_2", refunded=1000))

    assert snapshot() == before
    assert Refund.objects.get().provider_refund_id == "re_here"


def test_a_charge_of_no_order_of_ours_is_answered_and_changes_nothing(client, order):
    before = snapshot()
    journals = Journal.objects.count()

    response = deliver(client, charge_refunded(intent="pi_someone_else"))

    assert response.status_code == 200
    assert snapshot() == before and Journal.objects.count() == journals
    assert StripeEvent.objects.get().outcome == "no order has this payment"
