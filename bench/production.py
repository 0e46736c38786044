"""How fast ``import_production`` takes in a production file, against the floor measured in the
same run: ``bulk_create`` of the very same rows, already resolved to model instances, into the
same table (batches of 2,000, as the importer's). Only the insert and its commit are timed for
the floor; ours is timed from the file's bytes to the commit, so the ratio says how many times
longer than the bare insert the whole import takes, parsing, look-ups and checks included. Every
round inserts into a table emptied of the previous round's rows; the best round counts, ours and
the floor alternating.

Also: the importer's query count (set-based: it grows with the chunks of 500 workers and the
batches of 2,000 records, not with the rows), its peak Python memory (tracemalloc, in a separate
untimed round, since tracing slows Python down), and a supervisor's 40 workers x 5 SKUs grid
saved with ``save_grid`` on an empty day, in milliseconds and queries (the user is read afresh
before each save, as a request would, so loading their permissions counts).

The database is made for the run and dropped after it: a temporary SQLite file, or a database
beside the one DATABASE_URL names when that is PostgreSQL.

    python bench/production.py [--rows N] [--rounds N] [--smoke]
"""

import argparse
import datetime
import math
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")
TMP = Path(tempfile.gettempdir()) / f"bench-production-{os.getpid()}"  # made by main()
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
if not POSTGRES:
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from core.progress import Progress  # noqa: E402
from workshops.models import (  # noqa: E402
    SKU,
    Assignment,
    FitnessClearance,
    Prison,
    ProductionImport,
    ProductionRecord,
    Region,
    Stay,
    Trade,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.production import Entry, import_production, save_grid  # noqa: E402
from workshops.production.spreadsheet import write_csv  # noqa: E402

FIRST_DAY = datetime.date(2024, 1, 1)  # a Monday
SINCE = datetime.date(2023, 1, 1)  # stays, clearances, assignments and supervisions start here
DAYS = 100  # working days per worker: 20 weeks of Monday to Friday, two rest days a week
WORKERS_PER_WORKSHOP = 100
SKUS_PER_WORKSHOP = 5
HOURS = Decimal("7.50")
GRID_WORKERS, GRID_SKUS = 40, 5
BATCH = 2000


class QueryCount:
    """An execute wrapper: how many statements reached the database."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def working_day(number: int) -> datetime.date:
    week, weekday = divmod(number, 5)
    return FIRST_DAY + datetime.timedelta(weeks=week, days=weekday)


def build_register(workers: int) -> dict:
    """Workshops of 100 workers and 5 SKUs each, with a supervisor, a working-time policy that
    requires fitness clearances, and every worker held, cleared and assigned; plus the grid's
    workshop of 40 workers and its supervisor."""
    region = Region.objects.create(name="Bench", slug="bench")
    prison = Prison.objects.create(
        name="Bench Prison", slug="bench", region=region, population="mixed"
    )
    trade = Trade.objects.create(
        name="Joinery", slug="joinery", occupation_code="7522", locale=Locale.get_default()
    )
    WorkingTimePolicy.objects.create(
        effective_from=datetime.date(2020, 1, 1),
        max_hours_per_day=Decimal(8),
        max_hours_per_week=Decimal(40),
        rest_days_per_week=1,
        fitness_clearance_required=True,
    )
    User = get_user_model()
    record = Permission.objects.get(codename="record_production")

    def workshop(slug: str, count: int, first: int):
        shop = Workshop.objects.create(
            name=f"Workshop {slug}",
            slug=slug,
            public_name="Joinery",
            prison=prison,
            trade=trade,
            kind=Workshop.Kind.ADMINISTRATION,
            makes_products=True,
        )
        skus = SKU.objects.bulk_create(
            SKU(code=f"{slug}-{n}", name=f"Chair {n}", workshop=shop)
            for n in range(SKUS_PER_WORKSHOP)
        )
        supervisor = User.objects.create_user(username=f"{slug}-supervisor", password="x" * 12)
        supervisor.user_permissions.add(record)
        WorkshopSupervisor.objects.create(workshop=shop, user=supervisor, start=SINCE)
        people = Worker.objects.bulk_create(
            Worker(
                reference=f"W-{n:06d}",
                legal_name=f"Legal {n}",
                prison_number=f"P{n:06d}",
                sex="female",
            )
            for n in range(first, first + count)
        )
        Stay.objects.bulk_create(Stay(worker=w, prison=prison, start=SINCE) for w in people)
        FitnessClearance.objects.bulk_create(
            FitnessClearance(worker=w, cleared_on=SINCE) for w in people
        )
        Assignment.objects.bulk_create(
            Assignment(worker=w, workshop=shop, start=SINCE) for w in people
        )
        return shop, skus, supervisor, people

    shops = math.ceil(workers / WORKERS_PER_WORKSHOP)
    progress = Progress("building the register", shops + 1)
    teams = []
    for number in range(shops):
        count = min(WORKERS_PER_WORKSHOP, workers - number * WORKERS_PER_WORKSHOP)
        teams.append(workshop(f"shop-{number:03d}", count, number * WORKERS_PER_WORKSHOP))
        progress.step()
    grid = workshop("grid", GRID_WORKERS, workers)
    progress.step()
    progress.finish()
    return {"teams": teams, "grid": grid}


def production_rows(teams, rows: int) -> list[tuple]:
    """One row a working day for each worker, SKUs in turn: ``rows`` rows, worker by worker."""
    found = []
    for shop, skus, supervisor, people in teams:
        for index, worker in enumerate(people):
            for number in range(DAYS):
                if len(found) == rows:
                    return found
                sku = skus[(index + number) % len(skus)]
                found.append((working_day(number), worker, shop, sku, supervisor))
    return found


def flush() -> None:
    """Empty the production tables (TRUNCATE on PostgreSQL), so every round starts alike."""
    tables = [ProductionRecord._meta.db_table, ProductionImport._meta.db_table]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    )


def run_import(data: bytes, today: datetime.date, label: str) -> tuple[float, int]:
    """Seconds and queries of one import, file bytes to commit."""
    progress = {}

    def step(done, total):
        progress.setdefault("bar", Progress(label, total))
        progress["bar"].step(done - progress["bar"].done)

    counter = QueryCount()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = import_production(data, file_name="bench.csv", today=today, progress=step)
        spent = time.perf_counter() - started
    progress["bar"].finish()
    assert result.rows == ProductionRecord.objects.count(), "not every row was saved"
    return spent, counter.count


def run_floor(rows: list[tuple]) -> tuple[float, int]:
    """Seconds and queries of the bare insert of the same rows (instances built beforehand)."""
    source = ProductionImport.objects.create(file_name="bench.csv", sha256="0" * 64, rows=len(rows))
    records = [
        ProductionRecord(
            worker=worker,
            workshop=shop,
            day=day,
            sku=sku,
            hours=HOURS,
            supervisor=supervisor,
            source=source,
        )
        for day, worker, shop, sku, supervisor in rows
    ]
    counter = QueryCount()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        with transaction.atomic():
            ProductionRecord.objects.bulk_create(records, batch_size=BATCH)
        spent = time.perf_counter() - started
    assert ProductionRecord.objects.count() == len(rows), "not every row was saved"
    return spent, counter.count


def run_grid(grid, day: datetime.date) -> tuple[float, int]:
    """Seconds and queries of one grid save: every cell of an empty day filled."""
    shop, skus, supervisor, people = grid
    user = get_user_model().objects.get(pk=supervisor.pk)  # no permission cache, as a request
    entries = [
        Entry(
            worker=worker,
            workshop=shop,
            day=day,
            sku=sku,
            hours=HOURS / len(skus),
            pieces=3,
            rejects=number % 2,
        )
        for number, worker in enumerate(people)
        for sku in skus
    ]
    counter = QueryCount()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        saved = save_grid(workshop=shop, day=day, entries=entries, user=user, today=day)
        spent = time.perf_counter() - started
    assert saved.created == len(entries), saved
    return spent, counter.count


def database() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} (file)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the imported file")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each side")
    parser.add_argument("--grid-rounds", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, one round")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.rounds, args.grid_rounds = 2000, 1, 2

    setup_test_environment()
    name = f"bench_production_{os.getpid()}" if POSTGRES else str(TMP / "bench.sqlite3")
    connection.settings_dict["TEST"]["NAME"] = name
    print("creating the database…", flush=True)
    TMP.mkdir()
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        measure(args)
    finally:
        if POSTGRES and connection.settings_dict["NAME"] == name:  # created, even if half-migrated
            connection.creation.destroy_test_db(name, verbosity=0)
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)


def measure(args) -> None:
    workers = math.ceil(args.rows / DAYS)
    register = build_register(workers)
    rows = production_rows(register["teams"], args.rows)
    data = write_csv(
        (day, worker.reference, shop.slug, sku.code, str(HOURS), 0, 0, supervisor.username, "", "")
        for day, worker, shop, sku, supervisor in rows
    )
    today = working_day(DAYS) + datetime.timedelta(days=1)

    # The untimed round: warms the caches and measures memory with tracing on.
    tracemalloc.start()
    run_import(data, today, "memory round")
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    flush()

    ours, floor = [], []
    for number in range(args.rounds):
        sides = [("ours", ours), ("floor", floor)]
        for name, spent in sides if number % 2 == 0 else reversed(sides):
            if name == "ours":
                spent.append(run_import(data, today, f"round {number + 1} import"))
            else:
                spent.append(run_floor(rows))
            flush()
    ours_time, ours_queries = min(ours)
    floor_time, floor_queries = min(floor)
    ours_rate, floor_rate = len(rows) / ours_time, len(rows) / floor_time
    ratio = floor_rate / ours_rate

    grid = register["grid"]
    grid_day = working_day(DAYS)  # a Monday no one has worked yet
    timings = []
    for _ in range(args.grid_rounds + 1):  # the first save warms the caches and is left out
        timings.append(run_grid(grid, grid_day))
        flush()
    grid_time, grid_queries = min(timings[1:] or timings)

    shops = len(register["teams"])
    print(f"database: {database()}")
    print(
        f"file: {len(rows):,} rows ({workers:,} workers x {DAYS} days in {shops} workshops), "
        f"CSV {len(data) / 1024 / 1024:.1f} MB"
    )
    print(
        f"runs: {args.rounds} rounds of each side, alternating, best round counts; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"floor (bulk_create of the resolved rows, batch {BATCH:,}): {floor_rate:,.0f} rows/s, "
        f"{floor_queries:,} queries"
    )
    print(
        f"ours (import_production, bytes to commit): {ours_rate:,.0f} rows/s, "
        f"{ours_queries:,} queries, peak memory {peak:.0f} MB"
    )
    print(f"ratio floor/ours (time per row): {ratio:.1f}x")
    print(
        f"grid ({GRID_WORKERS} workers x {GRID_SKUS} SKUs, empty day): "
        f"{grid_time * 1000:.0f} ms, {grid_queries} queries, best of {args.grid_rounds}"
    )
    print(
        f"production: import {ours_rate:,.0f} rows/s (floor {floor_rate:,.0f} rows/s, ratio "
        f"{ratio:.1f}x, {ours_queries:,} queries), peak {peak:.0f} MB; grid "
        f"{GRID_WORKERS}x{GRID_SKUS} save {grid_time * 1000:.0f} ms ({grid_queries} queries) "
        f"on {connection.vendor}{' (smoke)' if args.smoke else ''}"
    )


if __name__ == "__main__":
    main()
