"""How long a pay run of one prison takes, calculated, approved and posted by the real services,
against two floors measured in the same run. Both are one SQL statement that aggregates the
same production records per worker (hours x rate + pieces x rate, by contract or pay rate),
splits each gross by the same allocations, inserts one journal per worker and as many entries as
ours wrote, and adds the entries to as many accounts' balances:

- the *ledger floor* writes into the ledger's own tables, with their triggers, foreign keys and
  constraints (the deferred check that every journal balances fires at the commit, which its
  timing includes): what the ledger's design costs at the least;
- the *raw floor* writes the same rows into temporary tables with no trigger, foreign key or
  index (copies of the journals', entries' and accounts' columns): what the database itself
  needs to aggregate and write that much, its limit.

Ours is timed from ``calculate_pay_run`` to the commit of ``post_pay_run``: locking the records,
computing and storing the lines, hashing them, making the workers' accounts (it is the prison's
first run), posting the journals and closing the chain. The floors chain their journals by a
SHA-256 of each one's key and gross only, and skip the lines, the locks and the audit log.

Both at two sizes, 10,000 and 100,000 workers (22 working days each: 2.2 million records at the
larger), to show how the time grows; each size is one prison of workshops of 100 workers, one in
ten of them worked for a partner under a contract. Also: ours per service, its query count, and
the process's peak memory (``ru_maxrss``, which never goes down, so the smaller size runs first);
``--trace-memory`` adds an untimed run of the next month with tracemalloc on, for Python's own
peak.

PostgreSQL only (the ledger's triggers are the point): the database is made for the run beside
the one DATABASE_URL names when that is PostgreSQL, else on the server at 127.0.0.1:5432, and
dropped after it.

    python bench/payroll.py [--workers N] [--floor-rounds N] [--trace-memory] [--keep] [--smoke]
"""

import argparse
import contextlib
import datetime
import math
import os
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brand.settings.test")
SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = SERVER

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Posting here measures the ledger; the slips that would follow it have their own benchmark.
settings.BRIDGEWORK_PAYSLIPS_AFTER_POSTING = False
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.db import DatabaseError, OperationalError, connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from djmoney.money import Money  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from core.progress import Progress  # noqa: E402
from wages.models import (  # noqa: E402
    Account,
    Chain,
    Entry,
    Journal,
    MarketWageBenchmark,
    PayAllocation,
    PayPolicy,
    PayRate,
    PayRun,
)
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run  # noqa: E402
from workshops.models import (  # noqa: E402
    SKU,
    Contract,
    DeductionCategory,
    Partner,
    Prison,
    Region,
    Trade,
    Workshop,
)

CURRENCY = settings.BRIDGEWORK_CURRENCY
MONTH = (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))  # 22 working days
NEXT_MONTH = (datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))  # 22 working days
SINCE = datetime.date(2025, 1, 1)  # the policy, rates, contracts, stays and assignments
WORKERS_PER_WORKSHOP = 100
PARTNER_EVERY = 10  # one workshop in ten works for the partner
# (category, % of gross, priority, floor, cap), as the demo's: 55 % in all, so neither the cap on
# deductions (80 %) nor the protected own spending (20 %) cuts any, and the floor's SQL need not.
ALLOCATIONS = [
    ("release-savings", "25", 1, "5.00", None),
    ("family", "15", 2, None, None),
    ("victims-fund", "5", 3, None, None),
    ("board", "10", 4, None, "30.00"),
]
CREDITED_TO_WORKER = ("release-savings", "family")  # the rest are held for others
OWN_RATE = ("2.10", "0.0200")  # hourly, piece: above the floor of 45 % of 4.60 an hour
PARTNER_RATE = ("2.50", "0.0300")  # above the market wage of 2.40: no back wages either
APPS = {"wages", "workshops", "core"}  # whose statements are told apart, by the line
SLOWEST = 5


class Statements:
    """An execute wrapper: how many statements reached the database, and the seconds spent in
    them by the line of the application (``wages``, ``workshops``) that ran them."""

    def __init__(self):
        self.count = 0
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            caller = self.caller()
            self.seconds[caller] += time.perf_counter() - started
            self.calls[caller] += 1

    @staticmethod
    def caller() -> str:
        frame = sys._getframe(2)
        while frame is not None:
            path = Path(frame.f_code.co_filename)
            if path.is_relative_to(REPO_ROOT) and path.parts[len(REPO_ROOT.parts)] in APPS:
                return f"{path.relative_to(REPO_ROOT)}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        return "elsewhere"

    def slowest(self, count: int) -> list[tuple[float, int, str]]:
        found = [(spent, self.calls[caller], caller) for caller, spent in self.seconds.items()]
        return sorted(found, reverse=True)[:count]


@dataclass
class Size:
    workers: int
    prison: Prison
    records: int = 0
    ours: float = 0.0
    services: dict | None = None
    queries: int = 0
    statements: list | None = None
    journals: int = 0
    entries: int = 0
    accounts: int = 0
    gross: Decimal = Decimal(0)
    peak_before: float = 0.0
    peak: float = 0.0
    floor: float = 0.0
    floor_commit: float = 0.0
    floor_rounds: int = 0
    raw: float = 0.0
    traced: float | None = None

    @property
    def ratio(self) -> float:
        """Ours against the ledger floor."""
        return self.ours / self.floor

    @property
    def raw_ratio(self) -> float:
        """Ours against the raw floor, the database's limit."""
        return self.ours / self.raw


def peak_rss() -> float:
    """The process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def execute(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def build_shared() -> dict:
    """What every prison shares: the region, the trade, the partner, the pay policy with its
    allocations, the market wage, and the two finance officers (the four-eyes rule) and a
    supervisor."""
    region = Region.objects.create(name="Bench", slug="bench")
    trade = Trade.objects.create(
        name="Joinery", slug="joinery", occupation_code="7522", locale=Locale.get_default()
    )
    partner = Partner.objects.create(name="Bench Partner", slug="bench", legal_name="Bench SA")
    policy = PayPolicy.objects.create(
        effective_from=SINCE,
        minimum_wage=Money("4.60", CURRENCY),
        floor_share=Decimal(45),
        training_rate=Money("1.00", CURRENCY),
        sales_share=Decimal(10),
    )
    for code, share, priority, floor, cap in ALLOCATIONS:
        PayAllocation.objects.create(
            policy=policy,
            category=DeductionCategory.objects.create(
                code=code, name=code, credited_to_worker=code in CREDITED_TO_WORKER
            ),
            percentage=Decimal(share),
            priority=priority,
            floor=Money(floor, CURRENCY) if floor else None,
            cap=Money(cap, CURRENCY) if cap else None,
        )
    MarketWageBenchmark.objects.create(
        trade=trade,
        region=region,
        hourly=Money("2.40", CURRENCY),
        source="bench",
        observed_on=SINCE,
    )
    User = get_user_model()
    calculator = User.objects.create_user(username="calculator", password="x" * 12)
    approver = User.objects.create_user(username="approver", password="x" * 12)
    codenames = {"add_payrun": calculator, "approve_payrun": approver, "post_payrun": approver}
    for codename, user in codenames.items():
        user.user_permissions.add(Permission.objects.get(codename=codename))
    supervisor = User.objects.create_user(username="supervisor", password="x" * 12)
    return {
        "region": region,
        "trade": trade,
        "policy": policy,
        "partner": partner,
        "calculator": User.objects.get(pk=calculator.pk),  # no permission cache, as a request
        "approver": User.objects.get(pk=approver.pk),
        "supervisor": supervisor,
    }


def build_prison(tag: str, workers: int, shared: dict) -> Size:
    """One prison of ``workers`` workers in workshops of 100, each with one SKU and its pay
    rate, one in ten under a contract; the workers held there and assigned; and a record for
    every worker on every working day of ``MONTH`` (set-based SQL: the checks of entry are
    not what is measured)."""
    prison = Prison.objects.create(
        name=f"Prison {tag}", slug=f"prison-{tag}", region=shared["region"], population="mixed"
    )
    shops = math.ceil(workers / WORKERS_PER_WORKSHOP)
    workshops = Workshop.objects.bulk_create(
        Workshop(
            name=f"Workshop {tag}-{number:04d}",
            slug=f"{tag}-{number:04d}",
            public_name="Joinery",
            prison=prison,
            trade=shared["trade"],
            kind=(
                Workshop.Kind.PARTNER
                if number % PARTNER_EVERY == PARTNER_EVERY - 1
                else Workshop.Kind.ADMINISTRATION
            ),
        )
        for number in range(shops)
    )
    SKU.objects.bulk_create(
        SKU(code=f"{shop.slug}-chair", name="Chair", workshop=shop) for shop in workshops
    )
    PayRate.objects.bulk_create(
        PayRate(
            workshop=shop,
            hourly=Money(OWN_RATE[0], CURRENCY),
            piece=Money(OWN_RATE[1], CURRENCY),
            effective_from=SINCE,
        )
        for shop in workshops
    )
    Contract.objects.bulk_create(
        Contract(
            reference=f"C-{shop.slug}",
            partner=shared["partner"],
            workshop=shop,
            hourly_rate=Money(PARTNER_RATE[0], CURRENCY),
            piece_rate=Money(PARTNER_RATE[1], CURRENCY),
            labour_charge_per_hour=Money("3.00", CURRENCY),
            awarded_on=SINCE,
            start=SINCE,
        )
        for shop in workshops
        if shop.kind == Workshop.Kind.PARTNER
    )
    prefix = f"W{tag.upper()}-"
    execute(
        "INSERT INTO workshops_worker (reference, legal_name, prison_number, sex, language) "
        "SELECT %(prefix)s || lpad(n::text, 6, '0'), 'Legal ' || n, "
        "%(prefix)s || lpad(n::text, 6, '0'), "
        "CASE WHEN n %% 2 = 0 THEN 'female' ELSE 'male' END, %(language)s "
        "FROM generate_series(0, %(workers)s - 1) AS n",
        {"prefix": prefix, "workers": workers, "language": settings.LANGUAGE_CODE},
    )
    held = {
        "prefix": prefix + "%",
        "cut": len(prefix) + 1,
        "per": WORKERS_PER_WORKSHOP,
        "shops": [shop.pk for shop in workshops],
        "prison": prison.pk,
        "since": SINCE,
    }
    execute(
        "INSERT INTO workshops_stay (worker_id, prison_id, start) "
        "SELECT id, %(prison)s, %(since)s FROM workshops_worker WHERE reference LIKE %(prefix)s",
        held,
    )
    execute(
        "INSERT INTO workshops_assignment (worker_id, workshop_id, start) "
        "SELECT id, (%(shops)s::bigint[])[substr(reference, %(cut)s)::int / %(per)s + 1], "
        "%(since)s FROM workshops_worker WHERE reference LIKE %(prefix)s",
        held,
    )
    size = Size(workers=workers, prison=prison)
    size.records = add_records(size, MONTH, shared["supervisor"], f"records, {workers:,} workers")
    return size


def working_days(period) -> list[datetime.date]:
    first, last = period
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def add_records(size: Size, period, supervisor, label: str) -> int:
    """A record for every worker of the prison on every working day of ``period``: 6 to 7.5
    hours and 0 to 29 pieces, varying by worker and day. Returns how many."""
    days = working_days(period)
    progress = Progress(label, len(days))
    added = 0
    for number, day in enumerate(days):
        added += execute(
            "WITH added AS ("
            " INSERT INTO workshops_productionrecord (worker_id, workshop_id, day, sku_id, hours,"
            "  pieces, rejects, supervisor_id, supervisor_note, breaches, legacy, entered_at)"
            " SELECT a.worker_id, a.workshop_id, %(day)s, s.id,"
            "  6 + ((a.worker_id + %(number)s) %% 7) * 0.25, (a.worker_id * 7 + %(number)s) %% 30,"
            "  (a.worker_id + %(number)s) %% 3, %(supervisor)s, '', '', false, now()"
            " FROM workshops_assignment a"
            " JOIN workshops_workshop w ON w.id = a.workshop_id AND w.prison_id = %(prison)s"
            " JOIN workshops_sku s ON s.workshop_id = a.workshop_id"
            " RETURNING 1) SELECT count(*) FROM added",
            {
                "day": day,
                "number": number,
                "supervisor": supervisor.pk,
                "prison": size.prison.pk,
            },
        )[0][0]
        progress.step()
    progress.finish()
    return added


def vacuum() -> None:
    """What autovacuum would have done by pay day: statistics and the visibility map; then a
    checkpoint, so that neither timed side pays for writing out the other's pages."""
    for table in ("workshops_productionrecord", "workshops_worker", "wages_account"):
        execute(f"VACUUM ANALYZE {table}")
    with contextlib.suppress(DatabaseError):  # needs a superuser or pg_checkpoint; else without
        execute("CHECKPOINT")


def run_ours(size: Size, shared: dict, period, *, trace: bool = False) -> None:
    """Calculate, approve and post one pay run of the prison, each service in its own
    transaction as the back office calls them; the draft is made beforehand."""
    calculator, approver = shared["calculator"], shared["approver"]
    run = create_pay_run(
        prison=size.prison, period_start=period[0], period_end=period[1], user=calculator
    )
    accounts = Account.objects.count()
    counter = Statements()
    services = {}
    if trace:
        tracemalloc.start()
    else:
        size.peak_before = peak_rss()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for name, service, user in (
            ("calculate", calculate_pay_run, calculator),
            ("approve", approve_pay_run, approver),
            ("post", post_pay_run, approver),
        ):
            print(f"  {name}…", flush=True)
            begun = time.perf_counter()
            run = service(run, user=user)
            services[name] = time.perf_counter() - begun
        spent = time.perf_counter() - started
    if trace:
        size.traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        return
    assert run.status == PayRun.Status.POSTED, run.status
    size.ours, size.services, size.peak = spent, services, peak_rss()
    size.queries, size.statements = counter.count, counter.slowest(SLOWEST)
    size.journals = Journal.objects.filter(chain=run.chain).count()
    size.entries = Entry.objects.filter(journal__chain=run.chain).count()
    size.accounts = Account.objects.count() - accounts
    size.gross = run.gross


# The floor, one statement (the module docstring says what it does). Each allocation of the policy
# is its percentage of gross rounded down, raised to its floor and lowered to its cap, as
# ``wages.pay.policies.allocate_earnings`` does while the overall limits do not bite (they do not here);
# own spending takes the rest; personal categories go to the worker's account, others to one.
# ``{journal}``, ``{entry}`` and ``{account}`` name the tables written: the ledger's, or the raw
# floor's copies (``RAW_TABLES``).
FLOOR = """
WITH rates AS (
    SELECT w.id AS workshop_id,
        CASE WHEN c.id IS NULL THEN coalesce(r.hourly, 0) ELSE coalesce(c.hourly_rate, 0) END
            AS hourly,
        CASE WHEN c.id IS NULL THEN coalesce(r.piece, 0) ELSE coalesce(c.piece_rate, 0) END
            AS piece,
        CASE WHEN c.id IS NULL THEN 'wages-expense' ELSE 'partner:' || c.partner_id || ':labour'
            END AS payer
    FROM workshops_workshop w
    LEFT JOIN workshops_contract c ON c.workshop_id = w.id AND c.start <= %(end)s
        AND (c."end" IS NULL OR c."end" >= %(start)s)
    LEFT JOIN wages_payrate r ON r.workshop_id = w.id AND r.effective_from <= %(end)s
        AND (r.effective_to IS NULL OR r.effective_to >= %(start)s)
    WHERE w.prison_id = %(prison)s
), pay AS (
    SELECT p.worker_id, t.payer,
        round(sum(p.hours * t.hourly + p.pieces * t.piece), 2) AS gross
    FROM workshops_productionrecord p JOIN rates t ON t.workshop_id = p.workshop_id
    WHERE p.day BETWEEN %(start)s AND %(end)s AND NOT p.legacy
    GROUP BY p.worker_id, t.payer
), earned AS (
    SELECT w.reference, sum(pay.gross) AS gross
    FROM pay JOIN workshops_worker w ON w.id = pay.worker_id
    GROUP BY w.reference
), parts AS (
    SELECT e.reference, e.gross,
        CASE WHEN c.credited_to_worker THEN 'worker:' || e.reference || ':' || c.code
            ELSE 'deduction:' || c.code END AS code,
        least(greatest(trunc(e.gross * a.percentage / 100, 2), coalesce(a.floor, 0)), a.cap)
            AS amount
    FROM earned e
    CROSS JOIN wages_payallocation a
    JOIN workshops_deductioncategory c ON c.id = a.category_id
    WHERE a.policy_id = %(policy)s
), amounts AS (
    SELECT reference, code, -amount AS amount FROM parts
    UNION ALL
    SELECT reference, 'worker:' || reference || ':own-spending', -(min(gross) - sum(amount))
    FROM parts GROUP BY reference
    UNION ALL
    SELECT w.reference, pay.payer, pay.gross
    FROM pay JOIN workshops_worker w ON w.id = pay.worker_id
), lines AS (
    SELECT m.reference, a.id AS account_id, m.amount
    FROM amounts m JOIN wages_account a ON a.code = m.code AND a.currency = %(currency)s
    WHERE m.amount <> 0
), hashed AS (
    SELECT reference,
        encode(sha256(convert_to(%(key)s || reference || '|' || gross::text, 'UTF8')), 'hex')
            AS digest
    FROM earned
), journals AS (
    INSERT INTO {journal} (key, "on", memo, chain_id, sequence, previous, hash, posted_at,
        posted_by_id)
    SELECT %(key)s || reference, %(end)s, %(memo)s || reference, %(chain)s,
        row_number() OVER (ORDER BY reference),
        coalesce(lag(digest) OVER (ORDER BY reference), ''), digest, now(), %(user)s
    FROM hashed
    RETURNING id, key
), entries AS (
    INSERT INTO {entry} (journal_id, account_id, amount, currency)
    SELECT j.id, l.account_id, l.amount, %(currency)s
    FROM lines l JOIN journals j ON j.key = %(key)s || l.reference
    RETURNING amount
), balances AS (
    UPDATE {account} a SET balance = a.balance + d.delta
    FROM (SELECT account_id, sum(amount) AS delta FROM lines GROUP BY account_id) AS d
    WHERE a.id = d.account_id AND d.delta <> 0
    RETURNING a.id
)
SELECT (SELECT count(*) FROM journals), (SELECT count(*) FROM entries),
    (SELECT coalesce(sum(amount), 0) FROM entries WHERE amount > 0),
    (SELECT count(*) FROM balances)
"""


LEDGER_TABLES = {"journal": "wages_journal", "entry": "wages_entry", "account": "wages_account"}
RAW_TABLES = {"journal": "floor_journal", "entry": "floor_entry", "account": "floor_account"}
# Temporary tables of the ledger's columns (and its identity columns, so ids are drawn as the
# ledger's are), without its triggers, foreign keys, checks or indexes; the accounts copied with
# their balances, to be updated as the ledger's are.
MAKE_RAW_TABLES = [
    "CREATE TEMPORARY TABLE floor_journal (LIKE wages_journal INCLUDING DEFAULTS INCLUDING IDENTITY)",
    "CREATE TEMPORARY TABLE floor_entry (LIKE wages_entry INCLUDING DEFAULTS INCLUDING IDENTITY)",
    "CREATE TEMPORARY TABLE floor_account AS SELECT * FROM wages_account",
    "ANALYZE floor_account",
]
DROP_RAW_TABLES = "DROP TABLE IF EXISTS floor_journal, floor_entry, floor_account"


def run_floor(size: Size, shared: dict, round_number: int, *, raw: bool = False):
    """Seconds of the floor statement and its commit, and of the commit alone (where the
    ledger's deferred checks that each journal balances run). The ledger floor writes into a
    chain of its own; the raw floor into temporary tables made (untimed) for the round."""
    tag = f"{'raw' if raw else 'floor'}-{size.prison.slug}-{round_number}"
    if raw:
        execute(DROP_RAW_TABLES)
        for statement in MAKE_RAW_TABLES:
            execute(statement)
        chain = 0  # no chain: the raw tables have no foreign keys
    else:
        chain = Chain.objects.create(name=tag).pk
    params = {
        "start": MONTH[0],
        "end": MONTH[1],
        "prison": size.prison.pk,
        "currency": CURRENCY,
        "key": f"{tag}:",
        "memo": f"Floor {tag}, {MONTH[0]} to {MONTH[1]} · ",
        "chain": chain,
        "user": shared["approver"].pk,
        "policy": shared["policy"].pk,
    }
    statement = FLOOR.format(**(RAW_TABLES if raw else LEDGER_TABLES))
    started = time.perf_counter()
    with transaction.atomic():
        journals, entries, debits, balances = execute(statement, params)[0]
        executed = time.perf_counter()
    spent = time.perf_counter() - started
    if raw:
        execute(DROP_RAW_TABLES)
    if (journals, entries, debits) != (size.journals, size.entries, size.gross):
        raise SystemExit(
            f"the floor wrote {journals:,} journals, {entries:,} entries and {debits} of debits; "
            f"ours {size.journals:,}, {size.entries:,} and {size.gross}: they must do the same"
        )
    if balances < size.accounts:
        raise SystemExit(
            f"the floor updated {balances:,} balances; ours made {size.accounts:,} accounts"
        )
    return spent, started + spent - executed


def database() -> str:
    version, buffers, wal = (
        execute(f"SHOW {name}")[0][0]
        for name in ("server_version", "shared_buffers", "max_wal_size")
    )
    return f"PostgreSQL {version}, shared_buffers {buffers}, max_wal_size {wal}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100_000, help="workers at the larger size")
    parser.add_argument("--floor-rounds", type=int, default=2, help="the best floor round counts")
    parser.add_argument(
        "--trace-memory", action="store_true", help="an untimed run more with tracemalloc on"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--smoke", action="store_true", help="2,000 and 200 workers, one round")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.floor_rounds = 2_000, 1

    setup_test_environment()
    name = f"bench_payroll_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    server = connection.settings_dict
    print(f"creating the database {name}…", flush=True)
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    except OperationalError as refused:
        print(
            f"payroll: needs PostgreSQL, and none answers at {server['HOST']}:{server['PORT']} "
            f"({str(refused).strip().splitlines()[0]}): not measured",
            file=sys.stderr,
        )
        connection.close()
        sys.exit(0 if args.smoke else 1)
    try:
        measure(args)
    finally:
        if connection.settings_dict["NAME"] == name and not args.keep:
            connection.creation.destroy_test_db(name, verbosity=0)
        elif args.keep:
            print(f"kept the database {name}")
        connection.close()


def measure(args) -> None:
    shared = build_shared()
    sizes = []
    for tag, workers in (("a", args.workers // 10), ("b", args.workers)):
        print(f"{workers:,} workers:", flush=True)
        size = build_prison(tag, workers, shared)
        vacuum()
        run_ours(size, shared, MONTH)
        vacuum()
        rounds, raw = [], []
        for number in range(args.floor_rounds):
            if number:
                vacuum()
            print(f"  ledger floor round {number + 1}…", flush=True)
            rounds.append(run_floor(size, shared, number))
            vacuum()
            print(f"  raw floor round {number + 1}…", flush=True)
            raw.append(run_floor(size, shared, number, raw=True)[0])
        (size.floor, size.floor_commit), size.floor_rounds = min(rounds), len(rounds)
        size.raw = min(raw)
        if args.trace_memory:
            add_records(size, NEXT_MONTH, shared["supervisor"], "next month's records")
            vacuum()
            print("  memory round (tracemalloc)…", flush=True)
            run_ours(size, shared, NEXT_MONTH, trace=True)
        sizes.append(size)
        report(size)

    small, large = sizes
    growth, floor_growth = large.ours / small.ours, large.floor / small.floor
    raw_growth = large.raw / small.raw
    scale = large.workers / small.workers
    print(f"database: {database()}; load average {os.getloadavg()[0]:.2f}")
    print(
        f"growth: ours x{growth:.1f}, ledger floor x{floor_growth:.1f} and raw floor "
        f"x{raw_growth:.1f} for x{scale:.0f} the workers (linear is x{scale:.0f})"
    )
    print(
        f"payroll: {large.workers:,} workers, {large.records:,} records: ours {large.ours:.1f} s "
        f"= {large.ratio:.1f}x the ledger floor ({large.floor:.1f} s) = {large.raw_ratio:.1f}x "
        f"the raw floor ({large.raw:.2f} s), {large.queries:,} queries, peak {large.peak:.0f} MB; "
        f"at {small.workers:,}: {small.ours:.1f} s = {small.ratio:.1f}x ledger, "
        f"{small.raw_ratio:.1f}x raw; growth x{growth:.1f} for x{scale:.0f} on {connection.vendor}"
        f"{' (smoke)' if args.smoke else ''}"
    )


def report(size: Size) -> None:
    services = ", ".join(f"{name} {spent:.1f} s" for name, spent in size.services.items())
    print(
        f"  {size.records:,} records -> {size.journals:,} journals, {size.entries:,} entries; "
        f"{size.accounts:,} accounts made by ours (the prison's first run)"
    )
    print(
        f"  ledger floor (one INSERT ... SELECT into the ledger's tables, and its commit): "
        f"{size.floor:.2f} s, the commit {size.floor_commit:.2f} s of it; best of {size.floor_rounds}"
    )
    print(
        f"  raw floor (the same into tables without triggers, keys or indexes): {size.raw:.2f} s; "
        f"best of {size.floor_rounds}"
    )
    print(
        f"  ours (calculate + approve + post): {size.ours:.2f} s ({services}); {size.queries:,} queries"
    )
    print(
        f"  ratios: ours / ledger floor {size.ratio:.1f}x, ours / raw floor {size.raw_ratio:.1f}x"
    )
    print("  ours' slowest statements, by the line that ran them (the rest is Python and commits):")
    for spent, calls, caller in size.statements:
        print(f"    {spent:6.2f} s  {calls:4,}x  {caller}")
    traced = f"; tracemalloc peak {size.traced:.0f} MB" if size.traced is not None else ""
    print(
        f"  peak memory (ru_maxrss): {size.peak:.0f} MB, {size.peak_before:.0f} MB before the "
        f"run{traced}"
    )


if __name__ == "__main__":
    main()
