"""HOURS_DAY: occupied hours (production in every workshop + training) per worker-day against the
working-time policy's daily limit (8 h in the test world)."""

from decimal import Decimal

import pytest

from compliance.rules.base import MAJOR, MINOR
from compliance.rules.context import Scope
from tests.compliance.time_builders import (
    D,
    attend,
    check,
    cited,
    cites,
    day,
    partner_contract,
    policy_from,
    record,
    workshop_scope,
)
from tests.workshops.production_builders import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(workers=2)


def test_a_day_of_exactly_the_limit_passes(world):
    worker = world.workers[0]
    record(worker, world.workshop, day(0), "5", supervisor=world.supervisor)
    record(worker, world.crew, day(0), "2", supervisor=world.supervisor)
    attend(worker, world.crew, day(0), "1", recorded_by=world.supervisor)

    assert check("HOURS_DAY", workshop_scope(world.workshop)) == []


def test_one_hundredth_over_the_limit_across_workshops_and_training_is_major(world):
    worker = world.workers[0]
    tailoring = record(worker, world.workshop, day(0), "5", supervisor=world.supervisor)
    crew = record(worker, world.crew, day(0), "2", supervisor=world.supervisor)
    training = attend(worker, world.crew, day(0), "1.01", recorded_by=world.supervisor)
    record(world.workers[1], world.workshop, day(0), "8", supervisor=world.supervisor)

    [finding] = check("HOURS_DAY", workshop_scope(world.workshop))

    assert finding.code == "HOURS_DAY"
    assert finding.severity == MAJOR
    assert finding.scope == "workshop:tailoring-north"
    assert finding.worker == "W-000000"
    assert (finding.start, finding.end) == (day(0), day(0))
    assert finding.detail == (
        "8.01 hours occupied on Mar 2, 2026 (production 7.00, training 1.01; records: 2, "
        "attendance: 1), over the limit of 8.00 hours a day."
    )
    assert finding.figures == {
        "hours": Decimal("8.01"),
        "limit": Decimal("8.00"),
        "production_hours": Decimal("7.00"),
        "training_hours": Decimal("1.01"),
        "reason": "",
    }
    assert cited(finding) == cites(tailoring, crew, training)
    assert finding.missing_data is False


def test_a_recorded_reason_makes_it_minor_and_is_quoted(world):
    worker = world.workers[0]
    over = record(
        worker,
        world.workshop,
        day(1),
        "9.5",
        supervisor=world.supervisor,
        note="Order due before the holiday",
        breaches="HOURS_DAY",
    )

    [finding] = check("HOURS_DAY", workshop_scope(world.workshop))

    assert finding.severity == MINOR
    assert finding.detail == (
        "9.50 hours occupied on Mar 3, 2026 (production 9.50, training 0.00; records: 1, "
        "attendance: 0), over the limit of 8.00 hours a day. "
        "Reason recorded: “Order due before the holiday”."
    )
    assert finding.figures["reason"] == "Order due before the holiday"
    assert cited(finding) == cites(over)


def test_a_reason_on_the_training_attendance_counts_too(world):
    worker = world.workers[0]
    record(worker, world.workshop, day(1), "6", supervisor=world.supervisor)
    attend(
        worker,
        world.crew,
        day(1),
        "3",
        recorded_by=world.supervisor,
        note="Exam day",
        breaches="HOURS_DAY",
    )

    [finding] = check("HOURS_DAY", workshop_scope(world.workshop))

    assert finding.severity == MINOR
    assert finding.figures["reason"] == "Exam day"


def test_only_days_with_a_shift_in_scope_are_reported(world):
    worker = world.workers[0]
    record(worker, world.other, day(2), "10", supervisor=world.other_supervisor)

    assert check("HOURS_DAY", workshop_scope(world.workshop)) == []
    [finding] = check("HOURS_DAY", workshop_scope(world.other))
    assert finding.scope == "workshop:bakery-north"


def test_a_partner_scope_reads_the_days_of_its_contract(world):
    partner, _contract = partner_contract(world.workshop, start=day(3))
    worker = world.workers[0]
    record(worker, world.workshop, day(2), "9", supervisor=world.supervisor)
    record(worker, world.workshop, day(3), "9", supervisor=world.supervisor)

    [finding] = check("HOURS_DAY", Scope("partner", partner))
    assert (finding.scope, finding.start) == ("partner:acme", day(3))


def test_days_without_a_policy_are_missing_data_and_not_checked(world):
    policy_from(D(2026, 3, 10))
    worker = world.workers[0]
    record(worker, world.workshop, D(2026, 3, 5), "9", supervisor=world.supervisor)
    over = record(worker, world.workshop, D(2026, 3, 10), "9", supervisor=world.supervisor)

    missing, finding = check("HOURS_DAY", workshop_scope(world.workshop))

    assert missing.missing_data is True
    assert missing.severity == MAJOR
    assert (missing.start, missing.end) == (D(2026, 3, 1), D(2026, 3, 9))
    assert missing.worker is None
    assert missing.detail == (
        "No working-time policy was in force from Mar 1, 2026 to Mar 9, 2026: HOURS_DAY cannot "
        "be checked on those days."
    )
    assert missing.figures == {"first_day": D(2026, 3, 1), "last_day": D(2026, 3, 9)}
    assert missing.evidence == ()
    assert (finding.start, cited(finding)) == (D(2026, 3, 10), cites(over))


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers, django_assert_num_queries):
    world = build_world(workers=workers)
    for worker in world.workers:
        record(worker, world.workshop, day(0), "9", supervisor=world.supervisor)
        attend(worker, world.crew, day(1), "9", recorded_by=world.supervisor)
        record(worker, world.workshop, day(1), "1", supervisor=world.supervisor)
    scope = workshop_scope(world.workshop)

    # the policy's versions (2), training per day, the candidate days, their records and
    # attendance (2), the reasons beside their breaches (2)
    with django_assert_num_queries(8):
        findings = check("HOURS_DAY", scope)

    assert len(findings) == 2 * workers
