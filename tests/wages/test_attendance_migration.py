"""Migration 0006 of ``wages``: attendance paid before it was held by a lock is marked as held by
the run that paid it, so the next run does not pay it again as late."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from core.testing.database import triggers_off
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    attend,
    attendance_locks,
    calculated,
    draft,
    line_of,
    posted,
    record,
)
from wages.payruns import cancel_pay_run
from workshops.models import TrainingAttendance

migration = importlib.import_module("wages.migrations.0006_attendance_paid_by_runs")

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_attendance_a_run_not_cancelled_calculated_from_is_marked_paid_by_it(pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    week_1 = attend(pay_world, first, D(2026, 11, 3), "2")
    posted(pay_world, WEEK_1)
    week_2 = attend(pay_world, first, D(2026, 11, 10), "1")
    cancel_pay_run(calculated(pay_world, WEEK_2), user=pay_world.calculator, reason="Wrong")
    week_3 = attend(pay_world, first, D(2026, 11, 17), "4")
    draft(pay_world, WEEK_3)
    late_for_week_1 = attend(pay_world, first, D(2026, 11, 4), "3")
    with triggers_off("workshops_trainingattendance"):  # as before the migration: no lock held
        TrainingAttendance.objects.update(lock=None)
        # as when it ran: before workshops/0010 made posted runs' locks final
        migration.mark_paid_attendance(apps, None)

    assert attendance_locks() == {
        week_1.pk: "PR-north-prison-2026-11-02",
        week_2.pk: None,  # its run was cancelled
        week_3.pk: None,  # its run is a draft
        late_for_week_1.pk: None,  # recorded after week 1 was calculated: never paid
    }


def test_after_the_migration_the_next_run_pays_only_what_was_not_paid(pay_world):
    """Week 1 paid 2 hours; 3 hours recorded for it after its calculation were not paid, and the
    week 2 run pays them with its own 1.5."""
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    attend(pay_world, first, D(2026, 11, 3), "2")
    week_1 = posted(pay_world, WEEK_1)
    attend(pay_world, first, D(2026, 11, 4), "3")
    with triggers_off("workshops_trainingattendance"):
        TrainingAttendance.objects.update(lock=None)
        migration.mark_paid_attendance(apps, None)  # before workshops/0010's final locks
    attend(pay_world, first, D(2026, 11, 10), "1.5")

    run = calculated(pay_world, WEEK_2)

    assert line_of(week_1, first).training_hours == Decimal("2.00")
    assert line_of(run, first).training_hours == Decimal("4.50")
    assert line_of(run, first).warnings == [{"code": "late_training", "days": 1}]
