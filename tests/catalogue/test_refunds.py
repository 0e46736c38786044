"""Refunds of orders on invoice (``catalogue.refunds.operations``): by lines and by amount, split
exactly, never more than was paid, once per key, with their credit note, journal and stock, and
paid back by transfer. The tests' order (``order_builders``):

    bread 2 × 12.00 at 20 %: net 20.00, tax 4.00;  apron 1 × 30.50: net 25.42, tax 5.08;
    shipping 6.00: net 5.00, tax 1.00;  total 60.50
"""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.models import CreditNote, Invoice, Refund
from catalogue.refunds.operations import record_refund_paid_back, refund_order, refundable
from catalogue.refunds.splitting import parts_by_lines, remaining
from tests.catalogue.order_builders import build_order, build_shop, eur, staff
from tests.catalogue.refund_builders import finance, paid_order, refunder, snapshot
from wages.models import Account, Journal
from workshops.models import Stock

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

YEAR = timezone.localdate().year


def entries(journal) -> dict[str, Decimal]:
    return dict(journal.entries.values_list("account__code", "amount"))


def on_hand(sku) -> int:
    return Stock.objects.get(sku=sku).on_hand


def parts(refund) -> list[tuple]:
    return [
        (part.description, part.quantity, part.restock, part.net.amount, part.tax.amount)
        for part in refund.parts.all()
    ]


@pytest.fixture
def shop():
    return build_shop()


@pytest.fixture
def order(shop):
    return paid_order(shop)


@pytest.fixture
def user():
    return refunder()


def line(order, description):
    return order.lines.get(description=description).pk


def test_a_full_refund_by_lines_gives_back_everything_with_shipping_and_restocks_as_chosen(
    shop, order, user, django_capture_on_commit_callbacks
):
    bread_before, apron_before = on_hand(shop.bread), on_hand(shop.apron)
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_order(
            order,
            user=user,
            key="k1",
            reason="Returned unopened",
            lines=[(line(order, "Bread"), 2, True), (line(order, "Apron"), 1, False)],
        )
    assert (refund.status, refund.kind, refund.amount) == ("succeeded", "lines", eur("60.50"))
    # The last units of every line take what remains of it; shipping comes back with them.
    assert parts(refund) == [
        ("Bread", 2, True, Decimal("20.00"), Decimal("4.00")),
        ("Apron", 1, False, Decimal("25.42"), Decimal("5.08")),
        ("Post", 0, False, Decimal("5.00"), Decimal("1.00")),
    ]
    credit_note = refund.credit_note
    assert credit_note.number == f"CN-{YEAR}-000001"
    assert credit_note.invoice == Invoice.objects.get(order=order)
    journal = Journal.objects.get(key=f"refund:{credit_note.number}")
    assert entries(journal) == {
        f"sales:workshop:{shop.bakery.pk}": Decimal("20.00"),
        f"sales:workshop:{shop.sewing.pk}": Decimal("25.42"),
        "shop:shipping": Decimal("5.00"),
        "tax-payable": Decimal("10.08"),  # 4.00 + 5.08 + 1.00
        "shop:refunds-owed": Decimal("-60.50"),
    }
    assert Account.objects.get(code="shop:refunds-owed").kind == "liability"
    assert (on_hand(shop.bread), on_hand(shop.apron)) == (bread_before + 2, apron_before)
    assert refundable(order) == eur("0.00")
    logged = ModelLogEntry.objects.for_instance(order).filter(action="bridgework.order_refunded")
    assert [entry.data["credit_note"] for entry in logged] == [credit_note.number]
    refunded_mail = mail.outbox[-1]
    assert refunded_mail.to == ["buyer@example.org"]
    assert order.number in refunded_mail.subject
    assert "60,50" in refunded_mail.body  # the order's language is French


def test_partial_refunds_by_lines_take_each_units_share_and_the_last_unit_what_remains(shop, user):
    # bread 3 units for net 20.00, tax 4.00: one unit is 20.00 / 3 = 6.666… → 6.67 and
    # 4.00 / 3 = 1.333… → 1.33; the third, last unit takes what remains: 20.00 − 13.34 = 6.66 and
    # 4.00 − 2.66 = 1.34. The three refunds sum to the line: 8.00 + 8.00 + 8.00 = 24.00.
    order = paid_order(shop, quantities=(3, 1))
    bread = line(order, "Bread")
    first = refund_order(order, user=user, key="a", reason="Stale", lines=[(bread, 1, False)])
    second = refund_order(order, user=user, key="b", reason="Stale", lines=[(bread, 1, False)])
    third = refund_order(order, user=user, key="c", reason="Stale", lines=[(bread, 1, False)])
    assert parts(first) == parts(second) == [("Bread", 1, False, Decimal("6.67"), Decimal("1.33"))]
    assert parts(third) == [("Bread", 1, False, Decimal("6.66"), Decimal("1.34"))]
    assert [r.amount for r in (first, second, third)] == [eur("8.00")] * 3
    assert entries(Journal.objects.get(key=f"refund:{third.credit_note.number}")) == {
        f"sales:workshop:{shop.bakery.pk}": Decimal("6.66"),
        "tax-payable": Decimal("1.34"),
        "shop:refunds-owed": Decimal("-8.00"),
    }
    assert refundable(order) == eur("36.50")  # 60.50 − 24.00: apron and shipping remain
    with pytest.raises(ValidationError, match="only 0 remain"):
        refund_order(order, user=user, key="d", reason="Stale", lines=[(bread, 1, False)])


def test_one_unit_of_a_line_gives_back_what_the_unit_cost_not_a_cent_more(shop):
    # A line of two at 3.90 with 5.5 % tax: net 7.39, tax 0.41, gross 7.80. One unit's share of
    # the gross is 3.90 and of the tax 0.205 → 0.21, so net 3.69 (rounding net and tax apart gave
    # 3.70 + 0.21 = 3.91); the last unit takes what remains: 3.70 + 0.20 = 3.90.
    order = build_order(shop)
    bread = order.lines.get(description="Bread")
    bread.unit_price, bread.tax_rate = eur("3.90"), Decimal("5.5")
    bread.net, bread.tax, bread.gross = eur("7.39"), eur("0.41"), eur("7.80")
    bread.save()

    (first,) = parts_by_lines(order, [(bread.pk, 1, True)], remaining(order))
    assert (first.net, first.tax, first.gross) == (
        Decimal("3.69"),
        Decimal("0.21"),
        Decimal("3.90"),
    )
    left = remaining(order)
    bread_left = left[bread.pk]
    left[bread.pk] = replace(
        bread_left, quantity=1, net=bread_left.net - first.net, tax=bread_left.tax - first.tax
    )  # as after the first refund
    (last,) = parts_by_lines(order, [(bread.pk, 1, True)], left)
    assert (last.net, last.tax, last.gross) == (Decimal("3.70"), Decimal("0.20"), Decimal("3.90"))


def test_a_refund_by_amount_is_split_over_the_order_by_the_largest_remainder(shop, order, user):
    # 10.00 of 60.50 over 20.00 | 4.00 | 25.42 | 5.08 | 5.00 | 1.00: exact 3.3057, 0.6611,
    # 4.2016, 0.8396, 0.8264, 0.1652; rounded down 3.30 + 0.66 + 4.20 + 0.83 + 0.82 + 0.16 = 9.97;
    # the 3 cents left go to the largest remainders: apron tax (0.0097), shipping net (0.0064),
    # bread net (0.0058).
    refund = refund_order(order, user=user, key="k", reason="Late", amount=eur("10.00"))
    assert parts(refund) == [
        ("Bread", 0, False, Decimal("3.31"), Decimal("0.66")),
        ("Apron", 0, False, Decimal("4.20"), Decimal("0.84")),
        ("Post", 0, False, Decimal("0.83"), Decimal("0.16")),
    ]
    assert entries(Journal.objects.get(key=f"refund:{refund.credit_note.number}")) == {
        f"sales:workshop:{shop.bakery.pk}": Decimal("3.31"),
        f"sales:workshop:{shop.sewing.pk}": Decimal("4.20"),
        "shop:shipping": Decimal("0.83"),
        "tax-payable": Decimal("1.66"),  # 0.66 + 0.84 + 0.16
        "shop:refunds-owed": Decimal("-10.00"),
    }
    assert refundable(order) == eur("50.50")


def test_an_amount_after_a_line_refund_is_split_over_what_remains(shop, order, user):
    refund_order(
        order, user=user, key="a", reason="Stale", lines=[(line(order, "Bread"), 2, False)]
    )
    # What remains: apron 25.42 | 5.08, shipping 5.00 | 1.00 = 36.50, all of it refunded:
    # every part is exactly what remains.
    rest = refund_order(order, user=user, key="b", reason="Late", amount=eur("36.50"))
    assert parts(rest) == [
        ("Apron", 0, False, Decimal("25.42"), Decimal("5.08")),
        ("Post", 0, False, Decimal("5.00"), Decimal("1.00")),
    ]
    assert refundable(order) == eur("0.00")


def test_more_than_was_paid_is_refused_and_changes_nothing(order, user):
    refund_order(order, user=user, key="a", reason="Late", amount=eur("50.00"))
    before = snapshot()
    with pytest.raises(ValidationError, match=r"only €10\.50"):
        refund_order(order, user=user, key="b", reason="Late", amount=eur("10.51"))
    assert snapshot() == before
    assert refundable(order) == eur("10.50")


def test_a_line_after_an_amount_takes_only_what_remains_of_it(order, user):
    # 50.00 by amount took 21.01 + 4.20 of the apron (25.42 + 5.08): its last unit takes what
    # remains, 4.41 + 0.88 = 5.29, never more than was paid for it.
    refund_order(order, user=user, key="a", reason="Late", amount=eur("50.00"))
    rest = refund_order(
        order, user=user, key="b", reason="All", lines=[(line(order, "Apron"), 1, True)]
    )
    assert parts(rest) == [("Apron", 1, True, Decimal("4.41"), Decimal("0.88"))]
    assert refundable(order) == eur("5.21")  # 10.50 − 5.29


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": eur("0.00")}, "above zero"),
        ({"amount": eur("1.005")}, "whole cents"),
        ({"amount": eur("1.00"), "lines": [(1, 1, False)]}, "not both"),
        ({}, "not both and not neither"),
        ({"lines": [(999_999, 1, False)]}, "is not a line of order"),
        ({"lines": ["bread-3"]}, "only 2 remain"),
        ({"lines": ["bread-0"]}, "from 1"),
        ({"lines": ["bread-1", "bread-1"]}, "named twice"),
        ({"amount": eur("1.00"), "reason": " "}, "Say why"),
    ],
)
def test_a_wrong_refund_is_refused_in_words_and_changes_nothing(order, user, kwargs, message):
    kwargs = dict(kwargs)
    if lines := kwargs.get("lines"):
        bread = line(order, "Bread")
        kwargs["lines"] = [
            (bread, int(item.split("-")[1]), False) if isinstance(item, str) else item
            for item in lines
        ]
    kwargs.setdefault("reason", "Why not")
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        refund_order(order, user=user, key="k", **kwargs)
    assert snapshot() == before


def test_an_unpaid_order_and_a_user_without_permission_are_refused(shop, user):
    unpaid = build_order(shop, "BW-2026-0009")
    before = snapshot()
    with pytest.raises(ValidationError, match="only a paid order is refunded"):
        refund_order(unpaid, user=user, key="k", reason="x", amount=eur("1.00"))
    paid = paid_order(shop)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        refund_order(paid, user=staff("nobody"), key="k", reason="x", amount=eur("1.00"))
    assert snapshot() == before


def test_the_same_key_twice_makes_one_refund(shop, order, user):
    first = refund_order(order, user=user, key="double", reason="Late", amount=eur("5.00"))
    again = refund_order(order, user=user, key="double", reason="Late", amount=eur("5.00"))
    assert again.pk == first.pk
    assert (Refund.objects.count(), CreditNote.objects.count()) == (1, 1)
    assert Journal.objects.filter(key__startswith="refund:").count() == 1
    other = paid_order(shop, "BW-2026-0002")
    with pytest.raises(ValidationError, match="used for another order"):
        refund_order(other, user=user, key="double", reason="Late", amount=eur("5.00"))


def test_restocked_units_come_back_once_per_refund_line(shop, order, user):
    before = on_hand(shop.bread)
    refund_order(order, user=user, key="a", reason="x", lines=[(line(order, "Bread"), 1, True)])
    refund_order(order, user=user, key="a", reason="x", lines=[(line(order, "Bread"), 1, True)])
    refund_order(order, user=user, key="b", reason="x", lines=[(line(order, "Bread"), 1, False)])
    assert on_hand(shop.bread) == before + 1


def test_credit_note_numbers_follow_each_other_without_gaps(order, user):
    numbers = [
        refund_order(
            order, user=user, key=f"k{n}", reason="x", amount=eur("1.00")
        ).credit_note.number
        for n in range(3)
    ]
    assert numbers == [f"CN-{YEAR}-{n:06d}" for n in (1, 2, 3)]
    with pytest.raises(ValidationError):
        refund_order(order, user=user, key="too-much", reason="x", amount=eur("99.00"))
    fourth = refund_order(order, user=user, key="k4", reason="x", amount=eur("1.00"))
    assert fourth.credit_note.number == f"CN-{YEAR}-000004"


def test_a_refund_on_invoice_is_paid_back_once_by_transfer(order, user):
    refund = refund_order(order, user=user, key="k", reason="Late", amount=eur("10.00"))
    officer = finance()
    today = timezone.localdate()
    record_refund_paid_back(refund, user=officer, on=today)
    again = record_refund_paid_back(refund, user=officer, on=today)
    assert again.paid_back_on == today
    journal = Journal.objects.get(key=f"refund-paid:{refund.credit_note.number}")
    assert entries(journal) == {"shop:refunds-owed": Decimal("10.00"), "bank": Decimal("-10.00")}
    assert Account.objects.get(code="shop:refunds-owed").balance == Decimal("0.00")
    assert Journal.objects.filter(key__startswith="refund-paid:").count() == 1


def test_paying_back_is_refused_without_permission_or_in_the_future(order, user):
    refund = refund_order(order, user=user, key="k", reason="Late", amount=eur("10.00"))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        record_refund_paid_back(refund, user=user)
    with pytest.raises(ValidationError, match="future"):
        record_refund_paid_back(
            refund, user=finance(), on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert snapshot() == before
    refund.refresh_from_db()
    assert refund.paid_back_on is None
