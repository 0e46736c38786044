"""FITNESS: a fitness clearance in force on every day worked, from the first shift."""

import pytest

from compliance.rules.base import MAJOR
from tests.compliance.time_builders import (
    D,
    check,
    cited,
    cites,
    day,
    policy_from,
    record,
    workshop_scope,
)
from tests.workshops.production_builders import build_worker_in, build_world
from workshops.models import FitnessClearance, WorkingTimePolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(workers=2)


def shift(world, worker, on, **fields):
    return record(worker, world.workshop, on, "6", supervisor=world.supervisor, **fields)


def test_cleared_workers_pass(world):
    for worker in world.workers:
        shift(world, worker, day(0))

    assert check("FITNESS", workshop_scope(world.workshop)) == []


def test_a_shift_the_day_before_the_clearance_is_a_finding(world):
    worker = build_worker_in([world.workshop], "W-NEW001", cleared=False)
    FitnessClearance.objects.create(worker=worker, cleared_on=day(1))
    early = shift(world, worker, day(0))
    shift(world, worker, day(1))  # cleared that day: in order

    [finding] = check("FITNESS", workshop_scope(world.workshop))

    assert finding.code == "FITNESS"
    assert finding.severity == MAJOR
    assert finding.scope == "workshop:tailoring-north"
    assert finding.worker == "W-NEW001"
    assert (finding.start, finding.end) == (day(0), day(0))
    assert finding.detail == (
        "No fitness clearance in force on the first shift, Mar 2, 2026: worked without one "
        "from Mar 2, 2026 to Mar 2, 2026 (days: 1, records: 1)."
    )
    assert finding.figures == {
        "days_worked": 1,
        "shifts": 1,
        "first_day": day(0),
        "last_day": day(0),
        "lapsed_on": None,
    }
    assert cited(finding) == cites(early)
    assert finding.missing_data is False


def test_days_worked_after_a_clearance_lapsed(world):
    worker = build_worker_in([world.workshop], "W-NEW002", cleared=False)
    clearance = FitnessClearance.objects.create(
        worker=worker, cleared_on=D(2026, 1, 10), valid_until=day(2)
    )
    shift(world, worker, day(2))  # its last valid day
    after = [shift(world, worker, day(3)), shift(world, worker, day(4))]
    after.append(record(worker, world.crew, day(4), "1", supervisor=world.supervisor))

    [finding] = check("FITNESS", workshop_scope(world.workshop))

    assert (finding.start, finding.end) == (day(3), day(4))
    assert finding.detail == (
        "The fitness clearance lapsed on Mar 4, 2026: worked after it from Mar 5, 2026 to "
        "Mar 6, 2026 (days: 2, records: 2)."
    )
    assert finding.figures == {
        "days_worked": 2,
        "shifts": 2,
        "first_day": day(3),
        "last_day": day(4),
        "lapsed_on": day(2),
    }
    assert cited(finding) == cites(*after[:2], clearance)


def test_legacy_records_are_skipped(world):
    worker = build_worker_in([world.workshop], "W-OLD001", cleared=False)
    shift(world, worker, day(0), legacy=True)

    assert check("FITNESS", workshop_scope(world.workshop)) == []


def test_nothing_to_find_where_the_policy_requires_no_clearance(world):
    WorkingTimePolicy.objects.update(fitness_clearance_required=False)
    worker = build_worker_in([world.workshop], "W-NEW003", cleared=False)
    shift(world, worker, day(0))

    assert check("FITNESS", workshop_scope(world.workshop)) == []


def test_days_without_a_policy_are_missing_data(world):
    policy_from(D(2026, 3, 4))
    worker = build_worker_in([world.workshop], "W-NEW004", cleared=False)
    shift(world, worker, day(0))
    later = shift(world, worker, day(2))

    missing, finding = check("FITNESS", workshop_scope(world.workshop))

    assert missing.missing_data is True
    assert missing.severity == MAJOR
    assert (missing.start, missing.end) == (D(2026, 3, 1), D(2026, 3, 3))
    assert missing.detail == (
        "No working-time policy was in force from Mar 1, 2026 to Mar 3, 2026: FITNESS cannot "
        "be checked on those days."
    )
    assert (finding.start, cited(finding)) == (day(2), cites(later))


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(workers, django_assert_num_queries):
    world = build_world(workers=workers)
    for n in range(workers):
        worker = build_worker_in([world.workshop], f"W-NEW{n:03d}", cleared=False)
        FitnessClearance.objects.create(
            worker=worker, cleared_on=D(2026, 1, 10), valid_until=day(2)
        )
        shift(world, worker, day(0))
        shift(world, worker, day(3))
    scope = workshop_scope(world.workshop)

    with django_assert_num_queries(2):
        findings = check("FITNESS", scope)

    assert len(findings) == workers
