"""SAFETY_COVER: each day of a partner's work is covered by a valid safety inspection and injury
insurance, and incidents are followed up (inspections valid 30 days here)."""

import pytest

from tests.compliance.consent_builders import (
    D,
    build_partner_world,
    build_worker_in,
    check,
    cited,
    cites,
    inspection,
    insurance,
    shift,
    thresholds,
)
from workshops.models import SafetyIncident

pytestmark = pytest.mark.django_db
CODE = "SAFETY_COVER"
INSPECTED = D(2026, 2, 15)
INSURED_UNTIL = D(2026, 12, 31)


def covered_world(*, inspected_on=INSPECTED, insured_until=INSURED_UNTIL):
    pw = build_partner_world()
    thresholds(inspection_valid_days=30)
    inspected = inspection(pw, inspected_on)
    insured = insurance(pw, D(2026, 1, 1), insured_until)
    return pw, inspected, insured


def test_inspected_and_insured_work_passes_up_to_the_last_valid_day():
    pw, _inspected, _insured = covered_world()
    shift(pw, pw.workers[0], D(2026, 3, 2))
    shift(pw, pw.workers[1], D(2026, 3, 17))  # 15 February + 30 days

    assert check(CODE, pw.partner) == []


def test_work_the_day_after_the_inspection_expires_is_critical():
    pw, inspected, _insured = covered_world()
    shift(pw, pw.workers[0], D(2026, 3, 17))
    shift(pw, pw.workers[0], D(2026, 3, 18))
    shift(pw, pw.workers[1], D(2026, 3, 18))
    shift(pw, pw.workers[1], D(2026, 3, 20))

    [finding] = check(CODE, pw.partner)

    assert (finding.code, finding.severity, finding.scope, finding.worker) == (
        CODE,
        "critical",
        "partner:acme",
        None,
    )
    assert (finding.start, finding.end, finding.missing_data) == (
        D(2026, 3, 18),
        D(2026, 3, 20),
        False,
    )
    assert finding.detail == (
        "2 days of work for Acme in Workshop crew-north from 2026-03-18 to 2026-03-20 "
        "without a valid safety inspection"
    )
    assert finding.figures == {
        "partner": "Acme",
        "workshop": "Workshop crew-north",
        "first_day": D(2026, 3, 18),
        "last_day": D(2026, 3, 20),
        "days": 2,
    }
    assert cited(finding) == cites(inspected)
    assert cited(finding)[0][2] == f"/admin/compliance/safetyinspection/inspect/{inspected.pk}/"


def test_an_inspection_of_the_workshop_counts_and_one_of_another_does_not():
    pw, _inspected, _insured = covered_world(inspected_on=D(2025, 1, 1))
    inspection(pw, D(2026, 3, 1), workshop=pw.workshop, partner=False)
    inspection(pw, D(2026, 3, 10), workshop=pw.world.other)
    shift(pw, pw.workers[0], D(2026, 3, 20))

    assert check(CODE, pw.workshop) == []


def test_a_failed_latest_inspection_is_critical_and_covers_nothing():
    pw, inspected, _insured = covered_world()
    failed = inspection(pw, D(2026, 3, 10), result="failed")
    shift(pw, pw.workers[0], D(2026, 3, 9))
    shift(pw, pw.workers[0], D(2026, 3, 10))

    latest, uncovered = check(CODE, pw.partner)  # in the order of their first day

    assert (uncovered.start, uncovered.end, uncovered.figures["days"]) == (
        D(2026, 3, 10),
        D(2026, 3, 10),
        1,
    )
    assert uncovered.detail == (
        "1 day of work for Acme in Workshop crew-north from 2026-03-10 to 2026-03-10 "
        "without a valid safety inspection"
    )
    assert cited(uncovered) == cites(failed)
    assert latest.severity == "critical"
    assert latest.detail == (
        "the latest safety inspection of Acme in Workshop crew-north, on 2026-03-10, failed"
    )
    assert latest.figures == {
        "partner": "Acme",
        "workshop": "Workshop crew-north",
        "inspected_on": D(2026, 3, 10),
    }
    assert cited(latest) == cites(failed)
    assert inspected.pk != failed.pk


def test_no_inspection_on_file_is_missing_data():
    pw = build_partner_world()
    thresholds(inspection_valid_days=30)
    insurance(pw, D(2026, 1, 1), D(2026, 12, 31))
    shift(pw, pw.workers[0], D(2026, 3, 4))
    shift(pw, pw.workers[1], D(2026, 3, 6))

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data) == ("critical", True)
    assert (finding.start, finding.end) == (D(2026, 3, 1), D(2026, 3, 31))
    assert finding.detail == "no safety inspection of Acme in Workshop crew-north on file"
    assert finding.figures == {
        "partner": "Acme",
        "workshop": "Workshop crew-north",
        "first_day": D(2026, 3, 4),
        "last_day": D(2026, 3, 6),
        "days": 2,
    }
    assert finding.evidence == ()


def test_insurance_ending_the_day_of_the_shift_passes():
    pw, _inspected, _insured = covered_world(insured_until=D(2026, 3, 5))
    shift(pw, pw.workers[0], D(2026, 3, 5))

    assert check(CODE, pw.partner) == []


def test_insurance_ending_the_day_before_a_shift_is_critical():
    pw, _inspected, insured = covered_world(insured_until=D(2026, 3, 4))
    workshop_cover = insurance(pw, D(2026, 3, 10), D(2026, 3, 31), workshop=pw.workshop)
    shift(pw, pw.workers[0], D(2026, 3, 4))
    shift(pw, pw.workers[0], D(2026, 3, 5))
    shift(pw, pw.workers[1], D(2026, 3, 9))
    shift(pw, pw.workers[1], D(2026, 3, 10))

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.start, finding.end) == (
        "critical",
        D(2026, 3, 5),
        D(2026, 3, 9),
    )
    assert finding.detail == (
        "2 days of work for Acme in Workshop crew-north from 2026-03-05 to 2026-03-09 "
        "without injury insurance"
    )
    assert finding.figures == {
        "partner": "Acme",
        "workshop": "Workshop crew-north",
        "first_day": D(2026, 3, 5),
        "last_day": D(2026, 3, 9),
        "days": 2,
    }
    assert cited(finding) == cites(insured, workshop_cover)


def test_an_incident_not_followed_up_is_major():
    pw, _inspected, _insured = covered_world()
    shift(pw, pw.workers[0], D(2026, 3, 2))
    fields = {"workshop": pw.workshop, "severity": "first_aid", "description": "Cut finger"}
    open_one = SafetyIncident.objects.create(occurred_on=D(2026, 3, 2), **fields)
    late = SafetyIncident.objects.create(
        occurred_on=D(2026, 3, 3), followed_up_on=D(2026, 4, 1), follow_up="Guard", **fields
    )
    SafetyIncident.objects.create(
        occurred_on=D(2026, 3, 4), followed_up_on=D(2026, 3, 31), follow_up="Guard", **fields
    )

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data, finding.start, finding.end) == (
        "major",
        False,
        D(2026, 3, 1),
        D(2026, 3, 31),
    )
    assert finding.detail == (
        "2 safety incidents in Workshop crew-north not followed up by 2026-03-31, "
        "the first on 2026-03-02"
    )
    assert finding.figures == {
        "partner": "Acme",
        "workshop": "Workshop crew-north",
        "incidents": 2,
        "first_incident": D(2026, 3, 2),
    }
    assert cited(finding) == cites(open_one, late)


def test_part_of_the_period_without_thresholds_is_missing_data():
    pw = build_partner_world()
    thresholds(D(2026, 3, 10), inspection_valid_days=30)
    inspection(pw, D(2026, 3, 1))
    insurance(pw, D(2026, 1, 1), D(2026, 12, 31))
    shift(pw, pw.workers[0], D(2026, 3, 2))  # not judged: no thresholds that day
    shift(pw, pw.workers[0], D(2026, 3, 20))

    [finding] = check(CODE, pw.partner)

    assert (finding.severity, finding.missing_data, finding.start, finding.end) == (
        "critical",
        True,
        D(2026, 3, 1),
        D(2026, 3, 9),
    )
    assert finding.detail == (
        "no compliance thresholds in force from 2026-03-01 to 2026-03-09: how long a safety "
        "inspection is valid is unknown"
    )
    assert finding.figures == {"first": D(2026, 3, 1), "last": D(2026, 3, 9)}


def test_own_work_needs_no_partner_cover():
    pw = build_partner_world()
    thresholds()
    shift(pw, pw.workers[0], D(2026, 3, 2), workshop=pw.world.workshop)

    assert check(CODE, pw.workshop.prison) == []


@pytest.mark.parametrize("size", [2, 6])
def test_the_query_count_does_not_grow_with_the_workers(size, django_assert_num_queries):
    pw, _inspected, _insured = covered_world(insured_until=D(2026, 3, 10))
    for n, worker in enumerate(pw.workers):
        shift(pw, worker, D(2026, 3, 2 + n))
        shift(pw, worker, D(2026, 3, 20 + n))
    for n in range(2, size):
        worker = build_worker_in([pw.world.crew], f"W-9{n:05d}")
        shift(pw, worker, D(2026, 3, 2 + n))
        shift(pw, worker, D(2026, 3, 20 + n))

    with django_assert_num_queries(7):
        findings = check(CODE, pw.partner)

    assert [finding.figures["days"] for finding in findings] == [size, size]
