"""How long every registered safeguard rule (``compliance.rules.RULES``) takes over one partner
for one year, against the floor measured in the same run: one SQL aggregate over the same
production records (the partner's, by the days its contracts were in force: hours summed per
worker and day, counted and summed on the server), which is what reading them once costs.

The partner has ``--workers`` workers (1,000 by default) in workshops of 50 in three trades, one
contract per workshop, and a record for every worker on every working day of 2025 (Monday to
Friday: 261 days, so about 261,000 records at 1,000 workers), 7 h a day and 3.5 h on Wednesdays,
with pieces; plus what the rules read: the working-time and pay policies, the compliance
thresholds, market wages, fitness clearances, stays and assignments, a signed work consent per
worker (with its document and the deductions agreed; one in 100 withdrawn in December), the
workshops' supervisors, a course per trade with every worker enrolled and 4 h of training each
Wednesday, a safety inspection, the injury insurance, a staff declaration, grievances answered in
10 days, and twelve posted monthly pay runs with a line per worker (rows inserted directly: no
ledger journals, production locks or payslips behind them, which a real posting would write).

Each rule runs on its own over the whole year (one ``CheckContext`` shared by all of them, as
``run_check`` shares it), printing its time, query count and findings; then the total, its ratio
to the floor, and the same at a tenth of the workers to show how it grows. It works with
whatever rules are registered: a rule that fails is reported as failed, with its error, and
left out of the total, and the benchmark then exits with status 1 (CI's smoke run fails).

PostgreSQL only (the size is the point): the database is made for the run beside the one
DATABASE_URL names when that is PostgreSQL, else on the server at 127.0.0.1:5432, and dropped
after it.

    python bench/compliance.py [--workers N] [--floor-rounds N] [--keep] [--smoke]
"""

import argparse
import contextlib
import datetime
import math
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import DatabaseError, OperationalError, connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from djmoney.money import Money  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from compliance.models import (  # noqa: E402
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.rules import RULES  # noqa: E402
from compliance.rules.context import CheckContext, Scope  # noqa: E402
from wages.models import (  # noqa: E402
    Chain,
    MarketWageBenchmark,
    PayAllocation,
    PayPolicy,
    PayRun,
)
from workshops.models import (  # noqa: E402
    SKU,
    Contract,
    Course,
    DeductionCategory,
    Partner,
    Prison,
    Region,
    Trade,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)

CURRENCY = settings.BRIDGEWORK_CURRENCY
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
SINCE = datetime.date(2024, 12, 1)  # contracts, clearances, stays, assignments, supervision
SIGNED = datetime.date(2024, 12, 15)  # the work consents, before the first shift
WITHDRAWN = datetime.date(2025, 12, 1)  # one worker in 100 withdraws, and is still recorded after
WORKERS_PER_WORKSHOP = 50
TRADES = (
    ("joinery", "Joinery", "7522"),
    ("bakery", "Bakery", "7512"),
    ("sewing", "Sewing", "7533"),
)
CONTRACT_RATE = ("2.50", "0.0300")  # hourly, piece: above the market wage of 2.40
TRAINING_RATE = Decimal("1.00")
ALLOCATIONS = (("release-savings", "25", 1), ("family", "15", 2), ("victims-fund", "5", 3))


class Statements:
    """An execute wrapper counting the statements that reach the database."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Measured:
    code: str
    seconds: float = 0.0
    queries: int = 0
    findings: int = 0
    error: str = ""


@dataclass
class Size:
    workers: int
    partner: Partner | None = None
    prison: Prison | None = None
    records: int = 0
    attendance: int = 0
    lines: int = 0
    rules: list[Measured] = field(default_factory=list)
    floor: float = 0.0
    floor_rounds: int = 0
    floor_groups: int = 0

    @property
    def measured(self) -> list[Measured]:
        return [rule for rule in self.rules if not rule.error]

    @property
    def total(self) -> float:
        return sum(rule.seconds for rule in self.measured)

    @property
    def queries(self) -> int:
        return sum(rule.queries for rule in self.measured)

    @property
    def ratio(self) -> float:
        return self.total / self.floor if self.floor else math.inf


def execute(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def build_shared() -> dict:
    """What both sizes share: the region, trades and their courses, the policies and
    thresholds, the market wages, and the staff (a supervisor, two finance officers)."""
    region = Region.objects.create(name="Bench", slug="bench")
    trades = [
        Trade.objects.create(
            name=name, slug=slug, occupation_code=code, locale=Locale.get_default()
        )
        for slug, name, code in TRADES
    ]
    courses = {
        trade.pk: Course.objects.create(
            code=f"{trade.slug}-1",
            trade=trade,
            qualification=f"{trade.name}, level 1",
            level="EQF level 2",
            awarding_body="National Vocational Authority",
            required_hours=Decimal(120),
            assessment="Practical test",
        )
        for trade in trades
    }
    WorkingTimePolicy.objects.create(
        effective_from=datetime.date(2024, 1, 1),
        max_hours_per_day=Decimal(8),
        max_hours_per_week=Decimal(40),
        rest_days_per_week=1,
        fitness_clearance_required=True,
        consent_notice_days=7,
    )
    policy = PayPolicy.objects.create(
        effective_from=datetime.date(2024, 1, 1),
        minimum_wage=Money("4.60", CURRENCY),
        floor_share=Decimal(45),
        training_rate=Money(TRAINING_RATE, CURRENCY),
        sales_share=Decimal(10),
    )
    categories = []
    for code, share, priority in ALLOCATIONS:
        category = DeductionCategory.objects.create(
            code=code, name=code, credited_to_worker=code != "victims-fund"
        )
        categories.append(category)
        PayAllocation.objects.create(
            policy=policy, category=category, percentage=Decimal(share), priority=priority
        )
    ComplianceThresholds.objects.create(effective_from=datetime.date(2024, 1, 1))
    for trade in trades:
        MarketWageBenchmark.objects.create(
            trade=trade,
            region=region,
            hourly=Money("2.40", CURRENCY),
            source="Bench wage survey",
            observed_on=datetime.date(2024, 6, 1),
        )
    User = get_user_model()
    return {
        "region": region,
        "trades": trades,
        "courses": courses,
        "policy": policy,
        "categories": categories,
        "supervisor": User.objects.create_user(username="supervisor", password="x" * 12),
        "calculator": User.objects.create_user(username="calculator", password="x" * 12),
        "approver": User.objects.create_user(username="approver", password="x" * 12),
    }


def build_partner(tag: str, workers: int, shared: dict) -> Size:
    """One prison and one partner with ``workers`` workers and a year of their records, in
    set-based SQL (how the data is entered is not what is measured)."""
    size = Size(workers=workers)
    size.prison = Prison.objects.create(
        name=f"Prison {tag}", slug=f"prison-{tag}", region=shared["region"], population="mixed"
    )
    size.partner = Partner.objects.create(
        name=f"Bench partner {tag}", slug=f"bench-{tag}", legal_name=f"Bench {tag} SA"
    )
    trades = shared["trades"]
    workshops = Workshop.objects.bulk_create(
        Workshop(
            name=f"Workshop {tag}-{number:03d}",
            slug=f"{tag}-{number:03d}",
            public_name=trades[number % len(trades)].name,
            prison=size.prison,
            trade=trades[number % len(trades)],
            kind=Workshop.Kind.PARTNER,
        )
        for number in range(math.ceil(workers / WORKERS_PER_WORKSHOP))
    )
    SKU.objects.bulk_create(
        SKU(code=f"{shop.slug}-item", name="Item", workshop=shop) for shop in workshops
    )
    Contract.objects.bulk_create(
        Contract(
            reference=f"C-{shop.slug}",
            partner=size.partner,
            workshop=shop,
            hourly_rate=Money(CONTRACT_RATE[0], CURRENCY),
            piece_rate=Money(CONTRACT_RATE[1], CURRENCY),
            labour_charge_per_hour=Money("3.50", CURRENCY),
            awarded_on=SINCE - datetime.timedelta(days=14),
            start=SINCE,
        )
        for shop in workshops
    )
    WorkshopSupervisor.objects.bulk_create(
        WorkshopSupervisor(workshop=shop, user=shared["supervisor"], start=SINCE)
        for shop in workshops
    )
    SafetyInspection.objects.create(
        partner=size.partner,
        inspected_on=SINCE,
        inspector="Labour inspectorate",
        result=SafetyInspection.Result.PASSED,
    )
    InsuranceCover.objects.create(
        partner=size.partner,
        insurer="Bench Mutual",
        policy_number=f"P-{tag}",
        start=SINCE,
        end=datetime.date(2026, 6, 30),
    )
    InterestDeclaration.objects.create(
        staff=shared["approver"], partner=size.partner, declared_on=SINCE - datetime.timedelta(30)
    )
    people = {
        "prefix": f"W{tag.upper()}-",
        "like": f"W{tag.upper()}-%",
        "cut": len(tag) + 3,
        "workers": workers,
        "language": settings.LANGUAGE_CODE,
        "per": WORKERS_PER_WORKSHOP,
        "shops": [shop.pk for shop in workshops],
        "prison": size.prison.pk,
        "partner": size.partner.pk,
        "since": SINCE,
        "signed": SIGNED,
        "withdrawn": WITHDRAWN,
        "supervisor": shared["supervisor"].pk,
        "first": YEAR[0],
        "last": YEAR[1],
        "categories": [category.pk for category in shared["categories"]],
    }
    for statement in PEOPLE:
        execute(statement, people)
    for trade_id, course in shared["courses"].items():
        execute(ENROL, {**people, "trade": trade_id, "course": course.pk})
    size.records = execute(RECORDS, people)[0][0]
    size.attendance = execute(ATTENDANCE, people)[0][0]
    Grievance.objects.bulk_create(
        Grievance(
            worker_id=worker_id,
            partner=size.partner,
            received_on=datetime.date(2025, 1 + number % 12, 10),
            subject="Bench grievance",
            category=Grievance.Category.OTHER,
            answered_on=datetime.date(2025, 1 + number % 12, 20),
            outcome="Answered",
        )
        for number, (worker_id,) in enumerate(
            execute(
                "SELECT id FROM workshops_worker WHERE reference LIKE %(like)s ORDER BY id", people
            )[:: max(1, workers // 25)]
        )
    )
    size.lines = post_pay_runs(size, shared, people)
    return size


# The workers (half of them women) and what each has on file: the stay, the clearance, the
# assignment to a workshop of 50, a signed work consent for the partner with its document and the
# deductions the pay policy applies; one worker in 100 withdraws it on 1 December and is still
# recorded at work after the notice (CONSENT_WITHDRAWN's findings).
PEOPLE = [
    "INSERT INTO workshops_worker (reference, legal_name, prison_number, sex, language) "
    "SELECT %(prefix)s || lpad(n::text, 6, '0'), 'Legal ' || n, %(prefix)s || lpad(n::text, 6, '0'), "
    "CASE WHEN n %% 2 = 0 THEN 'female' ELSE 'male' END, %(language)s "
    "FROM generate_series(0, %(workers)s - 1) AS n",
    "INSERT INTO workshops_stay (worker_id, prison_id, start) "
    "SELECT id, %(prison)s, %(since)s FROM workshops_worker WHERE reference LIKE %(like)s",
    "INSERT INTO workshops_fitnessclearance (worker_id, cleared_on, restrictions) "
    "SELECT id, %(since)s, '' FROM workshops_worker WHERE reference LIKE %(like)s",
    "INSERT INTO workshops_assignment (worker_id, workshop_id, start) "
    "SELECT id, (%(shops)s::bigint[])[substr(reference, %(cut)s)::int / %(per)s + 1], %(since)s "
    "FROM workshops_worker WHERE reference LIKE %(like)s",
    "INSERT INTO core_privatefile (id, file, purpose, original_name, content_type, size, sha256, "
    " created_at) "
    "SELECT md5(reference)::uuid, 'bench/consent-' || reference || '.pdf', 'consent', "
    " 'consent-' || reference || '.pdf', 'application/pdf', 1024, repeat('0', 64), now() "
    "FROM workshops_worker WHERE reference LIKE %(like)s",
    "INSERT INTO workshops_consent (worker_id, kind, partner_id, chosen_name, signed_on, "
    " recorded_on, document_id) "
    "SELECT id, 'work', %(partner)s, '', %(signed)s, %(signed)s, md5(reference)::uuid "
    "FROM workshops_worker WHERE reference LIKE %(like)s",
    "INSERT INTO workshops_consent_deduction_categories (consent_id, deductioncategory_id) "
    "SELECT c.id, category FROM workshops_consent c "
    "CROSS JOIN unnest(%(categories)s::bigint[]) AS category WHERE c.partner_id = %(partner)s",
    "UPDATE workshops_consent c SET withdrawn_on = %(withdrawn)s FROM workshops_worker w "
    "WHERE w.id = c.worker_id AND w.reference LIKE %(like)s "
    "AND substr(w.reference, %(cut)s)::int %% 100 = 0",
]
ENROL = (
    "INSERT INTO workshops_enrolment (worker_id, course_id, enrolled_on) "
    "SELECT a.worker_id, %(course)s, %(since)s FROM workshops_assignment a "
    "JOIN workshops_workshop w ON w.id = a.workshop_id "
    "WHERE w.prison_id = %(prison)s AND w.trade_id = %(trade)s"
)
# Every working day of the year: 7 h (3.5 h on Wednesdays, the training day), 0-29 pieces.
RECORDS = """
WITH added AS (
    INSERT INTO workshops_productionrecord (worker_id, workshop_id, day, sku_id, hours, pieces,
        rejects, supervisor_id, supervisor_note, breaches, legacy, entered_at)
    SELECT a.worker_id, a.workshop_id, d.day, s.id,
        CASE WHEN extract(isodow FROM d.day) = 3 THEN 3.5 ELSE 7 END,
        (a.worker_id * 7 + extract(doy FROM d.day)::int) %% 30, 0, %(supervisor)s, '', '', false,
        now()
    FROM workshops_assignment a
    JOIN workshops_workshop w ON w.id = a.workshop_id AND w.prison_id = %(prison)s
    JOIN workshops_sku s ON s.workshop_id = a.workshop_id
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, '1 day') AS d(day)
    WHERE extract(isodow FROM d.day) < 6
    RETURNING 1
) SELECT count(*) FROM added
"""
ATTENDANCE = """
WITH added AS (
    INSERT INTO workshops_trainingattendance (enrolment_id, workshop_id, day, hours, trainer,
        note, breaches, recorded_by_id, recorded_at)
    SELECT e.id, a.workshop_id, d.day, 4, 'Bench trainer', '', '', %(supervisor)s, now()
    FROM workshops_enrolment e
    JOIN workshops_assignment a ON a.worker_id = e.worker_id
    JOIN workshops_workshop w ON w.id = a.workshop_id AND w.prison_id = %(prison)s
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, '1 day') AS d(day)
    WHERE extract(isodow FROM d.day) = 3
    RETURNING 1
) SELECT count(*) FROM added
"""
# One line per worker and month of a posted run: the month's records at the contract's rates and
# its training at the policy's rate, all of it own spending (no ledger behind it).
LINES = """
WITH worked AS (
    SELECT p.worker_id, sum(p.hours) AS hours, sum(p.pieces) AS pieces
    FROM workshops_productionrecord p
    JOIN workshops_workshop w ON w.id = p.workshop_id AND w.prison_id = %(prison)s
    WHERE p.day BETWEEN %(start)s AND %(end)s
    GROUP BY p.worker_id
), trained AS (
    SELECT e.worker_id, sum(t.hours) AS hours
    FROM workshops_trainingattendance t JOIN workshops_enrolment e ON e.id = t.enrolment_id
    WHERE t.day BETWEEN %(start)s AND %(end)s
    GROUP BY e.worker_id
), priced AS (
    SELECT worked.worker_id, worked.hours, worked.pieces, coalesce(trained.hours, 0) AS training,
        round(worked.hours * %(hourly)s + worked.pieces * %(piece)s, 2) AS work,
        round(coalesce(trained.hours, 0) * %(training_rate)s, 2) AS training_pay
    FROM worked LEFT JOIN trained ON trained.worker_id = worked.worker_id
), added AS (
    INSERT INTO wages_payrunline (run_id, worker_id, hours, pieces, training_hours, earned,
        adjustments, gross, payers, deductions, own_spending, back_wages, back_wages_by_payer,
        sales_share, back_wages_paid, back_wages_paid_by_payer, settles, warnings)
    SELECT %(run)s, worker_id, hours, pieces, training, work + training_pay, 0,
        work + training_pay,
        jsonb_build_object('partner:' || %(partner)s, work::text, 'own', training_pay::text),
        '{}'::jsonb, work + training_pay, 0, '{}'::jsonb, 0, 0, '{}'::jsonb, '[]'::jsonb,
        '[]'::jsonb
    FROM priced
    RETURNING gross
) SELECT count(*), coalesce(sum(gross), 0) FROM added
"""


def post_pay_runs(size: Size, shared: dict, people: dict) -> int:
    """Twelve monthly runs of the prison, each made approved (with a chain of its own, as the
    constraint on a posted run asks), given its lines, then posted: a posted run's lines never
    change (a trigger), so they go in first."""
    lines = 0
    for month in range(1, 13):
        start = datetime.date(2025, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        reference = f"PR-{size.prison.slug}-{month:02d}"
        run = PayRun.objects.create(
            reference=reference,
            prison=size.prison,
            period_start=start,
            period_end=end,
            status=PayRun.Status.APPROVED,
            currency=CURRENCY,
            policy=shared["policy"],
            created_by=shared["calculator"],
            calculated_by=shared["calculator"],
            approved_by=shared["approver"],
            posted_by=shared["approver"],
            result_hash="0" * 64,
            approved_hash="0" * 64,
            chain=Chain.objects.create(name=f"payrun:{reference}"),
        )
        count, gross = execute(
            LINES,
            {
                **people,
                "run": run.pk,
                "start": start,
                "end": end,
                "hourly": Decimal(CONTRACT_RATE[0]),
                "piece": Decimal(CONTRACT_RATE[1]),
                "training_rate": TRAINING_RATE,
            },
        )[0]
        PayRun.objects.filter(pk=run.pk).update(
            status=PayRun.Status.POSTED, workers=count, gross=gross
        )
        lines += count
    return lines


def vacuum() -> None:
    execute("VACUUM ANALYZE")
    with contextlib.suppress(DatabaseError):  # needs a superuser or pg_checkpoint
        execute("CHECKPOINT")


def run_rules(size: Size) -> None:
    """Every registered rule over the partner for the year, one after the other with one
    context, as ``run_check`` runs them."""
    context = CheckContext(Scope("partner", size.partner), *YEAR)
    for code in sorted(RULES):
        measured = Measured(code)
        counter = Statements()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(counter):
                measured.findings = sum(1 for _ in RULES[code].check(context))
        except Exception as error:  # another helper's rule: report it, measure the rest
            measured.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:120]}"
            traceback.print_exc(limit=-3, file=sys.stderr)
            if connection.needs_rollback or not connection.is_usable():
                connection.close()
        measured.seconds = time.perf_counter() - started
        measured.queries = counter.count
        size.rules.append(measured)


# The floor: the same records, read once, hours summed per worker and day on the server.
FLOOR = """
SELECT count(*), coalesce(sum(hours), 0) FROM (
    SELECT p.worker_id, p.day, sum(p.hours) AS hours
    FROM workshops_productionrecord p
    WHERE p.day BETWEEN %(first)s AND %(last)s AND EXISTS (
        SELECT 1 FROM workshops_contract c
        WHERE c.partner_id = %(partner)s AND c.workshop_id = p.workshop_id
            AND c.start <= p.day AND (c."end" IS NULL OR c."end" >= p.day))
    GROUP BY p.worker_id, p.day
) AS days
"""


def run_floor(size: Size, rounds: int) -> None:
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        groups, _hours = execute(
            FLOOR, {"first": YEAR[0], "last": YEAR[1], "partner": size.partner.pk}
        )[0]
        spent.append(time.perf_counter() - started)
    size.floor, size.floor_rounds, size.floor_groups = min(spent), rounds, groups
    if groups != size.records:
        raise SystemExit(f"the floor read {groups:,} worker-days; {size.records:,} were made")


def report(size: Size) -> None:
    print(
        f"  {size.records:,} records, {size.attendance:,} training sessions, "
        f"{size.lines:,} pay run lines in 12 posted runs"
    )
    print(f"  {'rule':<24} {'seconds':>8} {'queries':>8} {'findings':>9}")
    for rule in size.rules:
        if rule.error:
            print(f"  {rule.code:<24} {'failed':>8} {rule.queries:>8,} {'':>9} {rule.error}")
        else:
            print(f"  {rule.code:<24} {rule.seconds:>8.3f} {rule.queries:>8,} {rule.findings:>9,}")
    print(f"  {'all rules':<24} {size.total:>8.3f} {size.queries:>8,}")
    print(
        f"  floor (one aggregate over the same records: hours per worker and day): "
        f"{size.floor:.3f} s, best of {size.floor_rounds}; ratio all rules / floor "
        f"{size.ratio:.1f}x"
    )


def database() -> str:
    version, buffers = (
        execute(f"SHOW {name}")[0][0] for name in ("server_version", "shared_buffers")
    )
    return f"PostgreSQL {version}, shared_buffers {buffers}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1_000, help="workers at the larger size")
    parser.add_argument("--floor-rounds", type=int, default=3, help="the best floor round counts")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--smoke", action="store_true", help="40 and 4 workers, one floor round")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.floor_rounds = 40, 1

    setup_test_environment()
    name = f"bench_compliance_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    server = connection.settings_dict
    print(f"creating the database {name}…", flush=True)
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    except OperationalError as refused:
        print(
            f"compliance: needs PostgreSQL, and none answers at {server['HOST']}:{server['PORT']} "
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
    for tag, workers in (("a", max(1, args.workers // 10)), ("b", args.workers)):
        print(f"{workers:,} workers, one partner, {YEAR[0]} to {YEAR[1]}:", flush=True)
        started = time.perf_counter()
        size = build_partner(tag, workers, shared)
        vacuum()
        print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
        run_rules(size)
        run_floor(size, args.floor_rounds)
        report(size)
        sizes.append(size)
    small, large = sizes
    scale = large.workers / small.workers
    growth = large.total / small.total if small.total else math.inf
    floor_growth = large.floor / small.floor if small.floor else math.inf
    failed = [rule.code for rule in large.rules if rule.error]
    print(f"database: {database()}; load average {os.getloadavg()[0]:.2f}")
    print(
        f"growth: all rules x{growth:.1f}, floor x{floor_growth:.1f} for x{scale:.0f} the workers "
        f"(linear is x{scale:.0f}); queries {small.queries:,} and {large.queries:,}"
    )
    print(
        f"compliance: {len(large.measured)} rules, {large.workers:,} workers, {large.records:,} "
        f"records (a year): {large.total:.2f} s, {large.queries:,} queries = {large.ratio:.1f}x "
        f"the floor ({large.floor:.3f} s); at {small.workers:,} workers {small.total:.2f} s = "
        f"{small.ratio:.1f}x; growth x{growth:.1f} for x{scale:.0f} on {connection.vendor}"
        f"{'; failed: ' + ', '.join(failed) if failed else ''}{' (smoke)' if args.smoke else ''}"
    )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
