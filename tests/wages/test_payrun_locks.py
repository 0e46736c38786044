"""What a pay run's lock promises once the run is posted, and which records a run pays (issue 16,
items 2 and 4): posting makes the lock final (``finalise_production_lock``), nothing frees its
records to be paid again, ``verify_pay_runs`` finds what someone with the triggers switched off
did to it; and the one rule for records (``records_to_pay``) at its edges."""

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
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    approved,
    attend,
    attendance_locks,
    calculated,
    draft,
    everything,
    locks,
    posted,
    record,
)
from tests.workshops.builders import build_workshop
from tests.workshops.production_builders import build_worker_in
from wages.ledger import verify_ledger
from wages.payruns import approve_pay_run, calculate_pay_run, cancel_pay_run, post_pay_run
from wages.payruns.records import records_to_pay
from wages.payruns.verification import verify_pay_runs
from workshops.models import LockedRecord, Prison, ProductionLock, TrainingAttendance
from workshops.production import (
    adjust_production,
    finalise_production_lock,
    held_by,
    lock_production,
    unlock_production,
)

migration = importlib.import_module("wages.migrations.0008_longer_references")

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

RUN_1 = "PR-north-prison-2026-11-02"
RUN_2 = "PR-north-prison-2026-11-09"
RUN_3 = "PR-north-prison-2026-11-16"


def refusal(call) -> list[str]:
    """The messages ``call`` is refused with, having checked that it changed nothing."""
    before = {**everything(), "locks": locks(), "held": held()}
    with pytest.raises(ValidationError) as refused:
        call()
    assert {**everything(), "locks": locks(), "held": held()} == before
    return refused.value.messages


def held():
    return list(
        ProductionLock.objects.order_by("pk").values_list(
            "reference", "released_at", "finalised_at", "held_records", "held_attendance"
        )
    )


@pytest.fixture
def week_posted(pay_world):
    """Week 1 posted: two records of W-000000 and a training session."""
    first = pay_world.workers[0]
    pay_world.records = [
        record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40),
        record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "2", 0),
    ]
    pay_world.session = attend(pay_world, first, D(2026, 11, 4), "2")
    pay_world.run = posted(pay_world)
    return pay_world


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


LOCKS = ("workshops_lockedrecord", "workshops_productionlock", "workshops_trainingattendance")


def test_verify_finds_a_record_freed_from_a_posted_run(week_posted):
    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(record=week_posted.records[1]).delete()

    assert verify_pay_runs() == [
        f"pay run {RUN_1}: its lock held 2 records and 1 training sessions when the run was "
        "posted, and holds 1 and 1 now"
    ]


def test_verify_ledger_names_a_record_freed_from_a_posted_run(week_posted):
    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(record=week_posted.records[1]).delete()

    assert verify_ledger() == [
        f"pay run {RUN_1}: its lock held 2 records and 1 training sessions when the run was "
        "posted, and holds 1 and 1 now"
    ]


def test_verify_finds_training_freed_from_a_posted_run(week_posted):
    with triggers_off(*LOCKS):
        TrainingAttendance.objects.filter(pk=week_posted.session.pk).update(lock=None)

    assert verify_pay_runs() == [
        f"pay run {RUN_1}: its lock held 2 records and 1 training sessions when the run was "
        "posted, and holds 2 and 0 now"
    ]


def test_verify_finds_a_record_of_a_posted_run_swapped_for_another(week_posted):
    other = record(week_posted, week_posted.workers[1], week_posted.tailoring, D(2026, 11, 5), "3")
    lock = ProductionLock.objects.get(reference=RUN_1)

    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(record=week_posted.records[1]).delete()
        LockedRecord.objects.create(record=other, lock=lock)

    assert verify_pay_runs() == [
        f"pay run {RUN_1}: its lock holds other records or training sessions than when the run "
        "was posted"
    ]


def test_verify_finds_a_posted_runs_lock_released(week_posted):
    """Released with its rows deleted, as ``unlock_production`` did before locks were final."""
    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(lock__reference=RUN_1).delete()
        ProductionLock.objects.filter(reference=RUN_1).update(
            finalised_at=None, released_at=timezone.now()
        )

    assert verify_pay_runs() == [
        f"pay run {RUN_1}: its lock was released, so the records it paid may be paid again"
    ]


def test_verify_finds_a_posted_runs_lock_no_longer_final(week_posted):
    with triggers_off(*LOCKS):
        ProductionLock.objects.filter(reference=RUN_1).update(finalised_at=None)

    assert verify_pay_runs() == [f"pay run {RUN_1}: its lock is not final"]


def test_verify_finds_a_posted_runs_lock_deleted(week_posted):
    with triggers_off(*LOCKS):
        LockedRecord.objects.filter(lock__reference=RUN_1).delete()
        TrainingAttendance.objects.update(lock=None)
        ProductionLock.objects.filter(reference=RUN_1).delete()

    assert verify_pay_runs() == [f"pay run {RUN_1}: the lock on the records it paid is missing"]


def test_a_final_lock_is_never_released_even_by_a_raw_update(week_posted):
    """A constraint, on both databases (on PostgreSQL a trigger refuses first)."""
    before = held()

    with triggers_off(*LOCKS), pytest.raises(IntegrityError) as refused, transaction.atomic():
        ProductionLock.objects.filter(reference=RUN_1).update(released_at=timezone.now())

    assert "final_lock_never_released" in str(refused.value)
    assert held() == before


# Which records a run pays: the one rule, at its edges


def test_which_records_a_run_pays(week_posted):
    """Week 1 is posted, week 2 has no run, week 3 is calculated: it pays its own week, and the
    records no run holds dated from week 1's first day (the earliest posted run's) up to its
    own, legacy ones excepted; nothing before week 1, after week 3 or of another prison."""
    pay, first, second = week_posted, *week_posted.workers[:2]
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=pay.prison.region, population="men"
    )
    south_shop = build_workshop("tailoring-south", prison=south)

    def at(day, worker=second, workshop=pay.tailoring, **fields):
        return record(pay, worker, workshop, day, "1", **fields)

    paid = {
        "on the earliest posted run's first day, entered late": at(D(2026, 11, 2)),
        "late in week 1": at(D(2026, 11, 8)),
        "in week 2, which no run covered": at(D(2026, 11, 12)),
        "on the period's first day": at(D(2026, 11, 16)),
        "on the period's last day": at(D(2026, 11, 22)),
    }
    unpaid = {
        "the day before the earliest posted run": at(D(2026, 11, 1)),
        "after the period": at(D(2026, 11, 23)),
        "legacy, in the period": at(D(2026, 11, 17), worker=first, legacy=True),
        "another prison's": record(
            pay, build_worker_in([south_shop], "W-000101"), south_shop, D(2026, 11, 17), "1"
        ),
    }

    run = draft(pay, WEEK_3)
    assert set(records_to_pay(run)) == set(paid.values())
    calculate_pay_run(run, user=pay.calculator)

    holders = locks()
    assert {why: holders[each.pk] for why, each in paid.items()} == dict.fromkeys(paid, RUN_3)
    assert {why: holders[each.pk] for why, each in unpaid.items()} == dict.fromkeys(unpaid)
    assert {holders[each.pk] for each in pay.records} == {RUN_1}


def test_a_run_before_the_earliest_posted_run_pays_its_own_period_only(pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 9), "6", 40)
    posted(pay_world, WEEK_2)
    before = record(pay_world, first, pay_world.tailoring, D(2026, 10, 30), "2")
    own = record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "2")

    calculated(pay_world, WEEK_1)

    assert (locks()[before.pk], locks()[own.pk]) == (None, RUN_1)


def test_a_later_run_leaves_an_open_earlier_runs_period_to_it(week_posted):
    """Week 2's run is a draft when week 3's is calculated: week 2's records are that run's to
    pay, not late records of week 3 (before issue 16 week 3 took them, and week 2 paid none).
    A late record of week 1 goes to whichever is calculated first; the other is refused,
    naming it, until that run is posted."""
    pay, second = week_posted, week_posted.workers[1]
    week_2 = draft(pay, WEEK_2)
    waiting = record(pay, second, pay.tailoring, D(2026, 11, 10), "4")
    late = record(pay, second, pay.tailoring, D(2026, 11, 6), "1")

    week_3 = calculated(pay, WEEK_3)
    assert (locks()[waiting.pk], locks()[late.pk]) == (None, RUN_3)

    assert refusal(lambda: calculate_pay_run(week_2, user=pay.calculator)) == [
        f"Record {late} is already locked by pay run {RUN_3}."
    ]
    post_pay_run(approve_pay_run(week_3, user=pay.approver), user=pay.approver)
    calculate_pay_run(week_2, user=pay.calculator)
    assert (locks()[waiting.pk], locks()[late.pk]) == (RUN_2, RUN_3)


def test_a_cancelled_runs_period_is_paid_late_by_the_next_run(week_posted):
    pay, second = week_posted, week_posted.workers[1]
    waiting = record(pay, second, pay.tailoring, D(2026, 11, 10), "4")
    cancel_pay_run(calculated(pay, WEEK_2), user=pay.calculator, reason="Wrong week")

    calculated(pay, WEEK_3)

    assert locks()[waiting.pk] == RUN_3


def test_training_follows_the_same_rule(week_posted):
    pay, second = week_posted, week_posted.workers[1]
    draft(pay, WEEK_2)
    waiting = attend(pay, second, D(2026, 11, 10), "2")
    late = attend(pay, second, D(2026, 11, 6), "1")
    before = attend(pay, second, D(2026, 11, 1), "1")

    calculated(pay, WEEK_3)

    assert {each: attendance_locks()[each.pk] for each in (waiting, late, before, pay.session)} == {
        waiting: None,
        late: RUN_3,
        before: None,
        pay.session: RUN_1,
    }


# Migration 0008 of wages: the locks of runs posted before locks became final


def test_the_migration_makes_the_locks_of_runs_already_posted_final(week_posted):
    """Week 1's lock is made final with what it holds; week 2's was released by
    ``unlock_production`` after posting (allowed before issue 16): it stays released, and
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
