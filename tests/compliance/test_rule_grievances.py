"""GRIEVANCES: grievances about a partner or its workshops answered within the thresholds' days
(30 here)."""

import pytest

from tests.compliance.consent_builders import (
    D,
    build_partner_world,
    check,
    cited,
    cites,
    grievance,
    thresholds,
)

pytestmark = pytest.mark.django_db
CODE = "GRIEVANCES"


def test_answered_on_the_last_allowed_day_passes():
    pw = build_partner_world()
    thresholds(grievance_answer_days=30)
    grievance(pw.workers[0], D(2026, 2, 10), partner=pw.partner, answered_on=D(2026, 3, 12))
    grievance(pw.workers[1], D(2026, 3, 1), workshop=pw.workshop)  # 30 days open at the end

    assert check(CODE, pw.partner) == []


def test_answered_the_day_after_the_last_allowed_day_is_major():
    pw = build_partner_world()
    thresholds(grievance_answer_days=30)
    late = grievance(pw.workers[0], D(2026, 2, 10), partner=pw.partner, answered_on=D(2026, 3, 13))

    [finding] = check(CODE, pw.partner)

    assert (finding.code, finding.severity, finding.scope, finding.worker) == (
        CODE,
        "major",
        "partner:acme",
        "W-000000",
    )
    assert (finding.start, finding.end, finding.missing_data) == (
        D(2026, 2, 10),
        D(2026, 3, 13),
        False,
    )
    assert finding.detail == "answered after 31 days; the limit is 30"
    assert finding.figures == {
        "received_on": D(2026, 2, 10),
        "answered_on": D(2026, 3, 13),
        "days": 31,
        "limit_days": 30,
    }
    assert cited(finding) == cites(late)
    assert cited(finding)[0][2] == f"/admin/compliance/grievance/inspect/{late.pk}/"


def test_unanswered_past_the_limit_at_the_period_end_is_major():
    pw = build_partner_world()
    thresholds(grievance_answer_days=30)
    # answered after the period: still unanswered at its end
    open_one = grievance(
        pw.workers[1], D(2026, 2, 14), workshop=pw.workshop, answered_on=D(2026, 4, 2)
    )

    [finding] = check(CODE, pw.workshop)

    assert (finding.scope, finding.worker, finding.start, finding.end) == (
        "workshop:crew-north",
        "W-000001",
        D(2026, 2, 14),
        D(2026, 3, 31),
    )
    assert finding.detail == "unanswered for 45 days; the limit is 30"
    assert finding.figures == {
        "received_on": D(2026, 2, 14),
        "answered_on": None,
        "days": 45,
        "limit_days": 30,
    }
    assert cited(finding) == cites(open_one)


def test_grievances_outside_the_scope_or_answered_before_the_period_are_not_read():
    from tests.workshops.builders import build_partner

    pw = build_partner_world()
    thresholds(grievance_answer_days=30)
    grievance(pw.workers[0], D(2026, 1, 1), partner=build_partner("other"))
    grievance(pw.workers[0], D(2026, 1, 1), workshop=pw.world.other)
    grievance(pw.workers[0], D(2026, 1, 1), partner=pw.partner, answered_on=D(2026, 2, 27))
    grievance(pw.workers[0], D(2026, 4, 1), partner=pw.partner)

    assert check(CODE, pw.partner) == []


def test_the_limit_in_force_when_the_grievance_was_received_applies():
    pw = build_partner_world()
    thresholds(grievance_answer_days=60)
    thresholds(D(2026, 3, 1), grievance_answer_days=30)
    grievance(pw.workers[0], D(2026, 2, 1), partner=pw.partner)  # 58 days at the end

    assert check(CODE, pw.partner) == []


def test_no_thresholds_in_force_is_missing_data():
    pw = build_partner_world()
    thresholds(D(2026, 3, 15), grievance_answer_days=30)
    received = grievance(pw.workers[0], D(2026, 3, 2), partner=pw.partner)

    period, of_grievance = check(CODE, pw.partner)

    assert (period.severity, period.missing_data, period.worker) == ("major", True, None)
    assert (period.start, period.end) == (D(2026, 3, 1), D(2026, 3, 14))
    assert period.detail == (
        "no compliance thresholds in force from 2026-03-01 to 2026-03-14: the time to answer a "
        "grievance is unknown"
    )
    assert period.figures == {"first": D(2026, 3, 1), "last": D(2026, 3, 14)}
    assert (of_grievance.missing_data, of_grievance.worker, of_grievance.start) == (
        True,
        "W-000000",
        D(2026, 3, 2),
    )
    assert of_grievance.detail == (
        "no compliance thresholds in force on 2026-03-02, when this grievance was received: "
        "the time to answer it is unknown"
    )
    assert cited(of_grievance) == cites(received)


@pytest.mark.parametrize("size", [2, 6])
def test_the_query_count_does_not_grow_with_the_grievances(size, django_assert_num_queries):
    pw = build_partner_world(workers=size)
    thresholds(grievance_answer_days=30)
    for worker in pw.workers:
        grievance(worker, D(2026, 2, 1), partner=pw.partner)
        grievance(worker, D(2026, 2, 1), workshop=pw.workshop, answered_on=D(2026, 3, 20))

    with django_assert_num_queries(3):
        findings = check(CODE, pw.partner)

    assert len(findings) == 2 * size


def test_a_prison_reads_the_grievances_about_its_workshops():
    pw = build_partner_world()
    thresholds(grievance_answer_days=30)
    about_other = grievance(pw.workers[0], D(2026, 2, 1), workshop=pw.world.other)
    grievance(pw.workers[0], D(2026, 2, 1), partner=pw.partner)  # no workshop: the partner's

    [finding] = check(CODE, pw.workshop.prison)

    assert (finding.scope, finding.detail, cited(finding)) == (
        "prison:north-prison",
        "unanswered for 58 days; the limit is 30",
        cites(about_other),
    )
