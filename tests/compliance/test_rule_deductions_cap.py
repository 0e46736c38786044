"""DEDUCTIONS_CAP: deductions of posted lines within 80 % of gross, for the policy's categories
and, for partner work, the worker's consent's. Lines no calculation would make are written as
rows (``posted_row_run``)."""

import pytest

from tests.compliance.pay_builders import (
    as_json,
    build_rules_world,
    check,
    cited,
    consent_everyone,
    partner_scope,
    posted_row_run,
    prison_scope,
    queries,
    work_consent,
    work_week_1,
)


def deductions(total_release: str) -> dict:
    return {"family": "10.00", "release-savings": total_release, "victims-fund": "5.00"}


@pytest.mark.django_db
def test_a_calculated_run_with_consented_categories_passes():
    pay = build_rules_world()
    consent_everyone(pay)
    work_week_1(pay)

    assert check("DEDUCTIONS_CAP", prison_scope(pay)) == []
    assert check("DEDUCTIONS_CAP", partner_scope(pay)) == []


@pytest.mark.django_db
def test_deductions_exactly_at_the_cap_pass():
    pay = build_rules_world(workers=1)
    posted_row_run(
        pay, [{"worker": pay.workers[0], "gross": "100.00", "deductions": deductions("65.00")}]
    )

    assert check("DEDUCTIONS_CAP", prison_scope(pay)) == []


@pytest.mark.django_db
def test_deductions_a_cent_above_the_cap_are_major():
    pay = build_rules_world(workers=1)
    run = posted_row_run(
        pay, [{"worker": pay.workers[0], "gross": "100.00", "deductions": deductions("65.01")}]
    )

    assert as_json(check("DEDUCTIONS_CAP", prison_scope(pay))) == [
        {
            "code": "DEDUCTIONS_CAP",
            "severity": "major",
            "scope": "prison:north-prison",
            "worker": "W-000000",
            "start": "2026-11-02",
            "end": "2026-11-08",
            "detail": "deductions €80.01 are 80.01% of gross pay €100.00 in pay run PR-rows, "
            "above the cap of 80%",
            "missing_data": False,
            "figures": {
                "run": "PR-rows",
                "gross": "100.00",
                "deductions": "80.01",
                "share": "80.01",
                "cap": "80.00",
            },
            "evidence": cited(("wages.payrun", run.pk), ("wages.paypolicy", pay.policy.pk)),
        }
    ]


@pytest.mark.django_db
def test_a_category_the_policy_does_not_allocate_is_major():
    pay = build_rules_world(workers=1)
    run = posted_row_run(
        pay, [{"worker": pay.workers[0], "gross": "100.00", "deductions": {"board": "10.00"}}]
    )

    [finding] = as_json(check("DEDUCTIONS_CAP", prison_scope(pay)))

    assert finding["detail"] == (
        "pay run PR-rows deducted Board €10.00, which the pay policy from Jan 1, 2026 does not "
        "allocate"
    )
    assert finding["figures"] == {"run": "PR-rows", "categories": "board", "amounts": "10.00"}
    assert finding["evidence"] == cited(
        ("wages.payrun", run.pk), ("wages.paypolicy", pay.policy.pk)
    )


@pytest.mark.django_db
def test_partner_work_deducting_a_category_the_consent_does_not_list_is_major():
    pay = build_rules_world(workers=2)
    first, second = pay.workers
    agreed = work_consent(pay, first, ["family", "release-savings"])
    work_consent(pay, second, ["family", "release-savings", "victims-fund"])
    payers = {f"partner:{pay.partner.pk}": "100.00"}
    run = posted_row_run(
        pay,
        [
            {
                "worker": worker,
                "gross": "100.00",
                "deductions": deductions("20.00"),
                "payers": payers,
            }
            for worker in pay.workers
        ],
    )

    [finding] = as_json(check("DEDUCTIONS_CAP", partner_scope(pay)))

    assert finding["worker"] == "W-000000"
    assert finding["detail"] == (
        "pay run PR-rows deducted Victims fund €5.00, which the worker's work consent for Acme "
        "does not list"
    )
    assert finding["evidence"] == cited(("wages.payrun", run.pk), ("workshops.consent", agreed.pk))


@pytest.mark.django_db
def test_no_pay_policy_in_force_is_missing_data():
    pay = build_rules_world(workers=1, policy=False)

    [finding] = check("DEDUCTIONS_CAP", prison_scope(pay))

    assert (finding.severity, finding.missing_data) == ("major", True)
    assert finding.detail == (
        "No pay policy was in force from Nov 1, 2026 to Nov 30, 2026: the cap on deductions is "
        "unknown."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers):
    pay = build_rules_world(workers=workers)
    payers = {f"partner:{pay.partner.pk}": "100.00"}
    posted_row_run(
        pay,
        [
            {
                "worker": worker,
                "gross": "100.00",
                "deductions": deductions("65.01"),
                "payers": payers,
            }
            for worker in pay.workers
        ],
    )

    assert len(check("DEDUCTIONS_CAP", prison_scope(pay))) == 2 * workers  # cap, no consent
    assert queries("DEDUCTIONS_CAP", prison_scope(pay)) == 7
