"""EARNINGS_SPLIT: each posted line with gross credits own spending and the release savings fund
(the category used as such), and the policy offers a family share."""

import pytest

from tests.compliance.pay_builders import (
    as_json,
    build_categories,
    build_rules_world,
    check,
    cited,
    posted_row_run,
    prison_scope,
    queries,
    work_week_1,
)


def line(worker, release: str, own: str) -> dict:
    return {
        "worker": worker,
        "gross": "100.00",
        "deductions": {"release-savings": release},
        "own_spending": own,
    }


@pytest.mark.django_db
def test_a_calculated_run_passes():
    pay = build_rules_world()
    work_week_1(pay)

    assert check("EARNINGS_SPLIT", prison_scope(pay)) == []


@pytest.mark.django_db
def test_a_cent_of_own_spending_and_of_savings_passes():
    pay = build_rules_world(workers=2)
    first, second = pay.workers
    posted_row_run(pay, [line(first, "99.99", "0.01"), line(second, "0.01", "99.99")])

    assert check("EARNINGS_SPLIT", prison_scope(pay)) == []


@pytest.mark.django_db
def test_no_own_spending_or_no_savings_is_major():
    pay = build_rules_world(workers=2)
    first, second = pay.workers
    run = posted_row_run(pay, [line(first, "100.00", "0.00"), line(second, "0.00", "100.00")])

    assert as_json(check("EARNINGS_SPLIT", prison_scope(pay))) == [
        {
            "code": "EARNINGS_SPLIT",
            "severity": "major",
            "scope": "prison:north-prison",
            "worker": worker,
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": f"pay run PR-rows credited {lacking} out of gross pay €100.00",
            "missing_data": False,
            "figures": {
                "run": "PR-rows",
                "gross": "100.00",
                "own_spending": own,
                "release_savings": saved,
            },
            "evidence": cited(("wages.payrun", run.pk)),
        }
        for worker, lacking, own, saved in (
            ("W-000000", "no own spending", "0.00", "100.00"),
            ("W-000001", "nothing to Release savings", "100.00", "0.00"),
        )
    ]


@pytest.mark.django_db
def test_a_policy_without_a_family_share_is_major():
    pay = build_rules_world(workers=1, allocations=(("release-savings", "20", 1),))

    assert as_json(check("EARNINGS_SPLIT", prison_scope(pay))) == [
        {
            "code": "EARNINGS_SPLIT",
            "severity": "major",
            "scope": "prison:north-prison",
            "worker": None,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "detail": "pay policy from Jan 1, 2026 offers no share for Family",
            "missing_data": False,
            "figures": {"policy_from": "2026-01-01"},
            "evidence": cited(("wages.paypolicy", pay.policy.pk)),
        }
    ]


@pytest.mark.django_db
def test_no_category_used_as_savings_or_family_is_missing_data():
    pay = build_rules_world(workers=1)
    build_categories(uses=False)

    found = check("EARNINGS_SPLIT", prison_scope(pay))

    assert [(f.severity, f.missing_data, f.detail) for f in found] == [
        (
            "major",
            True,
            "No deduction category is used as the release savings fund: whether pay is split "
            "into it cannot be judged.",
        ),
        (
            "major",
            True,
            "No deduction category is used as the family share: whether pay is split into it "
            "cannot be judged.",
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = build_rules_world(workers=workers)
    posted_row_run(pay, [line(worker, "100.00", "0.00") for worker in pay.workers])

    assert len(check("EARNINGS_SPLIT", prison_scope(pay))) == workers
    assert queries("EARNINGS_SPLIT", prison_scope(pay)) == 5
