"""Payments of labour invoices (``wages.invoices.labour_payment_record``): matched exactly or in
part, over-payments refused, back wages paid first and recorded once as the partner's receipt."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.wages.labour_invoice_builders import NOVEMBER, invoicing_state, work_week_1
from tests.wages.payrun_builders import balances, build_finance_officer, journal_entries
from wages.invoices import labour_invoice_issue, labour_payment_record
from wages.ledger import verify_ledger
from wages.models import BackWagesReceipt, LabourInvoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(pay_world):
    work_week_1(pay_world)  # total 213.65, of which back wages 9.00
    return labour_invoice_issue(
        partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay_world.calculator
    )


def pay(invoice, amount, reference, user):
    return labour_payment_record(
        invoice=invoice,
        amount=Decimal(amount),
        on=timezone.localdate(),
        reference=reference,
        user=user,
    )


def test_a_part_payment_covers_the_back_wages_first_then_the_rest_pays_in_full(pay_world, invoice):
    partner = pay_world.partner.pk
    first = pay(invoice, "5.00", "BANK-1", pay_world.calculator)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid, first.back_wages) == (
        LabourInvoice.Status.PARTLY_PAID,
        Decimal("5.000"),
        Decimal("5.000"),  # all of it back wages: they are paid first
    )
    assert journal_entries(f"labour-invoice:{invoice.number}:payment:1") == [
        ("bank", Decimal("5.000")),
        (f"partner:{partner}:receivable", Decimal("-5.000")),
    ]
    second = pay(invoice, "208.65", "BANK-2", pay_world.calculator)  # 213.65 − 5.00

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid, second.back_wages) == (
        LabourInvoice.Status.PAID,
        Decimal("213.650"),
        Decimal("4.000"),  # 9.00 − 5.00 still to cover
    )
    assert list(BackWagesReceipt.objects.order_by("key").values_list("key", "payer", "amount")) == [
        (f"labour-invoice:{invoice.number}:back-wages:1", f"partner:{partner}", Decimal("5.000")),
        (f"labour-invoice:{invoice.number}:back-wages:2", f"partner:{partner}", Decimal("4.000")),
    ]
    assert balances()[f"partner:{partner}:receivable"] == Decimal("0.000")
    assert verify_ledger() == []


def test_an_exact_payment_pays_the_invoice(pay_world, invoice):
    pay(invoice, "213.65", "BANK-1", pay_world.calculator)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.outstanding) == (LabourInvoice.Status.PAID, Decimal("0.000"))
    assert list(BackWagesReceipt.objects.values_list("amount", flat=True)) == [Decimal("9.000")]


def test_a_payment_after_the_back_wages_records_no_receipt(pay_world, invoice):
    pay(invoice, "9.00", "BANK-1", pay_world.calculator)
    pay(invoice, "10.00", "BANK-2", pay_world.calculator)
    assert BackWagesReceipt.objects.count() == 1


def _refused(invoice, amount, reference, user, message, exception=ValidationError):
    before = invoicing_state()
    with pytest.raises(exception) as refused:
        pay(invoice, amount, reference, user)
    if message:
        assert " ".join(refused.value.messages) == message
    assert invoicing_state() == before


def test_an_over_payment_is_refused_in_words(pay_world, invoice):
    _refused(
        invoice,
        "300.00",
        "BANK-1",
        pay_world.calculator,
        f"€300.00 is more than the €213.65 still owed on invoice {invoice.number}: record "
        "€213.65 and return the other €86.35 to the partner.",
    )


def test_the_same_bank_reference_twice_is_refused(pay_world, invoice):
    pay(invoice, "1.00", "BANK-1", pay_world.calculator)
    _refused(
        invoice,
        "1.00",
        "BANK-1",
        pay_world.calculator,
        f"Payment BANK-1 is already recorded against invoice {invoice.number}.",
    )


def test_a_paid_invoice_takes_no_more(pay_world, invoice):
    pay(invoice, "213.65", "BANK-1", pay_world.calculator)
    _refused(
        invoice,
        "1.00",
        "BANK-2",
        pay_world.calculator,
        f"Invoice {invoice.number} is paid in full: nothing more is owed on it.",
    )


def test_only_finance_records_payments(pay_world, invoice):
    auditor = build_finance_officer("reader", role="auditor")
    _refused(invoice, "1.00", "BANK-1", auditor, None, exception=PermissionDenied)
