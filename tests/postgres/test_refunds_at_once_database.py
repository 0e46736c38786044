"""What refunds promise under concurrency on PostgreSQL, with real connections: two refunds at once
that together exceed what was paid, exactly one is made and the other refused, nothing else
changes; the same key clicked at once makes one refund; refunds of many orders at once take every
credit note number of the year once, without a gap."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import CreditNote, CreditNoteCounter, Refund
from catalogue.refunds.operations import refund_order, refundable
from core.testing.database import race
from tests.catalogue.order_builders import build_shop, eur
from tests.catalogue.refund_builders import paid_order, refunder, snapshot
from wages.models import Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


@pytest.fixture
def shop():
    return build_shop(stock=100)


def test_two_refunds_at_once_that_exceed_what_was_paid_make_exactly_one(shop):
    """Two amounts at once, 40.00 and 24.00: together 64.00 > the 60.50 paid, so whichever
    takes the order's lock second is refused. (A refund by lines cannot be the one refused: its
    units take only what remains of their line, so it never exceeds what was paid.)"""
    order = paid_order(shop)
    user = refunder()
    before = snapshot()
    outcomes = race(
        lambda: refund_order(order, user=user, key="a", reason="x", amount=eur("40.00")),
        lambda: refund_order(order, user=user, key="b", reason="x", amount=eur("24.00")),
    )
    made = [outcome for outcome in outcomes if isinstance(outcome, Refund)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(made), len(refused)) == (1, 1)
    assert "Refund less" in refused[0].messages[0]
    [refund] = made
    assert list(Refund.objects.values_list("pk", "status")) == [(refund.pk, "succeeded")]
    assert CreditNote.objects.get().number == f"CN-{YEAR}-000001"
    assert refundable(order) == eur("60.50") - refund.amount
    after = snapshot()
    assert after["journals"] == before["journals"] + 1
    assert after["counters"] == [(YEAR, 1)]
    assert after["movements"] == before["movements"]  # an amount puts nothing back in stock


def test_the_same_key_clicked_at_once_makes_one_refund(shop):
    order = paid_order(shop)
    user = refunder()
    outcomes = race(
        *(
            lambda: refund_order(order, user=user, key="double", reason="x", amount=eur("5.00"))
            for _ in range(4)
        )
    )
    assert {refund.pk for refund in outcomes} == {Refund.objects.get().pk}
    assert Journal.objects.filter(key__startswith="refund:").count() == 1


def test_refunds_of_many_orders_at_once_are_numbered_without_gap(shop):
    orders = [paid_order(shop, f"BW-2026-{n:04d}", quantities=(1, 1)) for n in range(1, 7)]
    user = refunder()
    outcomes = race(
        *(
            lambda order=order: refund_order(
                order, user=user, key=f"k-{order.pk}", reason="x", amount=eur("1.00")
            )
            for order in orders
        )
    )
    numbers = sorted(refund.credit_note.number for refund in outcomes)
    assert numbers == [f"CN-{YEAR}-{n:06d}" for n in range(1, 7)]
    assert CreditNoteCounter.objects.get(year=YEAR).last == 6
