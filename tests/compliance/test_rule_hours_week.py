"""HOURS_WEEK: occupied hours per worker per ISO week against the policy's weekly limit (40 h in
the test world); the finding covers the whole ISO week."""

from decimal import Decimal

import pytest

from compliance.rules.base import MAJOR, MINOR
from tests.compliance.time_builders import (
    D,
    attend,
    check,
    cited,
    cites,
    day,
    policy_from,
    record,
    workshop_scope,
)
from tests.workshops.production_builders import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(workers=2)


def five_days(world, worker, first=0, hours="8"):
    """Monday to Friday of the week starting ``day(first)``, 8 hours each in the workshop."""
    return [
        record(worker, world.workshop, day(first + n), hours, supervisor=world.supervisor)
        for n in range(5)
    ]


def test_a_week_of_exactly_the_limit_passes(world):
    five_days(world, world.workers[0])

    assert check("HOURS_WEEK", workshop_scope(world.workshop)) == []


def test_one_hundredth_over_the_limit_with_training_is_major(world):
    worker = world.workers[0]
    records = five_days(world, worker)
    training = attend(worker, world.crew, day(5), "0.01", recorded_by=world.supervisor)
    five_days(world, world.workers[1])

    [finding] = check("HOURS_WEEK", workshop_scope(world.workshop))

    assert finding.code == "HOURS_WEEK"
    assert finding.severity == MAJOR
    assert finding.scope == "workshop:tailoring-north"
    assert finding.worker == "W-000000"
    assert (finding.start, finding.end) == (D(2026, 3, 2), D(2026, 3, 8))
    assert finding.detail == (
        "40.01 hours occupied in the week of Mar 2, 2026 to Mar 8, 2026 (production 40.00, "
        "training 0.01; records: 5, attendance: 1), over the limit of 40.00 hours a week."
    )
    assert finding.figures == {
        "hours": Decimal("40.01"),
        "limit": Decimal("40.00"),
        "production_hours": Decimal("40.00"),
        "training_hours": Decimal("0.01"),
        "iso_week": "2026-W10",
        "reason": "",
    }
    assert cited(finding) == cites(*records, training)
    assert finding.missing_data is False


def test_hours_in_other_workshops_count(world):
    worker = world.workers[0]
    five_days(world, worker, hours="7")
    record(worker, world.other, day(5), "5.01", supervisor=world.other_supervisor)

    [finding] = check("HOURS_WEEK", workshop_scope(world.workshop))

    assert finding.figures["hours"] == Decimal("40.01")


def test_a_recorded_reason_makes_it_minor_and_is_quoted(world):
    worker = world.workers[0]
    five_days(world, worker)
    record(
        worker,
        world.crew,
        day(5),
        "2",
        supervisor=world.supervisor,
        note="Harvest week",
        breaches="HOURS_WEEK",
    )

    [finding] = check("HOURS_WEEK", workshop_scope(world.workshop))

    assert finding.severity == MINOR
    assert finding.detail.endswith(
        "over the limit of 40.00 hours a week. Reason recorded: “Harvest week”."
    )
    assert finding.figures["reason"] == "Harvest week"


def test_the_whole_iso_week_counts_where_the_period_starts_on_its_sunday(world):
    """March 2026 starts on a Sunday: the week of Feb 23 counts its days in February too."""
    worker = world.workers[0]
    february = [
        record(worker, world.other, D(2026, 2, 23 + n), "8", supervisor=world.other_supervisor)
        for n in range(5)
    ]
    sunday = record(worker, world.workshop, D(2026, 3, 1), "1", supervisor=world.supervisor)

    [finding] = check("HOURS_WEEK", workshop_scope(world.workshop))

    assert (finding.start, finding.end) == (D(2026, 2, 23), D(2026, 3, 1))
    assert finding.figures["hours"] == Decimal("41.00")
    assert finding.figures["iso_week"] == "2026-W09"
    assert cited(finding) == cites(*february, sunday)


def test_weeks_without_a_policy_are_missing_data(world):
    policy_from(D(2026, 3, 9))
    five_days(world, world.workers[0], hours="9")
    over = five_days(world, world.workers[0], first=7, hours="9")

    missing, finding = check("HOURS_WEEK", workshop_scope(world.workshop))

    assert missing.missing_data is True
    assert missing.severity == MAJOR
    assert (missing.start, missing.end) == (D(2026, 3, 1), D(2026, 3, 8))
    assert missing.detail == (
        "No working-time policy was in force from Mar 1, 2026 to Mar 8, 2026: HOURS_WEEK cannot "
        "be checked on those days."
    )
    assert (finding.start, finding.figures["hours"]) == (D(2026, 3, 9), Decimal("45.00"))
    assert cited(finding) == cites(*over)


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers, django_assert_num_queries):
    world = build_world(workers=workers)
    for worker in world.workers:
        five_days(world, worker, hours="9")
        attend(worker, world.crew, day(12), "1", recorded_by=world.supervisor)
        five_days(world, worker, first=7, hours="8")
    scope = workshop_scope(world.workshop)

    # the policy's versions (2), hours per week over the limit, the weeks in scope,
    # the records and attendance of the weeks over (2), the reasons beside their breaches (2)
    with django_assert_num_queries(8):
        findings = check("HOURS_WEEK", scope)

    assert len(findings) == 2 * workers
