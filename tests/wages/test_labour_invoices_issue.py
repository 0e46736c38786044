"""Issuing a partner's labour invoice (``wages.invoices``, Mandela Rule 100.2): a worked example
of what it charges and how it is posted, and every refusal changing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.wages.labour_invoice_builders import NOVEMBER, invoicing_state, work_week_1
from tests.wages.payrun_builders import D, build_finance_officer, journal_entries, record
from tests.workshops.builders import build_partner
from wages.invoices import labour_invoice_issue
from wages.ledger import verify_ledger
from wages.models import (
    LabourInvoice,
    LabourInvoiceCounter,
    LabourInvoiceRun,
    MarketWageBenchmark,
)
from workshops.models import Contract

pytestmark = pytest.mark.django_db


def test_an_invoice_charges_the_full_normal_wage_and_the_back_wages(pay_world):
    run = work_week_1(pay_world)
    partner = pay_world.partner.pk

    invoice = labour_invoice_issue(
        partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay_world.calculator
    )

    today = timezone.localdate()
    assert invoice.number == f"LI-{today.year}-000001"
    assert (invoice.issued_on, invoice.due_on) == (today, today + datetime.timedelta(days=30))
    # Bakery (C-1): 8 + 10 = 18 hours × max(market 7.00, charge 9.00) = 18 × 9.00 = 162.00
    # Packing (C-2): 5.25 hours × max(market 8.1234, charge 7.50) = 42.64785, rounded half up
    # to the cent: 42.65
    assert [
        (
            line.kind,
            line.contract.reference,
            line.hours,
            line.benchmark_hourly,
            line.rate,
            line.amount,
        )
        for line in invoice.lines.exclude(kind="back_wages").order_by("contract__reference")
    ] == [
        (
            "labour",
            "C-1",
            Decimal("18.00"),
            Decimal("7.0000"),
            Decimal("9.0000"),
            Decimal("162.000"),
        ),
        ("labour", "C-2", Decimal("5.25"), Decimal("8.1234"), Decimal("8.1234"), Decimal("42.650")),
    ]
    # Back wages the run found the partner owes: 4.00 + 5.00 = 9.00, on a line of its own
    assert list(invoice.lines.filter(kind="back_wages").values_list("amount", flat=True)) == [
        Decimal("9.000")
    ]
    # Labour 162.00 + 42.65 = 204.65; wages paid 52.00 + 65.00 + 43.05 = 160.05;
    # total 204.65 + 9.00 = 213.65
    assert (invoice.labour, invoice.wages_charged, invoice.back_wages, invoice.total) == (
        Decimal("204.65"),
        Decimal("160.05"),
        Decimal("9.00"),
        Decimal("213.65"),
    )
    # Dr receivable 213.65 = Cr labour (160.05 wages + 9.00 back wages = 169.05)
    #                       + Cr labour-income (204.65 − 160.05 = 44.60)
    assert journal_entries(f"labour-invoice:{invoice.number}") == [
        ("labour-income", Decimal("-44.600")),
        (f"partner:{partner}:labour", Decimal("-169.050")),
        (f"partner:{partner}:receivable", Decimal("213.650")),
    ]
    # The runs had debited the labour account 169.05; the invoice clears it
    from tests.wages.payrun_builders import balances

    assert balances()[f"partner:{partner}:labour"] == Decimal("0.000")
    assert list(LabourInvoiceRun.objects.values_list("run", "wages", "back_wages")) == [
        (run.pk, Decimal("160.050"), Decimal("9.000"))
    ]
    assert verify_ledger() == []


def test_the_partner_pays_at_least_what_its_workers_were_paid(pay_world):
    """Piece work paid above hours × rate: a line charges the difference, so labour income is
    never negative."""
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.bakery, D(2026, 11, 2), "1", pieces=200)
    from tests.wages.payrun_builders import posted

    posted(pay_world)  # 1 × 6.50 + 200 × 0.10 = 26.50 paid; 1 hour × 9.00 = 9.00 charged

    invoice = labour_invoice_issue(
        partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay_world.calculator
    )

    assert sorted(invoice.lines.values_list("kind", "amount")) == [
        ("labour", Decimal("9.000")),
        ("wages_above", Decimal("17.500")),  # 26.50 − 9.00
    ]
    assert (invoice.labour, invoice.total) == (Decimal("26.50"), Decimal("26.50"))
    assert "labour-income" not in dict(journal_entries(f"labour-invoice:{invoice.number}"))


def _refused(pay_world, message, *, start=NOVEMBER[0], end=NOVEMBER[1], partner=None):
    before = invoicing_state()
    with pytest.raises(ValidationError) as refused:
        labour_invoice_issue(
            partner=partner or pay_world.partner, start=start, end=end, user=pay_world.calculator
        )
    assert message in " ".join(refused.value.messages)
    assert invoicing_state() == before


def test_a_period_with_no_contract_in_force_is_refused(pay_world):
    work_week_1(pay_world)
    _refused(
        pay_world,
        "Acme had no contract in force from Jan 1, 2025 to Jan 31, 2025: there is no labour to "
        "invoice. Check the period, or the partner's contracts.",
        start=D(2025, 1, 1),
        end=D(2025, 1, 31),
    )


def test_a_period_reversed_or_not_over_is_refused(pay_world):
    work_week_1(pay_world)
    _refused(pay_world, "before it starts", start=D(2026, 11, 30), end=D(2026, 11, 1))
    today = timezone.localdate()
    _refused(pay_world, "a period is invoiced once it is over", start=today, end=today)


def test_a_period_overlapping_an_earlier_invoice_is_refused(pay_world):
    work_week_1(pay_world)
    first = labour_invoice_issue(
        partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay_world.calculator
    )
    _refused(
        pay_world,
        f"Invoice {first.number} already charges Acme for Nov 1, 2026 to Nov 30, 2026: invoice "
        "the days after it.",
        start=D(2026, 11, 15),
        end=D(2026, 12, 1),
    )


def test_hours_without_a_benchmark_are_refused_naming_the_trade_and_region(pay_world):
    work_week_1(pay_world)
    MarketWageBenchmark.objects.filter(trade__slug="packing").delete()
    region = pay_world.prison.region
    _refused(
        pay_world,
        f"No market wage benchmark observed on or before Nov 30, 2026 for Packing in {region}: add "
        "one under Pay → Market wage benchmarks, then issue the invoice.",
    )


def test_work_not_yet_paid_by_a_posted_run_is_refused(pay_world):
    work_week_1(pay_world)
    record(pay_world, pay_world.workers[1], pay_world.bakery, D(2026, 11, 10), "4")
    _refused(
        pay_world,
        "1 production records of Workshop bakery-north in the period, the first on Nov 10, 2026, "
        "are not yet paid by a posted pay run of North Prison: post its run for those days first.",
    )


def test_a_run_across_the_edge_of_the_period_is_refused(pay_world):
    work_week_1(pay_world)
    _refused(pay_world, "across the edge of the period", start=D(2026, 11, 3), end=D(2026, 11, 30))


def test_only_finance_issues_invoices(pay_world):
    work_week_1(pay_world)
    auditor = build_finance_officer("reader", role="auditor")
    before = invoicing_state()
    with pytest.raises(PermissionDenied):
        labour_invoice_issue(
            partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=auditor
        )
    assert invoicing_state() == before


def test_a_contract_ending_in_the_period_counts_only_its_days(pay_world):
    work_week_1(pay_world)
    Contract.objects.filter(reference="C-1").update(end=D(2026, 11, 2))
    # the bakery's 3 Nov work then has no contract with the partner: its hours are not charged
    invoice = labour_invoice_issue(
        partner=pay_world.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay_world.calculator
    )
    assert invoice.lines.get(contract__reference="C-1").hours == Decimal("8.00")


def test_an_invoice_issued_on_a_past_day_is_due_from_it(pay_world):
    work_week_1(pay_world)
    invoice = labour_invoice_issue(
        partner=pay_world.partner,
        start=NOVEMBER[0],
        end=NOVEMBER[1],
        user=pay_world.calculator,
        on=D(2026, 12, 3),
    )
    assert (invoice.number, invoice.issued_on, invoice.due_on) == (
        "LI-2026-000001",
        D(2026, 12, 3),
        D(2027, 1, 2),
    )


def test_an_invoice_dated_before_the_last_of_its_series_is_refused(pay_world):
    work_week_1(pay_world)
    other = build_partner("beta")
    LabourInvoice.objects.create(
        number="LI-2026-000001",
        year=2026,
        sequence=1,
        partner=other,
        period_start=D(2026, 10, 1),
        period_end=D(2026, 10, 31),
        issued_on=D(2026, 12, 4),
        due_on=D(2027, 1, 3),
        currency="EUR",
        labour=Decimal(10),
        wages_charged=Decimal(0),
        back_wages=Decimal(0),
        total=Decimal(10),
        language="en",
        journal_key="labour-invoice:LI-2026-000001",
        issued_by=pay_world.calculator,
    )
    LabourInvoiceCounter.objects.create(year=2026, last=1)
    before = invoicing_state()
    with pytest.raises(ValidationError) as refused:
        labour_invoice_issue(
            partner=pay_world.partner,
            start=NOVEMBER[0],
            end=NOVEMBER[1],
            user=pay_world.calculator,
            on=D(2026, 12, 3),
        )
    assert refused.value.messages == [
        "Invoice LI-2026-000001 was issued on Dec 4, 2026: a later number cannot carry an "
        "earlier date. Issue this one on Dec 4, 2026 or later."
    ]
    assert invoicing_state() == before
    assert LabourInvoiceCounter.objects.get().last == 1
