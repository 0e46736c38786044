"""What PostgreSQL guarantees about training attendance a pay run pays (migration 0009 of
``workshops``): while the run's lock holds it, no statement changes its hours, day, enrolment or
workshop, deletes it or moves it to another lock, and nothing is held by a released lock; and two
runs calculated at once that could both pay a late session pay it once."""

from decimal import Decimal

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, race, raw, refused_by_the_database
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    attend,
    attendance_locks,
    build_pay_world,
    calculated,
    draft,
    everything,
    posted,
    record,
)
from wages.models import PayRunLine
from wages.payruns import calculate_pay_run, cancel_pay_run
from workshops.models import ProductionLock, TrainingAttendance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

at_once = pytest.mark.django_db(transaction=True)

RUN_1 = "PR-north-prison-2026-11-02"


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def paid():
    """Week 1 calculated: its run holds one session of 3 hours."""
    pay = build_pay_world()
    first = pay.workers[0]
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    session = attend(pay, first, D(2026, 11, 5), "3")
    run = calculated(pay, WEEK_1)
    return pay, run, session


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("UPDATE workshops_trainingattendance SET hours = 5 WHERE id = %s", "it cannot change"),
        (
            "UPDATE workshops_trainingattendance SET day = day + 1 WHERE id = %s",
            "it cannot change",
        ),
        (
            "UPDATE workshops_trainingattendance SET lock_id = NULL WHERE id = %s",
            "release that lock first",
        ),
        ("DELETE FROM workshops_trainingattendance WHERE id = %s", "it cannot be deleted"),
    ],
    ids=["hours", "day", "unlock", "delete"],
)
def test_a_raw_change_to_paid_attendance_is_refused(paid, sql, refusal):
    _pay, _run, session = paid
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, session.pk)

    assert first_line(refused) == (
        f"training attendance {session.pk} is paid by pay run {RUN_1}: {refusal}"
    )
    assert everything() == before


def test_paid_attendance_is_not_moved_to_another_runs_lock(paid):
    _pay, _run, session = paid
    other = ProductionLock.objects.create(reference="PR-OTHER")
    before = everything()

    with refused_by_the_database() as refused:
        raw(
            "UPDATE workshops_trainingattendance SET lock_id = %s WHERE id = %s",
            other.pk,
            session.pk,
        )

    assert first_line(refused) == (
        f"training attendance {session.pk} is paid by pay run {RUN_1}: release that lock first"
    )
    assert everything() == before


def test_attendance_is_not_held_by_a_released_lock(paid):
    pay, run, session = paid
    cancel_pay_run(run, user=pay.calculator, reason="Wrong week")
    released = ProductionLock.objects.get(reference=RUN_1)
    before = everything()

    with refused_by_the_database() as refused:
        raw(
            "UPDATE workshops_trainingattendance SET lock_id = %s WHERE id = %s",
            released.pk,
            session.pk,
        )

    assert first_line(refused) == (f"production lock {released.pk} does not exist or was released")
    assert everything() == before


def test_attendance_of_a_cancelled_run_is_free_to_change(paid):
    pay, run, session = paid
    cancel_pay_run(run, user=pay.calculator, reason="Wrong week")

    assert raw("UPDATE workshops_trainingattendance SET hours = 2 WHERE id = %s", session.pk) == 1
    assert TrainingAttendance.objects.values_list("hours", "lock").get(pk=session.pk) == (
        Decimal("2.00"),
        None,
    )


@at_once
def test_two_runs_calculated_at_once_pay_a_late_session_once():
    """Weeks 2 and 3 may each pay a session recorded late for week 1. Each run's UPDATE takes
    only attendance no lock holds; the second waits for the first and then skips it."""
    pay = build_pay_world()
    first = pay.workers[0]
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    posted(pay, WEEK_1)
    late = attend(pay, first, D(2026, 11, 5), "3")
    second, third = draft(pay, WEEK_2), draft(pay, WEEK_3)

    race(
        lambda: calculate_pay_run(second, user=pay.calculator),
        lambda: calculate_pay_run(third, user=pay.approver),
    )

    payer = attendance_locks()[late.pk]
    assert payer in (second.reference, third.reference)
    assert list(
        PayRunLine.objects.filter(
            run__reference__in=[second.reference, third.reference]
        ).values_list("run__reference", "worker__reference", "training_hours")
    ) == [(payer, first.reference, Decimal("3.00"))]
