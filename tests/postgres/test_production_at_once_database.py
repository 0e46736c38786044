"""Two people, or two imports, acting on production records at the same moment on real PostgreSQL
connections: the same day saved twice gives one set of records (the later save correcting the
earlier), two locks over the same records leave them to one, and a file imported twice counts
once.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.production_checks import VALUES, record
from tests.workshops.production_builders import TODAY, build_world, csv_file, day
from workshops.models import ProductionImport, ProductionLock, ProductionRecord
from workshops.production import Entry, GridSaved, import_production, lock_production, save_grid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world()


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
        "Line 2: A record for W-000000 at tailoring-north on Nov 2, 2026 (SKU-A) exists.",
        "Line 3: A record for W-000001 at tailoring-north on Nov 2, 2026 (SKU-B) exists.",
        "Line 4: A record for W-000000 at crew-north on Nov 2, 2026 (time-only work) exists.",
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
