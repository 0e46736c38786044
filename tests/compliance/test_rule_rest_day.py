"""REST_DAY: runs of consecutive occupied days longer than 7 − rest days (6 in the test world)."""

import pytest

from compliance.rules.base import MAJOR
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


def days_in_a_row(world, worker, first, count, workshop=None):
    workshop = workshop or world.workshop
    supervisor = world.other_supervisor if workshop == world.other else world.supervisor
    return [
        record(worker, workshop, day(first + n), "6", supervisor=supervisor) for n in range(count)
    ]


def test_six_days_in_a_row_then_rest_passes(world):
    days_in_a_row(world, world.workers[0], 0, 6)
    days_in_a_row(world, world.workers[0], 7, 6)

    assert check("REST_DAY", workshop_scope(world.workshop)) == []


def test_seven_days_in_a_row_is_a_finding_for_the_run(world):
    worker = world.workers[0]
    records = days_in_a_row(world, worker, 0, 7)
    days_in_a_row(world, world.workers[1], 0, 6)

    [finding] = check("REST_DAY", workshop_scope(world.workshop))

    assert finding.code == "REST_DAY"
    assert finding.severity == MAJOR
    assert finding.scope == "workshop:tailoring-north"
    assert finding.worker == "W-000000"
    assert (finding.start, finding.end) == (day(0), day(6))
    assert finding.detail == (
        "7 days in a row occupied, from Mar 2, 2026 to Mar 8, 2026 (records: 7, attendance: "
        "0): the policy allows at most 6 (rest days in every 7: 1)."
    )
    assert finding.figures == {
        "days_in_a_row": 7,
        "most_allowed": 6,
        "rest_days_per_week": 1,
        "first_day": day(0),
        "last_day": day(6),
    }
    assert cited(finding) == cites(*records)
    assert finding.missing_data is False


def test_training_and_other_workshops_fill_the_run(world):
    worker = world.workers[0]
    records = days_in_a_row(world, worker, 0, 5)
    elsewhere = record(worker, world.other, day(5), "4", supervisor=world.other_supervisor)
    training = attend(worker, world.crew, day(6), "2", recorded_by=world.supervisor)

    [finding] = check("REST_DAY", workshop_scope(world.workshop))

    assert (finding.start, finding.end) == (day(0), day(6))
    assert cited(finding) == cites(*records, elsewhere, training)
    assert "(records: 6, attendance: 1)" in finding.detail


def test_a_day_of_zero_hours_is_a_rest_day(world):
    worker = world.workers[0]
    days_in_a_row(world, worker, 0, 3)
    record(worker, world.workshop, day(3), "0", supervisor=world.supervisor)
    days_in_a_row(world, worker, 4, 3)

    assert check("REST_DAY", workshop_scope(world.workshop)) == []


def test_a_run_begun_before_the_period_counts_in_full(world):
    worker = world.workers[0]
    before = [
        record(worker, world.workshop, day(-6 + n), "6", supervisor=world.supervisor)
        for n in range(6)
    ]
    into = record(worker, world.workshop, D(2026, 3, 2), "6", supervisor=world.supervisor)

    [finding] = check("REST_DAY", workshop_scope(world.workshop))

    assert (finding.start, finding.end) == (D(2026, 2, 24), D(2026, 3, 2))
    assert finding.figures["days_in_a_row"] == 7
    assert cited(finding) == cites(*before, into)


def test_a_run_ended_before_the_period_is_not_reported(world):
    worker = world.workers[0]
    for n in range(7):  # Feb 21 to 27, then a rest day and more
        record(worker, world.workshop, day(-9 + n), "6", supervisor=world.supervisor)
    record(worker, world.workshop, D(2026, 3, 3), "6", supervisor=world.supervisor)

    assert check("REST_DAY", workshop_scope(world.workshop)) == []


def test_a_run_without_a_shift_in_scope_is_not_this_scopes(world):
    worker = world.workers[0]
    days_in_a_row(world, worker, 0, 7, workshop=world.other)
    record(worker, world.workshop, day(14), "6", supervisor=world.supervisor)

    assert check("REST_DAY", workshop_scope(world.workshop)) == []
    [finding] = check("REST_DAY", workshop_scope(world.other))
    assert finding.scope == "workshop:bakery-north"


def test_days_without_a_policy_are_missing_data(world):
    policy_from(D(2026, 3, 20))
    days_in_a_row(world, world.workers[0], 0, 7)

    [missing] = check("REST_DAY", workshop_scope(world.workshop))

    assert missing.missing_data is True
    assert missing.severity == MAJOR
    assert (missing.start, missing.end) == (D(2026, 3, 1), D(2026, 3, 19))
    assert missing.detail == (
        "No working-time policy was in force from Mar 1, 2026 to Mar 19, 2026: REST_DAY cannot "
        "be checked on those days."
    )


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers, django_assert_num_queries):
    world = build_world(workers=workers)
    for worker in world.workers:
        days_in_a_row(world, worker, 0, 7)
        attend(worker, world.crew, day(7), "1", recorded_by=world.supervisor)
        days_in_a_row(world, worker, 14, 8)
    scope = workshop_scope(world.workshop)

    with django_assert_num_queries(4):
        findings = check("REST_DAY", scope)

    assert len(findings) == 2 * workers
