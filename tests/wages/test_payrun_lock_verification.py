"""``verify_pay_runs`` and ``verify_ledger`` find what someone with the triggers switched off did to
a posted run's lock: a record or training freed or swapped, the lock released, no longer final or
deleted.
"""

import pytest
from django.utils import timezone

from core.testing.database import triggers_off
from tests.wages.payrun_builders import D, record
from tests.wages.payrun_lock_checks import LOCKS, RUN_1
from wages.ledger import verify_ledger
from wages.payruns.verification import verify_pay_runs
from workshops.models import LockedRecord, ProductionLock, TrainingAttendance

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


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
