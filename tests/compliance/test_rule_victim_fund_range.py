"""VICTIM_FUND_RANGE: the victims' fund (the category used as such, never by its code) takes
5–20 % of gross, in the policy and on the posted lines."""

import pytest

from tests.compliance.pay_builders import (
    as_json,
    build_categories,
    build_rules_world,
    build_thresholds,
    check,
    cited,
    posted_row_run,
    prison_scope,
    queries,
    work_week_1,
)


def world(victims="5", **fields):
    pay = build_rules_world(
        allocations=(
            ("family", "10", 1),
            ("release-savings", "20", 2),
            ("victims-fund", victims, 3),
        ),
        **fields,
    )
    pay.thresholds = build_thresholds(minimum="5", maximum="20")
    return pay


def lines(pay, *amounts):
    return [
        {"worker": worker, "gross": "100.00", "deductions": {"victims-fund": amount}}
        for worker, amount in zip(pay.workers, amounts, strict=True)
    ]


@pytest.mark.django_db
def test_a_calculated_run_within_the_range_passes():
    pay = world()
    work_week_1(pay)

    assert check("VICTIM_FUND_RANGE", prison_scope(pay)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("share", ["5", "20"])
def test_a_policy_at_either_bound_passes(share):
    pay = world(victims=share)

    assert check("VICTIM_FUND_RANGE", prison_scope(pay)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("share", "written"), [("4.99", "4.99%"), ("20.01", "20.01%")])
def test_a_policy_a_hundredth_outside_the_range_is_minor(share, written):
    pay = world(victims=share)

    assert as_json(check("VICTIM_FUND_RANGE", prison_scope(pay))) == [
        {
            "code": "VICTIM_FUND_RANGE",
            "severity": "minor",
            "scope": "prison:north-prison",
            "worker": None,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "detail": f"pay policy from Jan 1, 2026 allocates {written} of gross pay to Victims "
            "fund, outside the range 5% to 20%",
            "missing_data": False,
            "figures": {"share": share, "min": "5.00", "max": "20.00"},
            "evidence": cited(
                ("wages.paypolicy", pay.policy.pk),
                ("compliance.compliancethresholds", pay.thresholds.pk),
            ),
        }
    ]


@pytest.mark.django_db
def test_lines_at_the_bounds_pass_and_a_cent_outside_is_minor():
    pay = world(workers=4)
    run = posted_row_run(pay, lines(pay, "5.00", "20.00", "4.99", "20.01"))

    found = as_json(check("VICTIM_FUND_RANGE", prison_scope(pay)))

    assert [(f["worker"], f["detail"]) for f in found] == [
        (
            "W-000002",
            "Victims fund took €4.99, 4.99% of gross pay €100.00 in pay run PR-rows, outside the "
            "range 5% to 20%",
        ),
        (
            "W-000003",
            "Victims fund took €20.01, 20.01% of gross pay €100.00 in pay run PR-rows, outside "
            "the range 5% to 20%",
        ),
    ]
    assert found[0]["figures"] == {
        "run": "PR-rows",
        "gross": "100.00",
        "amount": "4.99",
        "share": "4.99",
        "min": "5.00",
        "max": "20.00",
    }
    assert found[0]["evidence"] == cited(
        ("wages.payrun", run.pk),
        ("wages.paypolicy", pay.policy.pk),
        ("compliance.compliancethresholds", pay.thresholds.pk),
    )


@pytest.mark.django_db
def test_no_thresholds_in_force_is_missing_data():
    pay = build_rules_world(workers=1)

    assert as_json(check("VICTIM_FUND_RANGE", prison_scope(pay))) == [
        {
            "code": "VICTIM_FUND_RANGE",
            "severity": "minor",
            "scope": "prison:north-prison",
            "worker": None,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "detail": "No compliance thresholds were in force from Nov 1, 2026 to Nov 30, 2026: "
            "the range of the victims' fund is unknown.",
            "missing_data": True,
            "figures": {},
            "evidence": cited(("wages.paypolicy", pay.policy.pk)),
        }
    ]


@pytest.mark.django_db
def test_a_category_coded_victims_fund_but_not_used_as_it_is_not_the_fund():
    pay = world(victims="30")
    build_categories(uses=False)

    assert check("VICTIM_FUND_RANGE", prison_scope(pay)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = world(workers=workers)
    posted_row_run(pay, lines(pay, *["4.99"] * workers))

    assert len(check("VICTIM_FUND_RANGE", prison_scope(pay))) == workers
    assert queries("VICTIM_FUND_RANGE", prison_scope(pay)) == 7
