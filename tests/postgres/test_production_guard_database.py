"""What PostgreSQL itself guarantees about locked production records, whatever code writes to them:
the guard trigger keeps a locked record's values and identity unless an adjustment explains the
change (and only its own values), and a released lock frees the record for the database too.
"""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, raw, refused_by_the_database
from tests.postgres.production_checks import TABLE, VALUES, record
from tests.workshops.production_builders import build_world, day
from workshops.models import LockedRecord, ProductionAdjustment, ProductionRecord
from workshops.production import adjust_production, lock_production, unlock_production

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world()


def locked_record(world):
    locked = record(world)
    lock_production([locked], "PR-1")
    return locked


def values(pk):
    return ProductionRecord.objects.values_list(*VALUES).get(pk=pk)


# The guard on locked records (migration 0004, ``workshops_locked_production_guard``)


@pytest.mark.parametrize("column", VALUES)
def test_raw_update_of_a_locked_records_values_is_refused(world, column):
    locked = locked_record(world)

    with refused_by_the_database() as refused:
        raw(f"UPDATE {TABLE} SET {column} = 5 WHERE id = %s", locked.pk)  # noqa: S608 # nosec B608

    assert first_line(refused) == (
        f"production record {locked.pk} is locked: change it through a production adjustment"
    )
    assert values(locked.pk) == (Decimal("7.00"), 30, 1)


def test_raw_delete_of_a_locked_record_is_refused(world):
    locked = locked_record(world)

    with refused_by_the_database() as refused:
        raw(f"DELETE FROM {TABLE} WHERE id = %s", locked.pk)  # noqa: S608 # nosec B608

    assert first_line(refused) == (
        f"production record {locked.pk} is locked by a pay run and cannot be deleted"
    )
    assert values(locked.pk) == (Decimal("7.00"), 30, 1)


def test_the_orm_cannot_delete_a_locked_record_either(world):
    locked = locked_record(world)

    with pytest.raises(ProtectedError) as refused:
        ProductionRecord.objects.filter(pk=locked.pk).delete()

    assert refused.value.args[0] == (
        "Cannot delete some instances of model 'ProductionRecord' because they are referenced "
        "through protected foreign keys: 'LockedRecord.record'."
    )
    assert values(locked.pk) == (Decimal("7.00"), 30, 1)
    assert LockedRecord.objects.get(record=locked).lock.reference == "PR-1"


def test_a_raw_lock_of_a_record_that_does_not_exist_is_refused(world):
    held = lock_production([record(world)], "PR-1")

    with refused_by_the_database() as refused:
        raw(
            "INSERT INTO workshops_lockedrecord (record_id, lock_id) VALUES (%s, %s)",
            999_999,
            held.pk,
        )

    assert first_line(refused) == "production record 999999 does not exist and cannot be locked"
    assert list(LockedRecord.objects.values_list("lock__reference", flat=True)) == ["PR-1"]


def test_a_raw_lock_under_a_released_or_missing_lock_is_refused(world):
    held = lock_production([record(world)], "PR-1")
    unlock_production("PR-1")
    free = record(world, worker=1)

    for lock_id in (held.pk, 999_999):
        with refused_by_the_database() as refused:
            raw(
                "INSERT INTO workshops_lockedrecord (record_id, lock_id) VALUES (%s, %s)",
                free.pk,
                lock_id,
            )

        assert first_line(refused) == f"production lock {lock_id} does not exist or was released"
    assert LockedRecord.objects.count() == 0


def test_a_locked_record_row_is_never_moved(world):
    first, second = record(world), record(world, worker=1)
    held = lock_production([first], "PR-1")
    other = lock_production([second], "PR-2")

    moves = (
        "UPDATE workshops_lockedrecord SET lock_id = %s WHERE record_id = %s",
        "UPDATE workshops_lockedrecord SET record_id = %s WHERE record_id = %s",
    )
    for move, value in zip(moves, (other.pk, second.pk + 1000), strict=True):
        with refused_by_the_database() as refused:
            raw(move, value, first.pk)

        assert first_line(refused) == (
            "a locked record is not moved to another lock or record: unlock it first"
        )
    assert sorted(LockedRecord.objects.values_list("record", "lock")) == [
        (first.pk, held.pk),
        (second.pk, other.pk),
    ]


def test_raw_update_and_delete_of_an_unlocked_record_are_allowed(world):
    free = record(world)
    other = record(world, worker=1)
    lock_production([other], "PR-1")

    assert raw(f"UPDATE {TABLE} SET hours = 5 WHERE id = %s", free.pk) == 1  # noqa: S608 # nosec B608
    assert values(free.pk) == (Decimal("5.00"), 30, 1)
    assert raw(f"DELETE FROM {TABLE} WHERE id = %s", free.pk) == 1  # noqa: S608 # nosec B608
    assert list(ProductionRecord.objects.values_list("pk", flat=True)) == [other.pk]


def test_a_released_lock_frees_the_record_for_the_database_too(world):
    freed = locked_record(world)
    assert unlock_production("PR-1") == 1

    assert raw(f"UPDATE {TABLE} SET hours = 5 WHERE id = %s", freed.pk) == 1  # noqa: S608 # nosec B608
    assert values(freed.pk) == (Decimal("5.00"), 30, 1)


def test_a_locked_records_note_may_change_without_an_adjustment(world):
    locked = locked_record(world)

    assert raw(f"UPDATE {TABLE} SET supervisor_note = 'Seen' WHERE id = %s", locked.pk) == 1  # noqa: S608 # nosec B608

    assert ProductionRecord.objects.values_list("supervisor_note", *VALUES).get(pk=locked.pk) == (
        "Seen",
        Decimal("7.00"),
        30,
        1,
    )


def test_adjust_production_passes_the_guard(world):
    """The adjustment row goes in first; the trigger finds it and lets the new values through."""
    locked = locked_record(world)

    adjustment = adjust_production(
        record=locked,
        hours="6.5",
        pieces=28,
        rejects=3,
        reason="Two pieces counted twice",
        user=world.supervisor,
    )

    assert values(locked.pk) == (Decimal("6.50"), 28, 3)
    assert ProductionAdjustment.objects.values_list(
        "record", "old_hours", "old_pieces", "old_rejects", "new_hours", "new_pieces", "new_rejects"
    ).get(pk=adjustment.pk) == (locked.pk, Decimal("7.00"), 30, 1, Decimal("6.50"), 28, 3)
    assert ProductionRecord.objects.get(pk=locked.pk).lock.reference == "PR-1"


def test_an_adjustment_explains_only_its_own_values(world):
    """A further change needs its own adjustment: the first one's old and new values do not
    match the record's values any more."""
    locked = locked_record(world)
    adjust_production(
        record=locked, hours="6.5", pieces=28, rejects=3, reason="Recount", user=world.supervisor
    )

    with refused_by_the_database() as refused:
        raw(f"UPDATE {TABLE} SET hours = 7 WHERE id = %s", locked.pk)  # noqa: S608 # nosec B608

    assert first_line(refused) == (
        f"production record {locked.pk} is locked: change it through a production adjustment"
    )
    assert values(locked.pk) == (Decimal("6.50"), 28, 3)


@pytest.mark.parametrize("column", ["worker_id", "day", "sku_id", "workshop_id", "legacy"])
def test_a_locked_record_keeps_its_worker_day_sku_workshop_and_legacy(world, column):
    locked = locked_record(world)
    given = {
        "worker_id": world.workers[2].pk,
        "day": day(1),
        "sku_id": world.skus[1].pk,
        "workshop_id": world.other.pk,
        "legacy": True,
    }[column]

    with refused_by_the_database() as refused:
        raw(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", given, locked.pk)  # noqa: S608 # nosec B608

    assert first_line(refused) == (
        f"production record {locked.pk} is locked: only its values change, by an adjustment"
    )
    assert ProductionRecord.objects.values_list("worker", "workshop", "day", "sku", "legacy").get(
        pk=locked.pk
    ) == (world.workers[0].pk, world.workshop.pk, day(0), world.skus[0].pk, False)
