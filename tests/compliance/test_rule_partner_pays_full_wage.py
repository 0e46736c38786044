"""PARTNER_PAYS_FULL_WAGE: the partner's labour invoices charge at least the hours × the market
wage (Bakery in the North region: 7.00 an hour), and its contracts' labour charge is not below
it."""

from decimal import Decimal

import pytest
from djmoney.money import Money

from tests.compliance.pay_builders import (
    NOVEMBER,
    as_json,
    build_rules_world,
    check,
    cited,
    labour_invoice_row,
    partner_scope,
    prison_scope,
    queries,
    work_week_1,
)
from wages.invoices.operations import labour_invoice_issue


def bakery_records(pay):
    return sorted(records[1].pk for records in pay.records.values())


@pytest.mark.django_db
def test_an_issued_invoice_passes():
    pay = build_rules_world()
    work_week_1(pay)
    labour_invoice_issue(
        partner=pay.partner, start=NOVEMBER[0], end=NOVEMBER[1], user=pay.calculator
    )  # 16 h × the labour charge 9.00 = 144.00

    assert check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay)) == []
    assert check("PARTNER_PAYS_FULL_WAGE", prison_scope(pay)) == []


@pytest.mark.django_db
def test_labour_exactly_at_the_normal_wage_cost_passes():
    pay = build_rules_world(workers=2)
    work_week_1(pay)
    labour_invoice_row(pay, "112.00")  # 16 h × 7.00

    assert check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay)) == []


@pytest.mark.django_db
def test_labour_a_cent_below_the_normal_wage_cost_is_major():
    pay = build_rules_world(workers=2)
    work_week_1(pay)
    invoice = labour_invoice_row(pay, "111.99")

    assert as_json(check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay))) == [
        {
            "code": "PARTNER_PAYS_FULL_WAGE",
            "severity": "major",
            "scope": "partner:acme",
            "worker": None,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "detail": "labour invoice LI-2026-900001 charges Acme €111.99 for labour, below the "
            "normal wage cost €112.00 of 16 hours at the market wage",
            "missing_data": False,
            "figures": {
                "invoice": "LI-2026-900001",
                "hours": "16.00",
                "labour": "111.99",
                "normal_wage_cost": "112.00",
            },
            "evidence": cited(
                ("wages.labourinvoice", invoice.pk),
                ("wages.marketwagebenchmark", pay.benchmark.pk),
                ("workshops.productionrecord", bakery_records(pay)[0]),
            ),
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("charge", "found"), [("7.00", 0), ("6.99", 1)])
def test_a_labour_charge_below_the_market_wage_is_major(charge, found):
    pay = build_rules_world(workers=1)
    pay.contract.labour_charge_per_hour = Money(Decimal(charge), "EUR")
    pay.contract.save()

    findings = as_json(check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay)))

    assert len(findings) == found
    if found:
        assert findings[0]["detail"] == (
            "contract C-1 with Acme charges €6.99/h for labour, below the market wage €7.00/h "
            "for Bakery in the North region"
        )
        assert findings[0]["figures"] == {
            "contract": "C-1",
            "labour_charge_hourly": "6.9900",
            "market_hourly": "7.0000",
        }
        assert findings[0]["evidence"] == cited(
            ("workshops.contract", pay.contract.pk),
            ("wages.marketwagebenchmark", pay.benchmark.pk),
        )


@pytest.mark.django_db
def test_hours_on_no_labour_invoice_are_missing_data():
    pay = build_rules_world(workers=2)
    work_week_1(pay)

    assert as_json(check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay))) == [
        {
            "code": "PARTNER_PAYS_FULL_WAGE",
            "severity": "major",
            "scope": "partner:acme",
            "worker": None,
            "start": "2026-11-03",
            "end": "2026-11-03",
            "detail": "16 hours worked under contract C-1 with Acme from Nov 3, 2026 to Nov 3, "
            "2026 were paid by posted pay runs but are on no labour invoice.",
            "missing_data": True,
            "figures": {
                "contract": "C-1",
                "uninvoiced_hours": "16.00",
                "paid_by_posted_runs": True,
            },
            "evidence": cited(
                ("workshops.contract", pay.contract.pk),
                ("workshops.productionrecord", bakery_records(pay)[0]),
            ),
        }
    ]


@pytest.mark.django_db
def test_hours_no_posted_run_paid_yet_are_minor_missing_data():
    pay = build_rules_world(workers=1)
    work_week_1(pay, post=False)

    [finding] = check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay))

    assert (finding.severity, finding.missing_data) == ("minor", True)
    assert finding.detail == (
        "8 hours worked under contract C-1 with Acme from Nov 3, 2026 to Nov 3, 2026 are on no "
        "labour invoice yet: no posted pay run has paid them, so they cannot be invoiced before "
        "one does."
    )


@pytest.mark.django_db
def test_no_benchmark_for_a_contracts_trade_is_missing_data():
    pay = build_rules_world(workers=1, benchmark=None)

    assert as_json(check("PARTNER_PAYS_FULL_WAGE", partner_scope(pay))) == [
        {
            "code": "PARTNER_PAYS_FULL_WAGE",
            "severity": "major",
            "scope": "partner:acme",
            "worker": None,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "detail": "No market wage benchmark for Bakery in the North region observed by Nov "
            "30, 2026: the normal wage cost of contract C-1 is unknown.",
            "missing_data": True,
            "figures": {"contract": "C-1", "trade": "bakery"},
            "evidence": cited(("workshops.contract", pay.contract.pk)),
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = build_rules_world(workers=workers)
    work_week_1(pay)
    labour_invoice_row(pay, "0.01")

    assert len(check("PARTNER_PAYS_FULL_WAGE", prison_scope(pay))) == 1
    assert queries("PARTNER_PAYS_FULL_WAGE", prison_scope(pay)) == 6
