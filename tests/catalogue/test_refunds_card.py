"""Refunds of card orders (``catalogue.refunds.operations``) through Stripe's Refunds API, offline
(``fake_stripe``): the parameters and idempotency key sent, the provider's refund id kept, card
clearing credited; a refusal by Stripe leaves a failed refund that no longer counts and nothing
else; and refunds made in Stripe's dashboard (``record_provider_refund``) recorded once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from moneyed import Money

from catalogue.models import Refund
from catalogue.refunds.operations import (
    minor_units,
    record_provider_refund,
    record_refund_paid_back,
    refund_order,
    refundable,
)
from tests.catalogue.order_builders import build_shop, eur
from tests.catalogue.refund_builders import PAYMENT_INTENT, finance, paid_order, refunder, snapshot
from wages.models import Journal

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def entries(journal) -> dict[str, Decimal]:
    return dict(journal.entries.values_list("account__code", "amount"))


def answered(refund_id="re_1", status="succeeded"):
    def handler(request):
        amount = int(request.params["amount"])
        return 200, {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": "eur",
            "payment_intent": request.params["payment_intent"],
            "status": status,
        }

    return handler


def refused(request):
    return 400, {
        "error": {
            "type": "invalid_request_error",
            "code": "charge_already_refunded",
            "message": "Charge ch_1 has already been refunded.",
        }
    }


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop, fake_stripe):
    return paid_order(shop, method="card")


@pytest.fixture
def user():
    return refunder()


def test_minor_units_are_what_stripe_counts():
    assert (minor_units(eur("12.34")), minor_units(eur("60.50")), minor_units(eur("0.01"))) == (
        1234,
        6050,
        1,
    )


def test_a_card_refund_asks_stripe_with_its_idempotency_key_and_credits_card_clearing(
    shop, order, user, fake_stripe
):
    fake_stripe.on("post", "/v1/refunds", answered("re_123"))
    bread = order.lines.get(description="Bread").pk
    refund = refund_order(order, user=user, key="click-1", reason="Stale", lines=[(bread, 1, True)])
    [request] = fake_stripe.requests
    assert (request.method, request.path) == ("post", "/v1/refunds")
    assert request.params == {
        "payment_intent": PAYMENT_INTENT,
        "amount": "1200",  # one bread: net 10.00 + tax 2.00
        "metadata[order]": "BW-2026-0001",
        "metadata[refund_key]": "click-1",
    }
    assert request.idempotency_key == "refund:click-1"
    assert (refund.status, refund.provider_refund_id, refund.amount) == (
        "succeeded",
        "re_123",
        eur("12.00"),
    )
    assert entries(Journal.objects.get(key=f"refund:CN-{YEAR}-000001")) == {
        f"sales:workshop:{shop.bakery.pk}": Decimal("10.00"),
        "tax-payable": Decimal("2.00"),
        "shop:card-clearing": Decimal("-12.00"),
    }
    again = refund_order(order, user=user, key="click-1", reason="Stale", lines=[(bread, 1, True)])
    assert again.pk == refund.pk and len(fake_stripe.requests) == 1  # a double click asks once


def test_a_refund_stripe_refuses_is_failed_counts_no_more_and_changes_nothing_else(
    order, user, fake_stripe
):
    fake_stripe.on("post", "/v1/refunds", refused)
    before = snapshot()
    with pytest.raises(ValidationError, match="has already been refunded") as refusal:
        refund_order(order, user=user, key="k", reason="Stale", amount=eur("20.00"))
    assert "Nothing was refunded" in refusal.value.messages[0]
    failed = Refund.objects.get()
    assert (failed.status, failed.failure) == ("failed", "Charge ch_1 has already been refunded.")
    after = snapshot()
    assert after["refunds"] == [(failed.pk, "failed")]
    assert {k: v for k, v in after.items() if k not in ("refunds", "parts")} == {
        k: v for k, v in before.items() if k not in ("refunds", "parts")
    }
    assert refundable(order) == eur("60.50")
    with pytest.raises(ValidationError, match="This refund failed"):
        refund_order(order, user=user, key="k", reason="Stale", amount=eur("20.00"))
    # A new attempt, once Stripe agrees, takes the first credit note number: none was used.
    fake_stripe.on("post", "/v1/refunds", answered("re_2"))
    refund = refund_order(order, user=user, key="k2", reason="Stale", amount=eur("20.00"))
    assert refund.credit_note.number == f"CN-{YEAR}-000001"


def test_a_refund_stripe_answers_failed_is_recorded_failed(order, user, fake_stripe):
    fake_stripe.on("post", "/v1/refunds", answered("re_9", status="failed"))
    with pytest.raises(ValidationError, match="could not refund"):
        refund_order(order, user=user, key="k", reason="Stale", amount=eur("5.00"))
    assert Refund.objects.get().status == "failed"


def test_a_card_refund_is_not_paid_back_by_transfer(order, user, fake_stripe):
    fake_stripe.on("post", "/v1/refunds", answered())
    refund = refund_order(order, user=user, key="k", reason="Stale", amount=eur("5.00"))
    with pytest.raises(ValidationError, match="goes back to the card"):
        record_refund_paid_back(refund, user=finance())


def test_a_dashboard_refund_is_recorded_once_by_amount(shop, order):
    # 6.05 of 60.50 is a tenth: 2.00 | 0.40 | 2.542 → 2.54 | 0.508 → 0.50 | 0.50 | 0.10, sum
    # 6.04; the cent left goes to the largest remainder, apron tax (0.008): 0.51.
    refund = record_provider_refund(
        order, provider_refund_id="re_dash", amount=eur("6.05"), on=TODAY
    )
    assert (refund.kind, refund.status, refund.provider_refund_id) == (
        "provider",
        "succeeded",
        "re_dash",
    )
    assert [(p.net.amount, p.tax.amount) for p in refund.parts.all()] == [
        (Decimal("2.00"), Decimal("0.40")),
        (Decimal("2.54"), Decimal("0.51")),
        (Decimal("0.50"), Decimal("0.10")),
    ]
    before = snapshot()
    assert (
        record_provider_refund(order, provider_refund_id="re_dash", amount=eur("6.05"), on=TODAY)
        is None
    )
    assert snapshot() == before


def test_a_refund_made_here_is_not_recorded_again_by_its_event(order, user, fake_stripe):
    fake_stripe.on("post", "/v1/refunds", answered("re_here"))
    refund_order(order, user=user, key="k", reason="Stale", amount=eur("5.00"))
    before = snapshot()
    assert (
        record_provider_refund(order, provider_refund_id="re_here", amount=eur("5.00"), on=TODAY)
        is None
    )
    assert snapshot() == before


def test_a_dashboard_refund_is_capped_by_what_remains(order, user, fake_stripe):
    fake_stripe.on("post", "/v1/refunds", answered("re_here"))
    refund_order(order, user=user, key="k", reason="Stale", amount=eur("50.00"))
    capped = record_provider_refund(order, provider_refund_id="re_b", amount=eur("20.00"), on=TODAY)
    assert capped.amount == eur("10.50")
    assert refundable(order) == eur("0.00")
    assert (
        record_provider_refund(order, provider_refund_id="re_c", amount=eur("1.00"), on=TODAY)
        is None
    )


def test_an_event_before_the_answer_makes_the_pending_refund_with_its_id(order, user, fake_stripe):
    """Stripe's event arrives while the refund made here still waits for its answer."""

    def event_first(request):
        record_provider_refund(order, provider_refund_id="re_early", amount=eur("7.00"), on=TODAY)
        return answered("re_early")(request)

    fake_stripe.on("post", "/v1/refunds", event_first)
    refund = refund_order(order, user=user, key="k", reason="Stale", amount=eur("7.00"))
    assert (refund.status, refund.provider_refund_id) == ("succeeded", "re_early")
    assert Refund.objects.count() == 1
    assert Journal.objects.filter(key__startswith="refund:").count() == 1


def test_a_dashboard_refund_in_another_currency_is_refused_and_changes_nothing(order):
    before = snapshot()
    with pytest.raises(ValidationError, match="is in EUR"):
        record_provider_refund(
            order, provider_refund_id="re_usd", amount=Money(Decimal("5.00"), "USD"), on=TODAY
        )
    assert snapshot() == before
