"""What PostgreSQL itself guarantees about production records, whatever code writes to them: the
guard trigger keeps a locked record's values and identity unless an adjustment explains the
change, the constraints keep one record per key and sane values, and two people (or two imports)
acting at the same moment on real connections leave exactly one set of records."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, race, raw, refused_by_the_database
from tests.workshops.production_builders import TODAY, build_world, csv_file, day
from workshops.models import (
    LockedRecord,
    ProductionAdjustment,
    ProductionImport,
    ProductionLock,
    ProductionRecord,
)
from workshops.production import (
    Entry,
    GridSaved,
    adjust_production,
    import_production,
    lock_production,
    save_grid,
    unlock_production,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits

VALUES = ("hours", "pieces", "rejects")
TABLE = "workshops_productionrecord"


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world()


def record(world, *, worker=0, sku=0, hours="7.00", pieces=30, rejects=1, **fields):
    return ProductionRecord.objects.create(
        worker=world.workers[worker],
        workshop=world.workshop,
        day=day(0),
        sku=world.skus[sku],
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        **{"supervisor": world.supervisor, **fields},
    )


def time_only(world, hours):
    return ProductionRecord.objects.create(
        worker=world.workers[0],
        workshop=world.crew,
        day=day(0),
        sku=None,
        hours=Decimal(hours),
        supervisor=world.supervisor,
    )


def locked_record(world):
    locked = record(world)
    lock_production([locked], "PR-1")
    return locked


def check_violation(name: str) -> str:
    return f'new row for relation "{TABLE}" violates check constraint "{name}"'


def unique_violation(name: str) -> str:
    return f'duplicate key value violates unique constraint "{name}"'


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


# The constraints


def test_a_second_record_for_the_same_worker_workshop_day_and_sku_is_refused(world):
    first = record(world)

    with refused_by_the_database() as refused:
        record(world, hours="1.00")

    assert first_line(refused) == unique_violation("one_record_per_worker_workshop_day_sku")
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == [
        (first.pk, Decimal("7.00"))
    ]


def test_two_time_only_records_for_the_same_worker_workshop_and_day_are_refused(world):
    first = time_only(world, "3.00")

    with refused_by_the_database() as refused:
        time_only(world, "2.00")

    assert first_line(refused) == unique_violation("one_time_record_per_worker_workshop_day")
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == [
        (first.pk, Decimal("3.00"))
    ]


def test_the_same_worker_and_day_in_two_workshops_are_two_records(world):
    """The unique keys hold the workshop: they refuse duplicates, nothing more."""
    record(world)
    time_only(world, "1.00")

    assert sorted(ProductionRecord.objects.values_list("workshop__slug", "hours")) == [
        ("crew-north", Decimal("1.00")),
        ("tailoring-north", Decimal("7.00")),
    ]


@pytest.mark.parametrize("hours", ["25.00", "24.01", "-1.00"])
def test_hours_outside_a_day_are_refused(world, hours):
    with refused_by_the_database() as refused:
        record(world, hours=hours)

    assert first_line(refused) == check_violation("production_hours_within_a_day")
    assert ProductionRecord.objects.count() == 0


@pytest.mark.parametrize("hours", ["0.00", "24.00"])
def test_hours_at_the_bounds_of_a_day_are_accepted(world, hours):
    record(world, hours=hours)

    assert list(ProductionRecord.objects.values_list("hours", flat=True)) == [Decimal(hours)]


@pytest.mark.parametrize("column", ["pieces", "rejects"])
def test_negative_counts_are_refused(world, column):
    with refused_by_the_database() as refused:
        record(world, **{column: -1})

    assert first_line(refused) == check_violation("production_counts_not_negative")
    assert ProductionRecord.objects.count() == 0


def test_a_breach_without_a_reason_is_refused(world):
    with refused_by_the_database() as refused:
        record(world, hours="10.00", breaches="HOURS_DAY", supervisor_note="")

    assert first_line(refused) == check_violation("production_breach_has_reason")
    assert ProductionRecord.objects.count() == 0


def test_a_breach_with_a_reason_is_accepted(world):
    kept = record(world, hours="10.00", breaches="HOURS_DAY", supervisor_note="Order deadline")

    assert ProductionRecord.objects.values_list("breaches", "supervisor_note").get(pk=kept.pk) == (
        "HOURS_DAY",
        "Order deadline",
    )


def test_a_record_without_a_supervisor_must_be_legacy(world):
    with refused_by_the_database() as refused:
        record(world, supervisor=None)

    assert first_line(refused) == check_violation("production_supervised_unless_legacy")
    assert ProductionRecord.objects.count() == 0


# Two at the same moment, on two connections


def grid_entries(world):
    return [
        Entry(
            worker=world.workers[0],
            workshop=world.workshop,
            day=day(0),
            sku=world.skus[0],
            hours=Decimal("7.00"),
            pieces=30,
            rejects=1,
        ),
        Entry(
            worker=world.workers[1],
            workshop=world.workshop,
            day=day(0),
            sku=world.skus[1],
            hours=Decimal("6.00"),
            pieces=12,
        ),
    ]


def saving(world, *, hours=None):
    """A call saving the grid's day; ``hours`` replaces the first worker's (and drops the
    second worker) to make the two saves differ."""

    def call():
        entries = grid_entries(world)
        if hours is not None:
            entries = entries[:1]
            entries[0].hours = Decimal(hours)
        return save_grid(
            workshop=world.workshop, day=day(0), entries=entries, user=world.supervisor, today=TODAY
        )

    return call


@at_once
def test_the_same_day_saved_twice_at_once_gives_one_set_of_records(world):
    """``save_grid`` locks the day's workers first, so the second save waits until the first has
    committed, then finds the records it wanted already there with the same values: one save
    creates them, the other changes nothing. Never a duplicate, and neither is refused."""
    outcomes = race(saving(world), saving(world))

    assert sorted(outcomes, key=lambda saved: saved.created) == [
        GridSaved(created=0, corrected=0, removed=0, unchanged=2),
        GridSaved(created=2, corrected=0, removed=0, unchanged=0),
    ]
    assert sorted(
        ProductionRecord.objects.values_list("worker__reference", "sku__code", *VALUES)
    ) == [
        ("W-000000", "SKU-A", Decimal("7.00"), 30, 1),
        ("W-000001", "SKU-B", Decimal("6.00"), 12, 0),
    ]


@at_once
def test_two_saves_with_different_values_at_once_the_later_corrects_the_earlier(world):
    """The grid is the whole day as it should be: the save that takes the workers' locks second
    sees the first one's record and corrects it (the audit log keeps the old values)."""
    outcomes = race(saving(world, hours="5.00"), saving(world, hours="6.00"))

    assert sorted(outcomes, key=lambda saved: saved.created) == [
        GridSaved(created=0, corrected=1, removed=0, unchanged=0),
        GridSaved(created=1, corrected=0, removed=0, unchanged=0),
    ]
    later = "5.00" if outcomes[0].corrected else "6.00"
    assert list(ProductionRecord.objects.values_list("worker__reference", *VALUES)) == [
        ("W-000000", Decimal(later), 30, 1)
    ]


@at_once
def test_two_locks_over_the_same_records_at_once_one_holds_them_all(world):
    """The second lock's INSERT waits on the first's uncommitted rows of the same records, then
    conflicts with them once committed: it locks nothing, raises, and its own lock row is rolled
    back with it."""
    records = [record(world), record(world, worker=1), record(world, worker=2, sku=1)]

    outcomes = race(
        lambda: lock_production(ProductionRecord.objects.all(), "PR-A"),
        lambda: lock_production(ProductionRecord.objects.all(), "PR-B"),
    )

    [held] = [outcome for outcome in outcomes if isinstance(outcome, ProductionLock)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    first = ProductionRecord.objects.first()
    assert refused.messages == [f"Record {first} is already locked by pay run {held.reference}."]
    assert list(ProductionLock.objects.values_list("reference", "released_at")) == [
        (held.reference, None)
    ]
    assert sorted(ProductionRecord.objects.values_list("pk", "locked__lock")) == sorted(
        (r.pk, held.pk) for r in records
    )


WEEK_FILE = csv_file(
    "2026-11-02,W-000000,tailoring-north,SKU-A,7,30,1,sup,,",
    "2026-11-02,W-000001,tailoring-north,SKU-B,6,12,0,sup,,",
    "2026-11-02,W-000000,crew-north,,1,,,sup,,",
)


@at_once
def test_the_same_file_imported_twice_at_once_counts_once(world):
    """The second import waits for the first's lock on the workers (``lock_workers``), then its
    check finds the first's records: refused in words, line by line, before it inserts anything.
    One import, one set of records."""

    def run():
        return import_production(WEEK_FILE, file_name="week.csv", today=TODAY)

    outcomes = race(run, run)

    [made] = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert refused.messages == [
        "Line 2: A record for W-000000 at tailoring-north on 2026-11-02 (SKU-A) exists.",
        "Line 3: A record for W-000001 at tailoring-north on 2026-11-02 (SKU-B) exists.",
        "Line 4: A record for W-000000 at crew-north on 2026-11-02 (time-only work) exists.",
    ]
    assert (made.rows, made.dry_run) == (3, False)
    assert list(ProductionImport.objects.values_list("pk", "rows")) == [(made.source.pk, 3)]
    assert sorted(
        ProductionRecord.objects.values_list("worker__reference", "workshop__slug", "hours")
    ) == [
        ("W-000000", "crew-north", Decimal("1.00")),
        ("W-000000", "tailoring-north", Decimal("7.00")),
        ("W-000001", "tailoring-north", Decimal("6.00")),
    ]
