"""What a pay run pays each worker: read from the production records, the training attendance
and the production adjustments of earlier runs, priced at the rates in force, split by the pay
policy (``wages.pay.allocate_earnings``), and checked against the wage floor.

**Payers and rates** (DESIGN.md, "Pay rates"). On a day a contract is in force for a workshop,
the workshop's work is the partner's and is paid at the contract's hourly and piece rates; on
other days it is the administration's own work, paid at the workshop's pay rate, or else its
trade's. Training hours are paid by the administration at the policy's training rate.

**Which records.** A run reads its prison's records of its period that no other run has locked,
and also *late* records: unlocked records dated before the period but after the first day of
the prison's first posted run, entered after that run was calculated, so every record is paid
exactly once. Legacy records (history from before Bridgework) are never paid. Training
attendance is paid by the same rule (``attendance_to_pay``), held by the run's lock as its
records are. It also reads unsettled adjustments of records that a posted run paid, and pays (or
recovers) the difference at the rates of the record's day; a recovery larger than the worker's
pay in this run waits for a later run, with a warning.

**Rounding** (the one rule of ``core.money``, applied once per amount): a worker's pay from each
payer over the period (hours × hourly rate + accepted pieces × piece rate, summed over workshops
and rate periods), training pay and each adjustment's difference are each rounded half up to the
cent; gross is the sum of those rounded amounts; the split follows ``allocate_earnings``.

**Wage floor** (Mandela Rule 103, ILO C029, PIECP): for the administration's own work,
``floor_share`` % of the minimum wage per hour worked; for partner work, the market wage of the
workshop's trade in the prison's region (the latest benchmark observed by the period's end). A
shortfall becomes back wages owed to the worker, from the administration or the partner.
"""

import datetime
import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _
from moneyed import Money

from core.money import round_money
from core.signing import canonical_bytes_of_built
from wages.models import MarketWageBenchmark, PayRate, PayRun, PayRunLine
from wages.pay import allocate_earnings
from workshops.models import (
    Contract,
    ProductionAdjustment,
    ProductionLock,
    ProductionRecord,
    TrainingAttendance,
    Worker,
    Workshop,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
OWN = "own"
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Price:
    payer: str  # "own" or "partner:<id>"
    hourly: Decimal
    piece: Decimal


@dataclass(frozen=True)
class Terms:
    """An allocation of the pay policy as ``allocate_earnings`` reads it, read once for a run:
    it reads them for every worker, and every read of a money field of the model builds a new
    ``Money``."""

    category: object
    percentage: Decimal
    priority: int
    floor: Money | None
    cap: Money | None


class NoRate(ValidationError):
    """Work was recorded where no pay rate or contract says what it pays."""


class Prices:
    """The payer and rates of each workshop on each day, from contracts and pay rates."""

    def __init__(self, workshops: list[Workshop], start: datetime.date, end: datetime.date):
        self.workshops = {workshop.pk: workshop for workshop in workshops}
        self.contracts = defaultdict(list)
        for contract in Contract.objects.filter(
            Q(end__isnull=True) | Q(end__gte=start), workshop__in=workshops, start__lte=end
        ):
            self.contracts[contract.workshop_id].append(contract)
        rates = PayRate.objects.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=start),
            Q(workshop__in=workshops) | Q(trade__in={w.trade_id for w in workshops}),
            effective_from__lte=end,
        ).order_by("-effective_from")
        self.workshop_rates, self.trade_rates = defaultdict(list), defaultdict(list)
        for rate in rates:
            if rate.workshop_id:
                self.workshop_rates[rate.workshop_id].append(rate)
            else:
                self.trade_rates[rate.trade_id].append(rate)
        self.start, self.end = start, end

    def boundaries(self) -> list[datetime.date]:
        """Days on which some workshop's payer or rates may change, within the span."""
        days = {self.start, self.end + DAY}
        for contracts in self.contracts.values():
            for contract in contracts:
                days.add(contract.start)
                if contract.end:
                    days.add(contract.end + DAY)
        for rates in (*self.workshop_rates.values(), *self.trade_rates.values()):
            for rate in rates:
                days.add(rate.effective_from)
                if rate.effective_to:
                    days.add(rate.effective_to + DAY)
        return sorted(day for day in days if self.start <= day <= self.end + DAY)

    def on(self, workshop_id: int, day: datetime.date) -> Price:
        for contract in self.contracts.get(workshop_id, ()):
            if contract.start <= day and (contract.end is None or day <= contract.end):
                return Price(
                    f"partner:{contract.partner_id}",
                    contract.hourly_rate.amount if contract.hourly_rate else ZERO,
                    contract.piece_rate.amount if contract.piece_rate else ZERO,
                )
        workshop = self.workshops[workshop_id]
        for rate in (
            *self.workshop_rates.get(workshop_id, ()),
            *self.trade_rates.get(workshop.trade_id, ()),
        ):
            if rate.effective_from <= day and (
                rate.effective_to is None or day <= rate.effective_to
            ):
                return Price(
                    OWN,
                    rate.hourly.amount if rate.hourly else ZERO,
                    rate.piece.amount if rate.piece else ZERO,
                )
        raise NoRate(
            _("No pay rate or contract covers %(workshop)s on %(day)s: add a pay rate first.")
            % {"workshop": workshop, "day": day}
        )


@dataclass
class Earnings:
    """One worker's work in the run, before rounding."""

    hours: Decimal = ZERO
    pieces: int = 0
    training_hours: Decimal = ZERO
    over_limit_days: int = 0
    late_days: int = 0
    late_training_days: int = 0
    # payer → exact pay; payer → hours; (payer, trade id) → hours, for the floor
    pay: dict = field(default_factory=lambda: defaultdict(Decimal))
    payer_hours: dict = field(default_factory=lambda: defaultdict(Decimal))
    trade_hours: dict = field(default_factory=lambda: defaultdict(Decimal))
    adjustments: dict = field(default_factory=lambda: defaultdict(Decimal))
    settles: list = field(default_factory=list)


def _to_pay(run: PayRun, *, free: str, held: str) -> Q:
    """Rows of ``run``'s prison (module docstring, "Which records"): of its period, free or held
    by its lock, and late ones, free. ``free`` is the lookup that is null when no run holds the
    row, ``held`` the one that names the lock holding it."""
    locks = ProductionLock.objects.filter(reference=run.reference, released_at__isnull=True)
    unheld = Q(**{f"{free}__isnull": True})
    mine = unheld | Q(**{f"{held}__in": locks.values("pk")})
    in_period = Q(day__gte=run.period_start, day__lte=run.period_end) & mine
    late_from = first_paid_day(run)
    late = Q(day__gte=late_from, day__lt=run.period_start) & unheld if late_from else Q(pk__in=[])
    workshops = Workshop.objects.filter(prison_id=run.prison_id).values("pk")
    return (in_period | late) & Q(workshop_id__in=workshops)


def records_to_pay(run: PayRun):
    """The production records ``run`` pays."""
    # Only the records' own columns, subqueries and their lock, so locking them is one plain
    # INSERT ... SELECT.
    return ProductionRecord.objects.filter(
        _to_pay(run, free="locked", held="locked__lock"), legacy=False
    )


def attendance_to_pay(run: PayRun):
    """The training attendance ``run`` pays, by the rule of its records, so attendance recorded
    after its period was paid is paid late, once."""
    return TrainingAttendance.objects.filter(_to_pay(run, free="lock", held="lock"))


def locked_records(run: PayRun):
    """The records ``run`` has locked: what it pays."""
    locks = ProductionLock.objects.filter(reference=run.reference, released_at__isnull=True)
    return ProductionRecord.objects.filter(locked__lock__in=locks.values("pk"))


def first_paid_day(run: PayRun) -> datetime.date | None:
    first = (
        PayRun.objects.filter(prison_id=run.prison_id, status=PayRun.Status.POSTED)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return first if first is not None and first < run.period_start else None


def calculate_lines(run: PayRun, policy, records):
    """The run's lines for ``records`` (and the period's training and adjustments), unsaved,
    yielded in worker order (the module docstring says how)."""
    workshops = list(Workshop.objects.filter(prison_id=run.prison_id))
    late = records.filter(day__lt=run.period_start)  # the few late records, not every one
    span_start = late.order_by("day").values_list("day", flat=True).first() or run.period_start
    prices = Prices(workshops, span_start, run.period_end)
    earnings: dict[int, Earnings] = defaultdict(Earnings)
    days = prices.boundaries()
    for first, after in itertools.pairwise(days):
        _read_work(records.filter(day__gte=first, day__lt=after), prices, first, earnings)
    _read_days(records, run, earnings)
    _read_training(run, policy, earnings)
    _read_adjustments(run, prices, earnings)
    benchmarks = _benchmarks(run)
    allocations = [
        Terms(a.category, a.percentage, a.priority, a.floor, a.cap)
        for a in policy.allocations.all()
    ]
    references = {}
    ids = sorted(earnings)
    for start in range(0, len(ids), 5_000):
        references |= dict(
            Worker.objects.filter(pk__in=ids[start : start + 5_000]).values_list("pk", "reference")
        )
    for worker_id in sorted(earnings, key=lambda pk: references[pk]):
        yield _line(run, policy, allocations, benchmarks, worker_id, earnings.pop(worker_id))


def _read_work(records, prices: Prices, first: datetime.date, earnings) -> None:
    rows = records.values("worker_id", "workshop_id").annotate(
        hours=Sum("hours"), pieces=Sum("pieces")
    )
    for row in rows.order_by():
        try:
            price = prices.on(row["workshop_id"], first)
        except NoRate:
            day = records.filter(workshop_id=row["workshop_id"]).aggregate(day=Min("day"))["day"]
            prices.on(row["workshop_id"], day)  # raises, naming the first day of the work
            raise
        worker = earnings[row["worker_id"]]
        hours, pieces = Decimal(row["hours"] or 0), int(row["pieces"] or 0)
        worker.hours += hours
        worker.pieces += pieces
        worker.pay[price.payer] += hours * price.hourly + pieces * price.piece
        worker.payer_hours[price.payer] += hours
        trade = prices.workshops[row["workshop_id"]].trade_id
        worker.trade_hours[(price.payer, trade)] += hours


def _read_days(records, run: PayRun, earnings) -> None:
    """Days over the working-time limits, and days before the period, per worker: read from
    the records that have either (few), not from all of them."""
    rows = records.filter(~Q(breaches="") | Q(day__lt=run.period_start)).values("worker_id")
    rows = rows.annotate(
        over=Count("day", distinct=True, filter=~Q(breaches="")),
        late=Count("day", distinct=True, filter=Q(day__lt=run.period_start)),
    )
    for row in rows.order_by():
        worker = earnings[row["worker_id"]]
        worker.over_limit_days, worker.late_days = row["over"], row["late"]


def _read_training(run: PayRun, policy, earnings) -> None:
    """The hours of the attendance the run holds, and its days before the period, per worker."""
    locks = ProductionLock.objects.filter(reference=run.reference, released_at__isnull=True)
    rows = (
        TrainingAttendance.objects.filter(lock__in=locks.values("pk"))
        .values("enrolment__worker_id")
        .annotate(
            hours=Sum("hours"),
            late=Count("day", distinct=True, filter=Q(day__lt=run.period_start)),
        )
        .order_by()
    )
    for row in rows:
        worker = earnings[row["enrolment__worker_id"]]
        worker.training_hours += Decimal(row["hours"] or 0)
        worker.late_training_days = row["late"]


def _read_adjustments(run: PayRun, prices: Prices, earnings) -> None:
    """Differences of records paid by posted runs: paid or recovered now."""
    posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
    adjustments = (
        ProductionAdjustment.objects.filter(
            settled_by="",
            record__workshop__prison_id=run.prison_id,
            record__locked__lock__reference__in=posted,
        )
        .select_related("record")
        .order_by("pk")
    )
    for adjustment in adjustments:
        record = adjustment.record
        price = prices_for_day(prices, record)
        difference = (adjustment.new_hours - adjustment.old_hours) * price.hourly + (
            adjustment.new_pieces - adjustment.old_pieces
        ) * price.piece
        worker = earnings[record.worker_id]
        worker.adjustments[price.payer] += difference
        worker.settles.append(adjustment.pk)


def prices_for_day(prices: Prices, record) -> Price:
    if record.day < prices.start:  # paid by an earlier run: load that day's rates
        prices = Prices(list(prices.workshops.values()), record.day, record.day)
    return prices.on(record.workshop_id, record.day)


def _benchmarks(run: PayRun) -> dict[int, Decimal]:
    """Trade → the latest market wage per hour in the prison's region."""
    found = {}
    for benchmark in MarketWageBenchmark.objects.filter(
        region__prison__pk=run.prison_id, observed_on__lte=run.period_end
    ).order_by("observed_on"):
        found[benchmark.trade_id] = benchmark.hourly.amount
    return found


def _cents(amount: Decimal, currency: str) -> Decimal:
    return round_money(Money(amount, currency)).amount


def _line(run, policy, allocations, benchmarks, worker_id, work: Earnings) -> PayRunLine:
    currency = run.currency
    warnings = []
    payers = {payer: _cents(amount, currency) for payer, amount in sorted(work.pay.items())}
    training = _cents(work.training_hours * policy.training_rate.amount, currency)
    if training:
        payers[OWN] = payers.get(OWN, ZERO) + training
    earned = sum(payers.values(), ZERO)
    adjustments = {p: _cents(a, currency) for p, a in sorted(work.adjustments.items()) if a}
    settles = sorted(work.settles)
    if earned + sum(adjustments.values(), ZERO) < 0:
        warnings.append(
            {"code": "recovery_postponed", "amount": f"{sum(adjustments.values(), ZERO):.2f}"}
        )
        adjustments, settles = {}, []
    for payer, amount in adjustments.items():
        payers[payer] = payers.get(payer, ZERO) + amount
    payers = {payer: amount for payer, amount in sorted(payers.items()) if amount}
    gross = sum(payers.values(), ZERO)
    split = allocate_earnings(Money(gross, currency), policy, allocations)
    back_wages = {}
    floor = policy.minimum_wage.amount * policy.floor_share / HUNDRED
    for payer, hours in sorted(work.payer_hours.items()):
        if not hours:
            continue
        if payer == OWN:
            due = floor * hours
        else:
            due = ZERO
            for (each, trade), trade_hours in work.trade_hours.items():
                if each != payer:
                    continue
                if trade not in benchmarks:
                    warnings.append({"code": "no_benchmark", "trade": trade})
                    continue
                due += benchmarks[trade] * trade_hours
        shortfall = _cents(due, currency) - _cents(work.pay[payer], currency)
        if shortfall > 0:
            back_wages[payer] = shortfall
            warnings.append(
                {
                    "code": "below_floor",
                    "payer": payer,
                    "hourly": f"{work.pay[payer] / hours:.2f}",
                    "floor": f"{due / hours:.2f}",
                    "owed": f"{shortfall:.2f}",
                }
            )
    if work.over_limit_days:
        warnings.append({"code": "over_limit", "days": work.over_limit_days})
    if work.late_days:
        warnings.append({"code": "late_records", "days": work.late_days})
    if work.late_training_days:
        warnings.append({"code": "late_training", "days": work.late_training_days})
    return PayRunLine(
        run=run,
        worker_id=worker_id,
        hours=work.hours,
        pieces=work.pieces,
        training_hours=work.training_hours,
        earned=earned,
        adjustments=sum(adjustments.values(), ZERO),
        gross=split.gross.amount,
        payers={payer: f"{amount:.2f}" for payer, amount in payers.items()},
        deductions={code: f"{amount.amount:.2f}" for code, amount in split.parts.items()},
        own_spending=split.own_spending.amount,
        back_wages=sum(back_wages.values(), ZERO),
        back_wages_by_payer={payer: f"{amount:.2f}" for payer, amount in back_wages.items()},
        settles=settles,
        warnings=warnings,
    )


LINE_FIELDS = (
    "worker__reference",
    "hours",
    "pieces",
    "training_hours",
    "earned",
    "adjustments",
    "gross",
    "payers",
    "deductions",
    "own_spending",
    "back_wages",
    "back_wages_by_payer",
    "settles",
)


def lines_hash(run: PayRun, *, in_database: bool | None = None) -> str:
    """SHA-256 over the run's stored lines, in worker order: what approval pins and posting
    checks. On PostgreSQL the database computes it from the stored values, without sending a
    line to Python (``_lines_hash_in_database``); elsewhere, or with ``in_database=False``, Python
    streams the lines, so a run of any size fits in memory. The two forms differ: a hash is only
    ever compared with one made by the same database (``lines_match``)."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        return _lines_hash_in_database(run)
    digest = hashlib.sha256()
    rows = (
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list(*LINE_FIELDS)
        .iterator(chunk_size=5_000)
    )
    digest.update(canonical_bytes_of_built({"run": run.reference, "currency": run.currency}))
    for row in rows:
        digest.update(canonical_bytes_of_built({"line": [_canonical(value) for value in row]}))
    return digest.hexdigest()


def _lines_hash_in_database(run: PayRun) -> str:
    """PostgreSQL's form of ``lines_hash``: SHA-256 of the canonical header (run and currency)
    followed by the SHA-256 of each line's ``LINE_FIELDS`` as a JSON array in the database's
    text form (numbers with their column's decimals, JSON columns as stored), in the order of
    the workers' ids (sorting by reference, as Python does, costs a text sort of every line).
    One query; the database holds 32 bytes per line while it hashes."""
    columns = []
    for name in LINE_FIELDS:
        relation, _sep, field = name.rpartition("__")
        if relation:
            related = PayRunLine._meta.get_field(relation).related_model
            columns.append(f"w.{related._meta.get_field(field).column}")
        else:
            columns.append(f"l.{PayRunLine._meta.get_field(field).column}")
    header = canonical_bytes_of_built({"run": run.reference, "currency": run.currency})
    with connection.cursor() as cursor:
        cursor.execute(
            # Column names from the model's own fields; the values are parameters.
            "SELECT encode(sha256(%s::bytea || coalesce(string_agg("  # noqa: S608 # nosec B608
            f"sha256(convert_to(jsonb_build_array({', '.join(columns)})::text, 'UTF8')), "
            "''::bytea ORDER BY l.worker_id), ''::bytea)), 'hex') "
            "FROM wages_payrunline l JOIN workshops_worker w ON w.id = l.worker_id "
            "WHERE l.run_id = %s",
            [header, run.pk],
        )
        return cursor.fetchone()[0]


def lines_match(run: PayRun, pinned: str) -> bool:
    """Whether the run's stored lines still hash to ``pinned``. On PostgreSQL, a hash pinned in
    Python's form (before migration ``wages/0010`` let the database hash the lines) still
    matches, so a run calculated or approved before that migration is approved and posted."""
    if lines_hash(run) == pinned:
        return True
    return connection.vendor == "postgresql" and lines_hash(run, in_database=False) == pinned


def _canonical(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value
