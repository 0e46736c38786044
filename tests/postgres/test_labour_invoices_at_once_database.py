"""Labour invoices under concurrency on PostgreSQL, with real connections: two partners'
invoices issued at once take consecutive numbers of their own series, without gap or duplicate;
one partner's period invoiced twice at once is one invoice (the other is refused for the
overlap and takes no number); a payment recorded twice at once is one payment and one receipt."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from djmoney.money import Money

from core.testing.database import race
from tests.wages.labour_invoice_builders import NOVEMBER
from tests.wages.payrun_builders import (
    D,
    build_benchmark,
    build_pay_world,
    build_time_workshop,
    build_trade,
    posted,
    record,
)
from tests.workshops.builders import build_partner, contract_fields
from wages.invoices import labour_invoice_issue, labour_payment_record
from wages.models import BackWagesReceipt, LabourInvoice, LabourInvoiceCounter, LabourPayment
from workshops.models import Contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_partners():
    """Acme's bakery (C-1) and Beta's packing workshop (C-2), each worked in week 1, posted."""
    pay = build_pay_world()
    beta = build_partner("beta")
    trade = build_trade("packing", "Packing", "9321")
    packing = build_time_workshop("packing-north", trade, pay.prison)
    Contract.objects.create(workshop=packing, **contract_fields(beta, reference="C-2"))
    build_benchmark(trade, pay.prison.region, "8.00", D(2026, 10, 1))
    record(pay, pay.workers[0], pay.bakery, D(2026, 11, 2), "8")
    record(pay, pay.workers[1], packing, D(2026, 11, 3), "6")
    posted(pay)
    return pay, beta


def issue(pay, partner):
    return lambda: labour_invoice_issue(
        partner=partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay.calculator
    )


def test_two_partners_invoiced_at_once_get_consecutive_numbers(two_partners):
    pay, beta = two_partners
    outcomes = race(issue(pay, pay.partner), issue(pay, beta))
    year = timezone.localdate().year
    assert sorted(invoice.number for invoice in outcomes) == [
        f"LI-{year}-000001",
        f"LI-{year}-000002",
    ]
    assert LabourInvoiceCounter.objects.get(year=year).last == 2


def test_one_period_invoiced_twice_at_once_is_one_invoice(two_partners):
    pay, _beta = two_partners
    outcomes = race(*(issue(pay, pay.partner) for _ in range(4)))
    invoices = [outcome for outcome in outcomes if isinstance(outcome, LabourInvoice)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(invoices), len(refused)) == (1, 3)
    assert LabourInvoice.objects.count() == 1
    assert LabourInvoiceCounter.objects.get().last == 1  # the refused ones took no number


def test_a_payment_recorded_twice_at_once_is_one_payment(two_partners):
    pay, _beta = two_partners
    invoice = issue(pay, pay.partner)()
    # 8 h × max(7.00, 9.00) = 72.00; back wages 8 × (7.00 − 6.50) = 4.00; total 76.00
    assert invoice.total == Decimal("76.00")
    outcomes = race(
        *(
            lambda: labour_payment_record(
                invoice=invoice,
                amount=Decimal("76.00"),
                on=timezone.localdate(),
                reference="BANK-1",
                user=pay.calculator,
            )
            for _ in range(3)
        )
    )
    assert sum(isinstance(outcome, LabourPayment) for outcome in outcomes) == 1
    assert LabourPayment.objects.count() == 1
    assert list(BackWagesReceipt.objects.values_list("amount", flat=True)) == [Decimal("4.000")]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid) == ("paid", Decimal("76.000"))
    assert Money(invoice.total, "EUR") == Money("76.00", "EUR")
