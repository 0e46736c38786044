"""Importing statements and matching their credits to invoice orders
(``catalogue.statements.importing`` and ``matching``), with the sample files of
``tests/catalogue/statements/`` and the orders of ``statement_builders``."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from catalogue.models import BankStatement, Order, StatementLine
from catalogue.orders.lifecycle import expire_unpaid_orders, mark_paid
from catalogue.statements.importing import import_statement, match_line
from catalogue.statements.matching import outstanding
from catalogue.statements.parsed import StatementRefused
from core.testing.database import refused_by_the_database
from tests.catalogue.order_builders import staff
from tests.catalogue.statement_builders import (
    build_statement_orders,
    finance_officer,
    sample,
)
from wages.models import Entry, Journal
from workshops.models import Reservation, Stock

pytestmark = pytest.mark.django_db

CAMT, MT940 = "camt053_2026-05-04.xml", "mt940_2026-05-05.sta"


@pytest.fixture
def orders():
    return build_statement_orders()


@pytest.fixture
def finance():
    return finance_officer()


def imported(name, user):
    return import_statement(data=sample(name), file_name=name, user=user)


def states(statement):
    return [
        (line.position, line.state, line.order.number if line.order else None, line.excess.amount)
        for line in statement.lines.order_by("position").select_related("order")
    ]


def entries(key):
    journal = Journal.objects.get(key=key)
    return sorted(
        (entry.account.code, entry.amount)
        for entry in Entry.objects.filter(journal=journal).select_related("account")
    )


def snapshot():
    return (
        BankStatement.objects.count(),
        StatementLine.objects.count(),
        Journal.objects.count(),
        list(Order.objects.order_by("pk").values_list("status", flat=True)),
        list(Stock.objects.order_by("pk").values_list("on_hand", "reserved")),
    )


def test_a_camt_statement_matches_exact_partial_over_duplicate_and_leaves_the_rest(orders, finance):
    result = imported(CAMT, finance)
    assert result.created
    statement = result.statement
    assert (statement.iban, statement.statement_id, statement.uploaded_by) == (
        "NL91INGB0002445588",
        "2026050400124",
        finance,
    )
    assert states(statement) == [
        (1, "matched", "BW-2026-0001", Decimal("0.000")),
        (2, "partial", "BW-2026-0002", Decimal("0.000")),
        (3, "over", "BW-2026-0003", Decimal("10.000")),
        (4, "duplicate", "BW-2026-0004", Decimal("60.500")),
        (5, "unmatched", None, Decimal("0.000")),
        (6, "debit", None, Decimal("0.000")),
    ]
    status = dict(Order.objects.values_list("number", "status"))
    assert status == {
        "BW-2026-0001": "paid",
        "BW-2026-0002": "awaiting_payment",
        "BW-2026-0003": "paid",
        "BW-2026-0004": "paid",
        "BW-2026-0005": "awaiting_payment",
    }
    # 60.50 − 40.00 = 20.50 still owed on the partly paid order
    assert outstanding(orders["BW-2026-0002"]).amount == Decimal("20.50")
    assert Reservation.objects.get(pk=orders["BW-2026-0001"].reservation_id).state == "sold"
    assert Reservation.objects.get(pk=orders["BW-2026-0002"].reservation_id).state == "active"


def test_each_match_posts_its_journal_with_exact_amounts(orders, finance):
    statement = imported(CAMT, finance).statement
    line = {ln.position: ln.pk for ln in statement.lines.all()}
    assert entries(f"statement-line:{line[1]}") == [
        ("bank", Decimal("60.500")),
        ("shop:receivables", Decimal("-60.500")),
    ]
    assert entries(f"statement-line:{line[2]}") == [
        ("bank", Decimal("40.000")),
        ("shop:receivables", Decimal("-40.000")),
    ]
    # 70.50 received for 60.50 owed: 60.50 settles the receivable, 10.00 is owed back
    assert entries(f"statement-line:{line[3]}") == [
        ("bank", Decimal("70.500")),
        ("shop:overpayments", Decimal("-10.000")),
        ("shop:receivables", Decimal("-60.500")),
    ]
    assert entries(f"statement-line:{line[4]}") == [
        ("bank", Decimal("60.500")),
        ("shop:overpayments", Decimal("-60.500")),
    ]
    keys = set(Journal.objects.values_list("key", flat=True))
    assert not any(key.startswith("payment:") for key in keys)  # no full payment journal
    assert not any(key == f"statement-line:{line[5]}" for key in keys)


def test_a_later_statement_completes_a_partial_payment(
    orders, finance, django_capture_on_commit_callbacks
):
    imported(CAMT, finance)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statement = imported(MT940, finance).statement
    assert states(statement) == [
        (1, "matched", "BW-2026-0002", Decimal("0.000")),
        (2, "unmatched", None, Decimal("0.000")),
        (3, "debit", None, Decimal("0.000")),
    ]
    order = Order.objects.get(number="BW-2026-0002")
    assert order.status == "paid"
    assert outstanding(order).amount == Decimal("0")
    assert [message.to for message in mail.outbox] == [["buyer@example.org"]]


def test_the_same_statement_twice_changes_nothing_and_says_so(orders, finance):
    first = imported(CAMT, finance)
    before = snapshot()
    again = imported(CAMT, finance)
    assert (again.created, again.statement) == (False, first.statement)
    assert snapshot() == before


def test_a_file_repeating_an_imported_entry_is_refused(orders, finance):
    imported(CAMT, finance)
    before = snapshot()
    data = sample(CAMT).replace(b"<Id>2026050400124</Id>", b"<Id>2026050400999</Id>")
    with pytest.raises(StatementRefused) as refused:
        import_statement(data=data, file_name="again.xml", user=finance)
    assert refused.value.messages == [
        "The bank entry 2026050412000101 was already imported with statement 2026050400124 "
        f"(file {CAMT}): this file overlaps it. Nothing was imported."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [b"", b"not a statement", b"<?xml version='1.0'?><Document", None],
    ids=["empty", "neither", "truncated", "truncated-mt940"],
)
def test_a_refused_file_changes_nothing(orders, finance, data):
    if data is None:
        whole = sample(MT940)
        data = whole[: whole.index(b":62F:")]
    before = snapshot()
    with pytest.raises(StatementRefused):
        import_statement(data=data, file_name="x", user=finance)
    assert snapshot() == before


@override_settings(BRIDGEWORK_CURRENCY="USD")
def test_a_statement_in_another_currency_changes_nothing(orders, finance):
    before = snapshot()
    with pytest.raises(StatementRefused):
        imported(CAMT, finance)
    assert snapshot() == before


def test_importing_needs_the_permission(orders):
    reader = staff("reader", "catalogue.view_bankstatement")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        imported(CAMT, reader)
    assert snapshot() == before


def test_an_unmatched_credit_is_matched_by_hand_and_posts_like_an_automatic_one(orders, finance):
    statement = imported(CAMT, finance).statement
    line = statement.lines.get(position=5)  # 25.00, no reference
    matched = match_line(line, order_number=" bw-2026-0005 ", user=finance)
    assert (matched.state, matched.order.number, matched.matched_by) == (
        "partial",
        "BW-2026-0005",
        finance,
    )
    assert entries(f"statement-line:{line.pk}") == [
        ("bank", Decimal("25.000")),
        ("shop:receivables", Decimal("-25.000")),
    ]
    assert outstanding(orders["BW-2026-0005"]).amount == Decimal("35.50")  # 60.50 − 25.00
    before = snapshot()
    assert match_line(line, order_number="BW-2026-0005", user=finance).pk == line.pk
    assert snapshot() == before  # a double click changes nothing


def test_a_manual_match_that_completes_a_partial_payment_pays_the_order(orders, finance):
    line = imported(CAMT, finance).statement.lines.get(position=5)  # 25.00 unmatched
    matched = match_line(line, order_number="BW-2026-0002", user=finance)
    # BW-2026-0002 still needed 20.50 after its 40.00: 25.00 pays it, 4.50 is owed back
    assert (matched.state, matched.excess.amount) == ("over", Decimal("4.50"))
    assert entries(f"statement-line:{line.pk}") == [
        ("bank", Decimal("25.000")),
        ("shop:overpayments", Decimal("-4.500")),
        ("shop:receivables", Decimal("-20.500")),
    ]
    assert Order.objects.get(number="BW-2026-0002").status == "paid"


@pytest.mark.parametrize(
    ("position", "number", "message"),
    [
        (5, "BW-2026-9999", "No order is numbered BW-2026-9999: check the number on the transfer or invoice."),
        (6, "BW-2026-0005", "This line is money paid out: only credits are matched."),
        (1, "BW-2026-0005", "This line is already matched to order BW-2026-0001."),
    ],
)  # fmt: skip
def test_a_refused_manual_match_changes_nothing(orders, finance, position, number, message):
    line = imported(CAMT, finance).statement.lines.get(position=position)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        match_line(line, order_number=number, user=finance)
    assert refused.value.messages == [message]
    assert snapshot() == before


def test_a_cancelled_order_is_not_matched_by_hand(orders, finance):
    line = imported(CAMT, finance).statement.lines.get(position=5)
    Order.objects.filter(number="BW-2026-0005").update(
        status="cancelled", cancelled_at="2026-04-30T10:00:00Z"
    )
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        match_line(line, order_number="BW-2026-0005", user=finance)
    assert refused.value.messages == [
        "Order BW-2026-0005 is cancelled: a payment for it is refunded, not matched."
    ]
    assert snapshot() == before


def test_matching_by_hand_needs_the_permission(orders, finance):
    line = imported(CAMT, finance).statement.lines.get(position=5)
    importer = staff("importer", "catalogue.import_bankstatement")
    with pytest.raises(PermissionDenied):
        match_line(line, order_number="BW-2026-0005", user=importer)
    assert StatementLine.objects.get(pk=line.pk).state == "unmatched"


def test_a_transfer_for_a_cancelled_order_waits_unmatched_with_the_reason(orders, finance):
    Order.objects.filter(number="BW-2026-0001").update(
        status="cancelled", cancelled_at="2026-04-30T10:00:00Z"
    )
    line = imported(CAMT, finance).statement.lines.get(position=1)
    assert (line.state, line.order, line.note) == (
        "unmatched",
        None,
        "Order BW-2026-0001 is cancelled: a payment for it is refunded, not matched.",
    )
    assert not Journal.objects.filter(key=f"statement-line:{line.pk}").exists()


def test_the_database_refuses_a_match_without_an_order_and_one_bank_entry_twice(orders, finance):
    statement = imported(CAMT, finance).statement
    unmatched = statement.lines.get(position=5)
    with refused_by_the_database():
        StatementLine.objects.filter(pk=unmatched.pk).update(state="matched")
    with refused_by_the_database():
        StatementLine.objects.filter(pk=unmatched.pk).update(
            state="duplicate", order=orders["BW-2026-0004"]
        )  # a duplicate owes all of it back
    line = statement.lines.get(position=6)
    line.pk, line.position = None, 7
    with refused_by_the_database():
        line.save()  # the same bank entry of the same account again


def test_an_order_partly_paid_by_transfer_keeps_its_stock_when_its_hold_ends(orders, finance):
    imported(CAMT, finance)
    partly_paid, unpaid = orders["BW-2026-0002"], orders["BW-2026-0005"]
    Reservation.objects.filter(pk__in=[partly_paid.reservation_id, unpaid.reservation_id]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert expire_unpaid_orders() == 1

    # The unpaid one is cancelled; the one with 40.00 received waits for finance.
    status = dict(Order.objects.values_list("number", "status"))
    assert (status["BW-2026-0002"], status["BW-2026-0005"]) == ("awaiting_payment", "cancelled")
    assert Reservation.objects.get(pk=partly_paid.reservation_id).state == "active"


def test_recording_the_rest_of_a_partly_paid_order_by_hand_posts_only_the_rest(orders, finance):
    imported(CAMT, finance)
    order = Order.objects.get(number="BW-2026-0002")

    mark_paid(order, user=staff("finance-two", "catalogue.mark_order_paid"))

    # 60.50 total − 40.00 matched from the statement = 20.50 received now; receivables end at 0.
    assert entries("payment:BW-2026-0002") == [
        ("bank", Decimal("20.50")),
        ("shop:receivables", Decimal("-20.50")),
    ]
    line = StatementLine.objects.get(order=order)
    keys = [f"invoice:{order.invoice.number}", f"statement-line:{line.pk}", "payment:BW-2026-0002"]
    receivable = Entry.objects.filter(account__code="shop:receivables", journal__key__in=keys)
    assert receivable.aggregate(total=Sum("amount"))["total"] == Decimal("0")
