"""WAGE_FLOOR: effective hourly pay of posted runs against the floor (own work: 45 % of the
minimum wage 5.00 = 2.25 an hour; the partner's bakery: the market wage 7.00 an hour)."""

import pytest

from tests.compliance.pay_builders import (
    D,
    as_json,
    build_rate,
    build_rules_world,
    check,
    cited,
    partner_scope,
    prison_scope,
    queries,
    work_week_1,
    workshop_scope,
)
from tests.wages.payrun_builders import calculated, posted, record

RUN = "PR-north-prison-2026-11-02"


@pytest.mark.django_db
def test_pay_exactly_at_both_floors_passes():
    pay = build_rules_world(own_hourly="2.25", contract_hourly="7.00")
    work_week_1(pay)

    assert check("WAGE_FLOOR", prison_scope(pay)) == []
    assert check("WAGE_FLOOR", partner_scope(pay)) == []


@pytest.mark.django_db
def test_own_work_a_cent_an_hour_below_the_floor_is_critical():
    pay = build_rules_world(workers=1, own_hourly="2.24")
    work_week_1(pay)
    tailoring = pay.records[pay.workers[0].pk][0]

    # 8 h × 2.24 = 17.92 paid; 8 h × 2.25 = 18.00 due: 0.08 short
    assert as_json(check("WAGE_FLOOR", workshop_scope(pay.tailoring))) == [
        {
            "code": "WAGE_FLOOR",
            "severity": "critical",
            "scope": "workshop:tailoring-north",
            "worker": "W-000000",
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": "effective pay €2.24/h below the floor €2.25/h (45% of the minimum wage "
            "€5.00/h) for 8 hours of the administration's own work in pay run " + RUN,
            "missing_data": False,
            "figures": {
                "run": RUN,
                "payer": "own",
                "hours": "8.00",
                "paid": "17.92",
                "effective_hourly": "2.2400",
                "floor_hourly": "2.2500",
                "shortfall": "0.08",
            },
            "evidence": [
                {
                    "model": "wages.payrun",
                    "id": pay.run.pk,
                    "url": f"/admin/wages/payrun/inspect/{pay.run.pk}/",
                },
                *cited(
                    ("wages.paypolicy", pay.policy.pk), ("workshops.productionrecord", tailoring.pk)
                ),
            ],
        }
    ]


@pytest.mark.django_db
def test_partner_work_a_cent_an_hour_below_the_market_wage_is_critical():
    pay = build_rules_world(workers=1, contract_hourly="6.99")
    work_week_1(pay)
    bakery = pay.records[pay.workers[0].pk][1]

    [finding] = as_json(check("WAGE_FLOOR", partner_scope(pay)))

    assert finding["scope"] == "partner:acme"
    assert finding["worker"] == "W-000000"
    assert finding["detail"] == (
        "effective pay €6.99/h below the market wage €7.00/h for Bakery in the North region, "
        "for 8 hours of work for Acme in pay run " + RUN
    )
    assert finding["figures"] == {
        "run": RUN,
        "payer": f"partner:{pay.partner.pk}",
        "hours": "8.00",
        "paid": "55.92",
        "effective_hourly": "6.9900",
        "floor_hourly": "7.0000",
        "shortfall": "0.08",
        "partner": "acme",
        "trade": "bakery",
        "region": "north",
    }
    assert finding["evidence"] == cited(
        ("wages.payrun", pay.run.pk),
        ("wages.marketwagebenchmark", pay.benchmark.pk),
        ("workshops.productionrecord", bakery.pk),
    )


@pytest.mark.django_db
def test_piece_rates_are_converted_to_an_hourly_figure():
    pay = build_rules_world(workers=2, own_hourly="2.25")
    pay.tailoring.pay_rates.all().delete()
    build_rate(workshop=pay.tailoring, hourly="2.00", piece="0.1250")
    first, second = pay.workers
    # 8 h × 2.00 + 16 × 0.125 = 18.00: exactly the floor; 15 pieces: 17.875, 0.12 short
    record(pay, first, pay.tailoring, D(2026, 11, 2), "8", 16)
    record(pay, second, pay.tailoring, D(2026, 11, 2), "8", 15)
    posted(pay)

    [finding] = check("WAGE_FLOOR", prison_scope(pay))

    assert finding.worker == "W-000001"
    assert str(finding.figures["effective_hourly"]) == "2.2344"  # 17.875 / 8
    assert (str(finding.figures["paid"]), str(finding.figures["shortfall"])) == ("17.88", "0.12")


@pytest.mark.django_db
def test_partner_work_in_a_trade_without_a_benchmark_is_missing_data():
    pay = build_rules_world(workers=1, benchmark=None)
    work_week_1(pay)
    bakery = pay.records[pay.workers[0].pk][1]

    assert as_json(check("WAGE_FLOOR", partner_scope(pay))) == [
        {
            "code": "WAGE_FLOOR",
            "severity": "critical",
            "scope": "partner:acme",
            "worker": None,
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": "No market wage benchmark for Bakery in the North region: 8 hours of "
            "partner work in it cannot be judged against the market wage.",
            "missing_data": True,
            "figures": {"trade": "bakery", "region": "north", "hours": "8.00"},
            "evidence": cited(
                ("wages.payrun", pay.run.pk), ("workshops.productionrecord", bakery.pk)
            ),
        }
    ]


@pytest.mark.django_db
def test_work_no_posted_run_paid_yet_is_missing_data_of_minor_severity():
    pay = build_rules_world(workers=1)
    work_week_1(pay, post=False)
    first, second = pay.records[pay.workers[0].pk]

    assert as_json(check("WAGE_FLOOR", prison_scope(pay))) == [
        {
            "code": "WAGE_FLOOR",
            "severity": "minor",
            "scope": "prison:north-prison",
            "worker": None,
            "start": "2026-11-02",
            "end": "2026-11-03",
            "detail": "2 production records in scope from Nov 2, 2026 to Nov 3, 2026 are not in "
            "any posted pay run yet: their pay cannot be judged.",
            "missing_data": True,
            "figures": {"records": 2},
            "evidence": cited(
                ("workshops.productionrecord", first.pk),
                ("workshops.productionrecord", second.pk),
            ),
        }
    ]


@pytest.mark.django_db
def test_a_run_calculated_but_not_posted_is_not_what_workers_were_paid():
    pay = build_rules_world(workers=1, own_hourly="2.24")
    work_week_1(pay, post=False)
    calculated(pay)

    assert [
        (f.severity, f.missing_data, f.figures) for f in check("WAGE_FLOOR", prison_scope(pay))
    ] == [("minor", True, {"records": 2})]


@pytest.mark.django_db
def test_no_pay_policy_in_force_is_missing_data():
    pay = build_rules_world(workers=1, policy=False)

    [finding] = check("WAGE_FLOOR", prison_scope(pay))

    assert (finding.severity, finding.missing_data, finding.start, finding.end) == (
        "critical",
        True,
        D(2026, 11, 1),
        D(2026, 11, 30),
    )
    assert finding.detail == (
        "No pay policy was in force from Nov 1, 2026 to Nov 30, 2026: the floor of the "
        "administration's own work is unknown."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = build_rules_world(workers=workers, own_hourly="2.24", contract_hourly="6.99")
    work_week_1(pay)

    assert len(check("WAGE_FLOOR", prison_scope(pay))) == 2 * workers
    assert queries("WAGE_FLOOR", prison_scope(pay)) == 10
    assert queries("WAGE_FLOOR", partner_scope(pay)) == 9
