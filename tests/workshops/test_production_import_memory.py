"""The importer's memory grows by a bounded figure per row (memory stays well
under 200 MB for any file the upload limit admits). A row is read, checked and saved as a tuple,
then an ``Entry``, sharing the texts, days and hours it repeats; nothing is held per row beside
them. Measured with tracemalloc on a generated file of ``ROWS`` rows, so the test stays fast: the
largest file admitted holds about 15 times as many (``bench/production.py`` measures that), and
a file holds at most ``MAX_IMPORT_ROWS``, whatever their length."""

import datetime
import tracemalloc
from decimal import Decimal

import pytest

from tests.workshops.production_builders import TODAY, build_world, csv_file
from workshops.models import (
    Assignment,
    FitnessClearance,
    ProductionImport,
    ProductionRecord,
    Stay,
    Worker,
)
from workshops.production import ProductionRefused, import_production, importer
from workshops.production.checks import REPORTED_PROBLEMS

ROWS = 20_000
WORKERS = 200
FIRST_DAY = datetime.date(2026, 6, 1)  # a Monday
# What an import holds whatever its rows: the lookups' model instances, Django's and the database
# driver's own; and, saving, a batch of 2,000 records being inserted (about 7 MiB).
MIB = 1024 * 1024
FIXED = {True: 1 * MIB, False: 8 * MIB}  # by dry_run
# Beyond it, per row: about 200 bytes now (a tuple, then an ``Entry``, and the line's number); the
# importer before this bound took about 1,200 (the whole text decoded, a dict of its cells and a
# ``Decimal`` per row, and per-row maps in the checks).
BYTES_PER_ROW = 250


def working_day(number: int) -> datetime.date:
    week, weekday = divmod(number, 5)
    return FIRST_DAY + datetime.timedelta(weeks=week, days=weekday)


@pytest.fixture
def big_file(db) -> bytes:
    """``ROWS`` valid rows: ``WORKERS`` workers, 7.50 hours on each working day (under the
    policy's 8 a day and 40 a week, with two rest days a week), the two SKUs in turn."""
    world = build_world(workers=0)
    people = Worker.objects.bulk_create(
        Worker(reference=f"W-{n:06d}", legal_name=f"Legal {n}", prison_number=f"P{n:06d}")
        for n in range(WORKERS)
    )
    prison = world.workshop.prison
    Stay.objects.bulk_create(Stay(worker=w, prison=prison, start=FIRST_DAY) for w in people)
    FitnessClearance.objects.bulk_create(
        FitnessClearance(worker=w, cleared_on=FIRST_DAY) for w in people
    )
    Assignment.objects.bulk_create(
        Assignment(worker=w, workshop=world.workshop, start=FIRST_DAY) for w in people
    )
    days = ROWS // WORKERS
    assert working_day(days - 1) < TODAY
    return csv_file(
        *(
            f"{working_day(n)},{w.reference},tailoring-north,SKU-{'AB'[(i + n) % 2]},7.50,,,sup,,"
            for i, w in enumerate(people)
            for n in range(days)
        )
    )


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "import"])
def test_an_import_peaks_at_a_bounded_figure_per_row(big_file, dry_run):
    tracemalloc.start()
    try:
        result = import_production(big_file, file_name="big.csv", today=TODAY, dry_run=dry_run)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.rows == ROWS
    assert ProductionRecord.objects.count() == (0 if dry_run else ROWS)
    if not dry_run:
        assert set(ProductionRecord.objects.values_list("hours", "breaches")) == {
            (Decimal("7.50"), "")
        }
    beyond = peak - FIXED[dry_run]
    assert beyond < BYTES_PER_ROW * ROWS, f"{beyond / ROWS:.0f} bytes a row"


def test_a_file_of_more_rows_than_the_bound_is_refused_and_saves_nothing(db, monkeypatch):
    monkeypatch.setattr(importer, "MAX_IMPORT_ROWS", 3)
    build_world()
    rows = [f"2026-11-0{2 + n},W-000000,tailoring-north,SKU-A,4,,,sup,," for n in range(4)]
    with pytest.raises(ProductionRefused) as refused:
        import_production(csv_file(*rows), file_name="big.csv", today=TODAY)
    assert [str(p) for p in refused.value.problems] == [
        "The file has more than 3 rows; split it into several files."
    ]
    assert ProductionRecord.objects.count() == 0
    assert ProductionImport.objects.count() == 0
    # Blank rows are not rows: three rows and a blank one are read.
    assert (
        import_production(csv_file(*rows[:3], ",,,,,,,,,"), file_name="big.csv", today=TODAY).rows
        == 3
    )
    assert ProductionRecord.objects.count() == 3


BAD_ROW = "x,,,,y,y,y,,,z"  # seven problems: date, worker, workshop, hours, pieces, rejects, legacy
BAD_ROW_PROBLEMS = [
    "Date “x” is not a date as YYYY-MM-DD.",
    "hours “y” is not a number.",
    "pieces “y” is not a whole number.",
    "rejects “y” is not a whole number.",
    "Legacy is “yes” or empty, not “z”.",
    "The worker is missing.",
    "The workshop is missing.",
]


def test_a_file_of_bad_rows_lists_the_first_problems_in_line_order_and_counts_the_rest(db):
    """Listing problems is bounded too: ``ROWS`` bad rows (140,000 problems) peak under 2 MiB,
    where keeping them all took about 160 bytes each (22 MiB here; 450 MiB for the 400,000 rows
    a file may hold)."""
    build_world()
    data = csv_file(*[BAD_ROW] * ROWS)
    tracemalloc.start()
    try:
        with pytest.raises(ProductionRefused) as refused:
            import_production(data, file_name="bad.csv", today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB, f"{peak / MIB:.1f} MiB"
    problems = refused.value.problems
    assert (refused.value.count, len(problems), refused.value.more) == (
        7 * ROWS,
        REPORTED_PROBLEMS,
        7 * ROWS - REPORTED_PROBLEMS,
    )
    # The first 1,000 in line order: lines 2 to 144 whole, and six of line 144's seven problems.
    assert [p.line for p in problems] == [2 + n // 7 for n in range(REPORTED_PROBLEMS)]
    assert sorted(p.message for p in problems[:7]) == sorted(BAD_ROW_PROBLEMS)
    assert refused.value.messages[-1] == "…and 139,000 more problems, not listed."
    assert ProductionRecord.objects.count() == 0
    assert ProductionImport.objects.count() == 0
