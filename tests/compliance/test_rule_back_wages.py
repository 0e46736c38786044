"""BACK_WAGES: a shortfall below the floor in a posted run is owed to the worker as back wages.

The pay run owes what its own calculation finds; a benchmark recorded late (observed within the
run's period, entered after it was posted) shows a shortfall the run did not owe."""

import pytest

from tests.compliance.pay_builders import (
    D,
    as_json,
    build_rules_world,
    check,
    cited,
    partner_scope,
    prison_scope,
    queries,
    work_week_1,
)
from tests.wages.payrun_builders import build_benchmark
from wages.models import Journal

RUN = "PR-north-prison-2026-11-02"


def journal(worker) -> int:
    return Journal.objects.get(key=f"payrun:{RUN}:{worker.reference}").pk


@pytest.mark.django_db
def test_pay_at_the_floor_owes_nothing_and_passes():
    pay = build_rules_world()
    work_week_1(pay)

    assert check("BACK_WAGES", prison_scope(pay)) == []


@pytest.mark.django_db
def test_back_wages_owed_in_full_are_reported_with_the_amount_owed():
    pay = build_rules_world(workers=1, own_hourly="2.24")
    work_week_1(pay)
    worker = pay.workers[0]
    tailoring = pay.records[worker.pk][0]

    assert as_json(check("BACK_WAGES", prison_scope(pay))) == [
        {
            "code": "BACK_WAGES",
            "severity": "minor",
            "scope": "prison:north-prison",
            "worker": "W-000000",
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": "paid €0.08 below the floor in pay run " + RUN + ": €0.08 back wages owed "
            "to the worker by the administration; €0.08 of what the administration owes the "
            "worker still unpaid on Nov 30, 2026",
            "missing_data": False,
            "figures": {
                "run": RUN,
                "payer": "own",
                "shortfall": "0.08",
                "owed": "0.08",
                "unpaid": "0.08",
            },
            "evidence": cited(
                ("wages.payrun", pay.run.pk),
                ("wages.journal", journal(worker)),
                ("workshops.productionrecord", tailoring.pk),
            ),
        }
    ]


@pytest.mark.django_db
def test_a_shortfall_a_cent_above_the_back_wages_owed_is_major():
    pay = build_rules_world(workers=1)
    work_week_1(pay)  # 8 h × 7.00 = 56.00 paid, at the market wage: nothing owed
    worker = pay.workers[0]
    bakery = pay.records[worker.pk][1]
    late = build_benchmark(pay.bakery.trade, pay.prison.region, "7.00125", D(2026, 11, 8))

    # 8 h × 7.00125 = 56.01 due: 0.01 short, none owed
    assert as_json(check("BACK_WAGES", partner_scope(pay))) == [
        {
            "code": "BACK_WAGES",
            "severity": "major",
            "scope": "partner:acme",
            "worker": "W-000000",
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": "paid €0.01 below the floor in pay run " + RUN + " for work paid by Acme, "
            "but only €0.00 back wages owed to the worker: €0.01 short",
            "missing_data": False,
            "figures": {
                "run": RUN,
                "payer": f"partner:{pay.partner.pk}",
                "shortfall": "0.01",
                "owed": "0.00",
                "missing": "0.01",
            },
            "evidence": cited(
                ("wages.payrun", pay.run.pk),
                ("wages.journal", journal(worker)),
                ("wages.marketwagebenchmark", late.pk),
                ("workshops.productionrecord", bakery.pk),
            ),
        }
    ]


@pytest.mark.django_db
def test_a_late_benchmark_that_rounds_to_what_was_paid_owes_nothing():
    pay = build_rules_world(workers=1)
    work_week_1(pay)
    # 8 h × 7.00062 = 56.00496, rounded to 56.00: what was paid
    build_benchmark(pay.bakery.trade, pay.prison.region, "7.00062", D(2026, 11, 8))

    assert check("BACK_WAGES", partner_scope(pay)) == []


@pytest.mark.django_db
def test_no_benchmark_is_missing_data():
    pay = build_rules_world(workers=1, benchmark=None)
    work_week_1(pay)

    [finding] = check("BACK_WAGES", partner_scope(pay))

    assert (finding.code, finding.severity, finding.missing_data) == ("BACK_WAGES", "major", True)
    assert finding.detail == (
        "No market wage benchmark for Bakery in the North region: 8 hours of partner work in it "
        "cannot be judged against the market wage."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = build_rules_world(workers=workers, own_hourly="2.24", contract_hourly="6.99")
    work_week_1(pay)

    assert len(check("BACK_WAGES", prison_scope(pay))) == 2 * workers
    assert queries("BACK_WAGES", prison_scope(pay)) == 13
