"""Locks a pay run puts on production records (``workshops/production/locks.py``): locking, adding
records to a lock, unlocking while keeping the lock as history, and the refusals, each leaving
records, locks and the audit log as they were.
"""

import pytest
from django.core.exceptions import ValidationError

from tests.workshops.production_builders import build_world
from tests.workshops.production_lock_checks import log_entries, state
from workshops.models import ProductionLock, ProductionRecord
from workshops.production import lock_production, unlock_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def locks_of(records) -> list[str | None]:
    """The reference of the pay run locking each record, or None."""
    references = dict(ProductionRecord.objects.values_list("pk", "locked__lock__reference"))
    return [references[record.pk] for record in records]


def test_lock_production_locks_the_records(world, records):
    lock = lock_production(
        ProductionRecord.objects.filter(worker=world.workers[0]), "PR-1", user=world.supervisor
    )

    assert lock.reference == "PR-1"
    assert lock.released_at is None
    assert locks_of(records) == ["PR-1", "PR-1", None]
    assert log_entries("bridgework.production_locked") == [
        (str(lock.pk), {"reference": "PR-1", "records": 2, "attendance": 0}, "sup")
    ]


def test_a_lock_over_records_locked_by_another_pay_run_is_refused_and_locks_nothing(world, records):
    first, second, third = records
    lock_production([first], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        lock_production([second, first, third], "PR-2")

    assert refused.value.messages == [
        "Record W-000000 Workshop tailoring-north 2026-11-05 SKU-A is already locked by pay run "
        "PR-1."
    ]
    assert state() == before
    assert locks_of(records) == ["PR-1", None, None]


def test_locking_again_with_the_same_reference_adds_records_to_that_lock(world, records):
    first, _second, third = records
    lock = lock_production([first], "PR-1")

    again = lock_production(ProductionRecord.objects.filter(pk__in=[first.pk, third.pk]), "PR-1")

    assert again.pk == lock.pk
    assert ProductionLock.objects.count() == 1
    assert locks_of(records) == ["PR-1", None, "PR-1"]
    assert [data for _id, data, _user in log_entries("bridgework.production_locked")] == [
        {"reference": "PR-1", "records": 1, "attendance": 0},
        {"reference": "PR-1", "records": 2, "attendance": 0},
    ]


def test_a_lock_needs_a_reference(world, records):
    before = state()

    with pytest.raises(ValidationError) as refused:
        lock_production(records, "")

    assert refused.value.messages == ["A lock needs the pay run's reference."]
    assert state() == before


def test_unlock_production_frees_the_records_and_keeps_the_lock_as_history(world, records):
    lock = lock_production(records[:2], "PR-1")

    freed = unlock_production("PR-1", user=world.supervisor)

    assert freed == 2
    assert locks_of(records) == [None, None, None]
    lock.refresh_from_db()
    assert lock.reference == "PR-1"
    assert lock.released_at is not None
    assert lock.entries.count() == 0
    assert log_entries("bridgework.production_unlocked") == [
        (str(lock.pk), {"reference": "PR-1", "records": 2, "attendance": 0}, "sup")
    ]


def test_a_released_reference_can_lock_again_under_a_new_lock(world, records):
    first_lock = lock_production(records[:1], "PR-1")
    unlock_production("PR-1")

    second_lock = lock_production(records[1:2], "PR-1")

    assert second_lock.pk != first_lock.pk
    assert list(ProductionLock.objects.order_by("pk").values_list("reference", "released_at")) == [
        ("PR-1", ProductionLock.objects.get(pk=first_lock.pk).released_at),
        ("PR-1", None),
    ]
    assert locks_of(records) == [None, "PR-1", None]


def test_unlocking_an_unknown_reference_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        unlock_production("PR-9")

    assert refused.value.messages == ["No records are locked by pay run PR-9."]
    assert state() == before


def test_unlocking_a_released_reference_again_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    unlock_production("PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        unlock_production("PR-1")

    assert refused.value.messages == ["No records are locked by pay run PR-1."]
    assert state() == before
