"""What the posted pay runs paid in a scope and period: the reads the pay rules share
(WAGE_FLOOR, BACK_WAGES, DEDUCTIONS_CAP, VICTIM_FUND_RANGE, EARNINGS_SPLIT).

Only **posted** runs count as what workers were paid: a draft or approved run may still change
or be cancelled. A run is judged **whole** when its period meets the check period, so what a
rule computes for it compares with what its lines say (back wages owed, deductions).

    posted_runs(context)          posted runs of the prisons in scope meeting the period
    posted_lines(context)         their lines in scope (a partner's: lines it pays; a workshop's:
                                  lines of workers whose work there the run paid)
    paid_work(context)            the effective pay of each worker in each posted run, by payer
                                  (and, for partner work, trade), with its floor: ``Judged`` rows,
                                  computed once per context (``context.cache``)
    unpaid_records(context)       work in scope in the period that no posted run paid yet
    version_on(segments, day)     the policy version of ``context.segments`` in force on ``day``

**Effective pay** (Mandela Rule 103, ILO C029, PIECP), as the pay run's calculation judges it
(``wages.payruns.calculation``, "Wage floor"): what the records a run paid earned at the rates in
force on their days (a contract's hourly and piece rates on the days it is in force for the
workshop, else the workshop's pay rate, else its trade's), divided by their hours; piece work is
so converted to an hourly figure. Training pay and adjustments of earlier runs are not work of
the period and are left out. The administration's own work in scope is judged as a whole against
``minimum_wage × floor_share`` of the run's pay policy; a partner's, trade by trade, against the
latest market wage benchmark of the trade in the prison's region observed on or before the run's
last day. The shortfall is rounded as the calculation rounds it: the floor's pay and the pay
each rounded half up to the cent, then subtracted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_percent
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Sum,
    Value,
    When,
)

from core.formatting import babel_locale
from wages.models import MarketWageBenchmark, PayRun, PayRunLine
from wages.payruns.amounts import OWN, ZERO, cents
from wages.payruns.prices import NoRate, Prices
from workshops.models import (
    LockedRecord,
    Partner,
    Workshop,
)

HUNDRED = Decimal(100)
RATE_PLACES = Decimal("0.0001")
HOURS_PLACES = Decimal("0.01")
SAMPLE = 5  # production records cited per finding: the pattern, not every one


def rate(value: Decimal) -> Decimal:
    """An hourly figure as the rules compare and print it: four decimals, half up."""
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def percent(value: Decimal) -> str:
    """A percentage (80.01, not 0.8001) as the language writes it, with up to two decimals: the
    core helper rounds to whole percents, and 80.01 % is not the 80 % cap."""
    return format_percent(value / HUNDRED, format="#,##0.##%", locale=babel_locale())


def version_on(segments, day: datetime.date):
    """The version of ``context.segments(Model)`` in force on ``day``, clamped into the period."""
    first, last = segments[0][0], segments[-1][1]
    day = min(max(day, first), last)
    for start, end, version in segments:
        if start <= day <= end:
            return version
    return None


def scope_prisons(context):
    """The ids of the prisons whose pay runs can pay work in scope."""
    scope = context.scope
    if scope.kind == "prison":
        return [scope.target.pk]
    if scope.kind == "workshop":
        return [scope.target.prison_id]
    return scope.contracts(context.start, context.end).values("workshop__prison_id")


def posted_runs(context):
    return PayRun.objects.filter(
        status=PayRun.Status.POSTED,
        prison_id__in=scope_prisons(context),
        period_start__lte=context.end,
        period_end__gte=context.start,
    )


def payer_of(partner_id) -> str:
    """The key a line's ``payers`` uses for ``partner_id`` (``own`` for None)."""
    return OWN if partner_id is None else f"partner:{partner_id}"


def posted_lines(context):
    """The lines of ``posted_runs`` in scope."""
    lines = PayRunLine.objects.filter(run__in=posted_runs(context))
    scope = context.scope
    if scope.kind == "partner":
        return lines.filter(payers__has_key=payer_of(scope.target.pk))
    if scope.kind == "workshop":
        return lines.filter(
            Exists(
                LockedRecord.objects.filter(
                    record__worker=OuterRef("worker"),
                    record__workshop=scope.target,
                    lock__reference=OuterRef("run__reference"),
                    lock__released_at__isnull=True,
                )
            )
        )
    return lines


@dataclass(frozen=True)
class Line:
    """A posted line with gross pay, as the rules read it: plain values, not a model instance
    (building 12,000 lines with their run and money-field policy took seconds)."""

    run: PayRun  # with its policy; one instance per run, shared by its lines
    worker_id: int
    worker: str  # the pseudonymous reference
    gross: Decimal
    own_spending: Decimal
    deductions: dict  # category code → amount as text
    payers: dict  # payer → amount as text


def paid_lines(context) -> list[Line]:
    """The lines of ``posted_lines`` with gross pay, in the order of their runs (two queries,
    once per context: DEDUCTIONS_CAP, VICTIM_FUND_RANGE and EARNINGS_SPLIT share them)."""
    key = ("posted_pay", "paid_lines")
    if key not in context.cache:
        runs = {run.pk: run for run in posted_runs(context).select_related("policy")}
        rows = (
            posted_lines(context)
            .filter(gross__gt=0)
            .order_by("run__period_start", "pk")
            .values_list(
                "run_id",
                "worker_id",
                "worker__reference",
                "gross",
                "own_spending",
                "deductions",
                "payers",
            )
        )
        context.cache[key] = [Line(runs[row[0]], *row[1:]) for row in rows] if runs else []
    return context.cache[key]


def _in_scope(context):
    """Non-legacy production records in scope, whatever their day."""
    return context.scope.production(datetime.date.min, datetime.date.max).filter(legacy=False)


def paid_by_posted_run():
    """For ``filter``/``annotate``: the outer production record is paid by a posted pay run."""
    return Exists(
        LockedRecord.objects.filter(
            record=OuterRef("pk"),
            lock__released_at__isnull=True,
            lock__reference__in=PayRun.objects.filter(status=PayRun.Status.POSTED).values(
                "reference"
            ),
        )
    )


@dataclass(frozen=True)
class Unpaid:
    count: int
    first: datetime.date | None
    last: datetime.date | None
    sample: tuple[int, ...]


def unpaid_records(context) -> Unpaid:
    """Work in scope in the period that no posted pay run paid: the rules cannot judge its pay
    yet (two queries)."""
    key = ("posted_pay", "unpaid")
    if key not in context.cache:
        records = (
            context.scope.production(context.start, context.end)
            .filter(legacy=False)
            .exclude(paid_by_posted_run())
        )
        found = records.aggregate(count=Count("pk"), first=Min("day"), last=Max("day"))
        sample = ()
        if found["count"]:
            sample = tuple(records.order_by("pk").values_list("pk", flat=True)[:SAMPLE])
        context.cache[key] = Unpaid(found["count"] or 0, found["first"], found["last"], sample)
    return context.cache[key]


@dataclass
class Judged:
    """One worker's work in one posted run for one payer (and trade, for partner work)."""

    run: PayRun
    worker_id: int
    worker: str  # the pseudonymous reference
    payer: str  # "own" or "partner:<id>"
    partner: Partner | None
    trade: object | None  # the Trade, for partner work
    region: object | None  # the prison's Region, for partner work
    hours: Decimal = ZERO
    earned: Decimal = ZERO  # exact, before rounding
    floor: Decimal | None = None  # per hour; None where no benchmark or policy says
    benchmark: MarketWageBenchmark | None = None
    records: set = field(default_factory=set)

    @property
    def currency(self) -> str:
        return self.run.currency

    @property
    def effective(self) -> Decimal:
        return rate(self.earned / self.hours) if self.hours else ZERO

    @property
    def paid(self) -> Decimal:
        return cents(self.earned, self.currency)

    @property
    def due(self) -> Decimal:
        """What the hours pay at the floor, rounded as the calculation rounds it."""
        return cents(self.floor * self.hours, self.currency)

    @property
    def shortfall(self) -> Decimal:
        if self.floor is None or not self.hours:
            return ZERO
        return max(self.due - self.paid, ZERO)

    @property
    def sample(self) -> list[int]:
        return sorted(self.records)[:SAMPLE]


def paid_work(context) -> list[Judged]:
    """Every worker's work in each posted run meeting the period, in scope, by payer (and trade
    for partners), with its floor (module docstring). Priced as the calculation prices it
    (``wages.payruns.prices.Prices``): the days are cut into spans of unchanged payers and rates,
    and the records summed by run, worker, workshop and span in one aggregate (a ``CASE`` on the
    day, no subquery per record). A fixed number of queries: the runs, the workshops, the first
    day paid, the contracts and rates, the sums, the partners and the benchmarks."""
    key = ("posted_pay", "paid_work")
    if key in context.cache:
        return context.cache[key]
    runs = {
        run.reference: run
        for run in posted_runs(context).select_related("policy", "prison__region")
    }
    found: list[Judged] = []
    if runs:
        records = _in_scope(context).filter(
            locked__lock__reference__in=list(runs), locked__lock__released_at__isnull=True
        )
        first = records.aggregate(first=Min("day"))["first"]
        if first is not None:
            found = _judge(records, runs, first)
    context.cache[key] = found
    return found


def _judge(records, runs: dict, first: datetime.date) -> list[Judged]:
    workshops = list(
        Workshop.objects.filter(prison_id__in={run.prison_id for run in runs.values()})
        .select_related("trade")
        .order_by("pk")
    )
    prices = Prices(workshops, first, max(run.period_end for run in runs.values()))
    starts = prices.boundaries()[:-1]  # each span's first day
    span = Case(
        *[
            When(day__gte=day, then=Value(index))
            for index, day in reversed(list(enumerate(starts)))
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        records.annotate(run_reference=F("locked__lock__reference"), span=span)
        .values("run_reference", "worker_id", "worker__reference", "workshop_id", "span")
        .annotate(hours=Sum("hours"), pieces=Sum("pieces"), first=Min("pk"), last=Max("pk"))
        .order_by()
    )
    rows = list(rows)
    priced = []
    for row in rows:
        try:
            price = prices.on(row["workshop_id"], starts[row["span"]])
        except NoRate:  # the run could not have paid it
            continue
        priced.append((row, price))
    partners = Partner.objects.in_bulk(
        {int(price.payer.split(":")[1]) for _row, price in priced if price.payer != OWN}
    )
    judged: dict[tuple, Judged] = {}
    for row, price in priced:
        run = runs[row["run_reference"]]
        workshop = prices.workshops[row["workshop_id"]]
        if price.payer == OWN:
            partner = trade = region = None
        else:
            partner = partners[int(price.payer.split(":")[1])]
            trade, region = workshop.trade, run.prison.region
        group_key = (run.reference, row["worker_id"], price.payer, trade.pk if trade else None)
        group = judged.get(group_key)
        if group is None:
            group = judged[group_key] = Judged(
                run, row["worker_id"], row["worker__reference"], price.payer, partner, trade, region
            )
        hours = Decimal(row["hours"] or 0).quantize(HOURS_PLACES)  # the same on every database
        group.hours += hours
        group.earned += hours * price.hourly + int(row["pieces"] or 0) * price.piece
        group.records |= {row["first"], row["last"]}
    _floors(list(judged.values()), runs)
    return sorted(
        judged.values(), key=lambda j: (j.run.period_start, j.run.reference, j.worker, j.payer)
    )


def _floors(judged: list[Judged], runs: dict) -> None:
    """Set each row's hourly floor: the run's policy for own work, the benchmark for partners'."""
    wanted = {(j.trade.pk, j.region.pk) for j in judged if j.trade is not None}
    latest_end = max((run.period_end for run in runs.values()), default=None)
    benchmarks = defaultdict(list)
    if wanted:
        for benchmark in MarketWageBenchmark.objects.filter(
            trade_id__in={trade for trade, _region in wanted},
            region_id__in={region for _trade, region in wanted},
            observed_on__lte=latest_end,
        ).order_by("observed_on", "pk"):
            benchmarks[(benchmark.trade_id, benchmark.region_id)].append(benchmark)
    for row in judged:
        if row.trade is None:
            policy = row.run.policy
            if policy is not None:
                row.floor = policy.minimum_wage.amount * policy.floor_share / HUNDRED
            continue
        observed = [
            each
            for each in benchmarks[(row.trade.pk, row.region.pk)]
            if each.observed_on <= row.run.period_end
        ]
        if observed:
            row.benchmark = observed[-1]
            row.floor = observed[-1].hourly.amount
