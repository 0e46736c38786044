"""What a pay run's lock promises once the run is posted: posting makes the lock final
(``finalise_production_lock``), keeping what it holds; nothing frees its records to be paid
again, not even a raw update; a cancelled run's lock is released, not final; and the migration
makes the locks of runs already posted final.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.testing.database import triggers_off
from tests.wages.payrun_builders import (
    WEEK_2,
    D,
    approved,
    attendance_locks,
    calculated,
    locks,
    posted,
    record,
)
from tests.wages.payrun_lock_checks import LOCKS, RUN_1, RUN_2, held, refusal
from wages.payruns import cancel_pay_run, post_pay_run
from wages.payruns.verification import verify_pay_runs
from workshops.models import LockedRecord, ProductionLock
from workshops.production import (
    adjust_production,
    finalise_production_lock,
    held_by,
    lock_production,
    unlock_production,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


migration = importlib.import_module("wages.migrations.0008_longer_references")


# Posting makes the lock final


def test_posting_makes_the_runs_lock_final_keeping_what_it_holds(week_posted):
    lock = ProductionLock.objects.get(reference=RUN_1)

    assert lock.is_final
    assert (lock.released_at, lock.held_records, lock.held_attendance) == (None, 2, 1)
    assert held_by(lock) == (2, 1, lock.held_checksum)
    assert list(
        ModelLogEntry.objects.filter(action="bridgework.production_lock_finalised").values_list(
            "user__username", "data"
        )
    ) == [("approver", {"reference": RUN_1, "records": 2, "attendance": 1})]


def test_a_posted_runs_records_are_not_unlocked(week_posted):
    assert refusal(lambda: unlock_production(RUN_1)) == [
        f"Pay run {RUN_1} is posted: its records were paid and stay locked. Change a record "
        "through a production adjustment; the next pay run pays the difference."
    ]
    assert set(locks().values()) == {RUN_1}
    assert attendance_locks() == {week_posted.session.pk: RUN_1}


def test_a_posted_runs_lock_takes_no_more_records(week_posted):
    late = record(week_posted, week_posted.workers[1], week_posted.tailoring, D(2026, 11, 5), "3")

    assert refusal(lambda: lock_production([late], RUN_1)) == [
        f"Pay run {RUN_1} is posted: its lock is final and takes no more records."
    ]
    assert locks()[late.pk] is None


def test_a_record_of_a_posted_run_is_paid_once_whatever_is_tried(week_posted):
    """The issue's probe: unlock the posted run, then calculate the next. The unlock is refused,
    and the next run pays only the record entered late."""
    late = record(week_posted, week_posted.workers[1], week_posted.tailoring, D(2026, 11, 5), "3")
    with pytest.raises(ValidationError):
        unlock_production(RUN_1)

    calculated(week_posted, WEEK_2)

    assert locks() == {
        week_posted.records[0].pk: RUN_1,
        week_posted.records[1].pk: RUN_1,
        late.pk: RUN_2,
    }


def test_finalising_an_unknown_or_released_lock_is_refused(pay_world):
    some = record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 2), "6")
    freed = lock_production([some], "PR-FREED")
    unlock_production("PR-FREED")

    for reference in ("PR-UNKNOWN", "PR-FREED"):
        assert refusal(lambda reference=reference: finalise_production_lock(reference)) == [
            f"No records are locked by pay run {reference}."
        ]
    assert ProductionLock.objects.get(pk=freed.pk).finalised_at is None


def test_finalising_a_final_lock_again_returns_it_as_it_was(week_posted):
    before = held()

    lock = finalise_production_lock(RUN_1)

    assert (lock.reference, held()) == (RUN_1, before)
    assert ModelLogEntry.objects.filter(action="bridgework.production_lock_finalised").count() == 1


def test_a_cancelled_runs_lock_is_released_not_final(pay_world):
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 2), "6", 40)
    run = approved(pay_world)

    cancel_pay_run(run, user=pay_world.calculator, reason="Wrong rates")

    lock = ProductionLock.objects.get(reference=RUN_1)
    assert (lock.released_at is not None, lock.finalised_at) == (True, None)
    assert set(locks().values()) == {None}


# verify_pay_runs


def test_every_posted_run_holds_what_it_paid(week_posted):
    """An adjustment after posting changes a record's values, not which records the run holds."""
    adjust_production(
        record=week_posted.records[1],
        hours="3",
        pieces=0,
        rejects=0,
        reason="Counted again",
        user=week_posted.world.supervisor,
    )
    record(week_posted, week_posted.workers[0], week_posted.tailoring, D(2026, 11, 9), "5")
    post_pay_run(approved(week_posted, WEEK_2), user=week_posted.approver)

    assert verify_pay_runs() == []


def test_a_final_lock_is_never_released_even_by_a_raw_update(week_posted):
    """A constraint, on both databases (on PostgreSQL a trigger refuses first)."""
    before = held()

    with triggers_off(*LOCKS), pytest.raises(IntegrityError) as refused, transaction.atomic():
        ProductionLock.objects.filter(reference=RUN_1).update(released_at=timezone.now())

    assert "final_lock_never_released" in str(refused.value)
    assert held() == before


# Migration 0008 of wages: the locks of runs posted before locks became final


def test_the_migration_makes_the_locks_of_runs_already_posted_final(week_posted):
    """Week 1's lock is made final with what it holds; week 2's was released by
    ``unlock_production`` after posting (once allowed): it stays released, and
    ``verify_pay_runs`` names it."""
    pay = week_posted
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 9), "5")
    posted(pay, WEEK_2)
    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(lock__reference=RUN_2).delete()
        ProductionLock.objects.filter(reference=RUN_2).update(
            finalised_at=None, released_at=timezone.now()
        )
        ProductionLock.objects.update(
            finalised_at=None, held_records=None, held_attendance=None, held_checksum=""
        )

    migration.finalise_posted_locks(apps, SimpleNamespace(connection=connection))

    lock = ProductionLock.objects.get(reference=RUN_1)
    assert (lock.is_final, lock.released_at, lock.held_records, lock.held_attendance) == (
        True,
        None,
        2,
        1,
    )
    assert lock.held_checksum == held_by(lock)[2]
    assert ProductionLock.objects.get(reference=RUN_2).finalised_at is None
    assert verify_pay_runs() == [
        f"pay run {RUN_2}: its lock was released, so the records it paid may be paid again"
    ]
