"""The four charts of an assessment (its report and its dashboard page), over its scope and
period, from the records as the rules read them:

    pay_against_floor(context) -> list[PayRow]     (a) effective pay per worker against the floor
    hours_distribution(context) -> Hours           (b) daily and weekly hours, with the limits
    training_shares(context) -> Training           (c) training hours / hours worked per worker
    gender_by_trade(context) -> list[TradeRow]     (d) women and men per trade
    charts_for(assessment) -> list[Chart]          the four drawn (``compliance.assessments.svg``)

Each selector runs a fixed number of queries whatever the number of workers, aggregating in the
database; they reuse what the rules compute: effective pay and its floor are WAGE_FLOOR's
(``posted_pay.paid_work``: posted pay runs, piece rates converted, the policy's floor for own
work, the market wage for partner work); hours are occupied time as HOURS_DAY and HOURS_WEEK count
it (production in every workshop plus training, on the days or ISO weeks the worker had a shift
in scope); the training share is TRAINING_SHARE's (training anywhere against hours worked in
scope); workers per trade are GENDER_ACCESS's (distinct workers with records in scope).

Workers appear by their pseudonymous reference only (DESIGN.md, "Privacy and dignity"). Where
more than ``MAX_BARS`` workers are in scope, the per-worker charts show the ``MAX_BARS`` lowest,
the ones an auditor must look at, and their description says so.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext as _

from compliance.models import ComplianceThresholds
from compliance.rules.context import CheckContext, Scope
from compliance.rules.occupied_time import BUCKETS
from compliance.rules.posted_pay import paid_work, rate
from core.formatting import format_number
from workshops.models import ProductionRecord, TrainingAttendance, Worker, WorkingTimePolicy

from .svg import Bar, Bin, Chart, Limit, bar_chart, histogram

MAX_BARS = 40
DAY_BIN = 1  # hours per bar of the daily histogram
WEEK_BIN = 4  # and of the weekly one
HUNDREDTH = Decimal("0.01")
WOMEN, MEN = Worker.Sex.FEMALE.value, Worker.Sex.MALE.value


def context_of(assessment) -> CheckContext:
    return CheckContext(
        Scope(assessment.kind, assessment.subject), assessment.start, assessment.end
    )


# (a) effective pay against the floor ------------------------------------------------------------


@dataclass(frozen=True)
class PayRow:
    """One worker's paid work for one payer (own work, or a partner's trade) over the period:
    what it earned over its hours, against the floor of those hours (weighted by hours, should
    the floor change between pay runs)."""

    worker: str
    basis: str  # "own" or the trade's name, for partner work
    hours: Decimal
    effective: Decimal
    floor: Decimal | None

    @property
    def gap(self) -> Decimal:
        return self.effective - self.floor if self.floor is not None else Decimal(0)


def pay_against_floor(context) -> list[PayRow]:
    grouped: dict = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0), True])
    for work in paid_work(context):
        if not work.hours:
            continue
        basis = "own" if work.trade is None else work.trade.name
        sums = grouped[work.worker, basis]
        sums[0] += work.hours
        sums[1] += work.earned
        if work.floor is None:
            sums[3] = False
        else:
            sums[2] += work.floor * work.hours
    return [
        PayRow(
            worker,
            basis,
            hours,
            rate(earned / hours),
            rate(due / hours) if floored else None,
        )
        for (worker, basis), (hours, earned, due, floored) in sorted(grouped.items())
    ]


# (b) daily and weekly hours ---------------------------------------------------------------------

DISTRIBUTION = """
WITH production (worker_id, day, hours, scoped) AS ({production}),
training (worker_id, day, hours) AS ({training}),
occupied (worker_id, day, hours, scoped) AS (
    SELECT worker_id, day, hours, scoped FROM production
    UNION ALL
    SELECT worker_id, day, hours, 0 FROM training
),
totals (total) AS (
    SELECT SUM(hours) FROM occupied GROUP BY worker_id, {bucket} HAVING MAX(scoped) = 1
)
SELECT {bin} AS bin, COUNT(*) FROM totals GROUP BY {bin} ORDER BY 1
"""
# The bin of a total: ⌈(total − ½ hundredth) ÷ width⌉, so a total exactly at a bin's top edge (at
# the limit) falls in that bin, and 0.01 more in the next; SQLite sums decimals as floating point,
# hence the half hundredth (occupied_time.HALF_A_HUNDREDTH).
BINS = {
    "postgresql": "CEIL((total - 0.005) / {width})",
    "sqlite": "(CAST((total - 0.005) / {width} AS INTEGER) "
    "+ ((total - 0.005) / {width} > CAST((total - 0.005) / {width} AS INTEGER)))",
}


@dataclass(frozen=True)
class Hours:
    daily: list[Bin]  # worker-days by hours occupied
    weekly: list[Bin]  # worker-weeks by hours occupied
    day_limits: list[Decimal]
    week_limits: list[Decimal]


def _distribution(context, *, per: str, width: int) -> dict[int, int]:
    scoped = context.scope.production(context.start, context.end).order_by()
    period = (context.start, context.end)
    production_sql, production_params = (
        ProductionRecord.objects.filter(day__range=period, worker__in=scoped.values("worker"))
        .order_by()
        .annotate(
            scoped=Case(
                When(Q(pk__in=scoped.values("pk")), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values_list("worker_id", "day", "hours", "scoped")
        .query.sql_with_params()
    )
    training_sql, training_params = (
        TrainingAttendance.objects.filter(
            day__range=period, enrolment__worker__in=scoped.values("worker")
        )
        .order_by()
        .values_list("enrolment__worker_id", "day", "hours")
        .query.sql_with_params()
    )
    sql = DISTRIBUTION.format(
        production=production_sql,
        training=training_sql,
        bucket=BUCKETS[per, connection.vendor],
        bin=BINS[connection.vendor].format(width=int(width)),
    )
    counts: dict[int, int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*production_params, *training_params])
        for number, count in cursor.fetchall():
            counts[max(int(number), 1)] += count  # a day of 0 hours counts in the first bin
    return counts


def _bins(counts: dict[int, int], width: int, limits: list[Decimal]) -> list[Bin]:
    """Every bin from the first to the last with a count (or past the highest limit), so the
    axis runs on without gaps."""
    if not counts:
        return []
    reach = max(counts)
    if limits:
        reach = max(reach, int(max(limits) // width) + 1)
    return [
        Bin(Decimal((n - 1) * width), Decimal(n * width), counts.get(n, 0))
        for n in range(1, reach + 1)
    ]


def hours_distribution(context) -> Hours:
    versions = [policy for _f, _l, policy in context.segments(WorkingTimePolicy) if policy]
    day_limits = sorted({policy.max_hours_per_day for policy in versions})
    week_limits = sorted({policy.max_hours_per_week for policy in versions})
    return Hours(
        _bins(_distribution(context, per="day", width=DAY_BIN), DAY_BIN, day_limits),
        _bins(_distribution(context, per="week", width=WEEK_BIN), WEEK_BIN, week_limits),
        day_limits,
        week_limits,
    )


# (c) training share -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    worker: str
    worked: Decimal
    trained: Decimal

    @property
    def share(self) -> Decimal:
        """Training hours as a percentage of hours worked, to the hundredth."""
        return (self.trained * 100 / self.worked).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Training:
    rows: list[ShareRow]
    thresholds: list[Decimal]  # training_share of each version in force in the period, in %


def training_shares(context) -> Training:
    production = context.scope.production(context.start, context.end).order_by()
    worked = (
        production.values("worker", "worker__reference")
        .annotate(worked=Sum("hours"))
        .filter(worked__gt=0)
        .order_by("worker__reference")
    )
    trained = dict(
        TrainingAttendance.objects.filter(
            day__gte=context.start,
            day__lte=context.end,
            enrolment__worker__in=production.values("worker"),
        )
        .order_by()
        .values("enrolment__worker")
        .annotate(hours=Sum("hours"))
        .values_list("enrolment__worker", "hours")
    )
    rows = [
        ShareRow(
            row["worker__reference"],
            Decimal(row["worked"]).quantize(HUNDREDTH),  # SQLite sums in floating point
            Decimal(trained.get(row["worker"], 0)).quantize(HUNDREDTH),
        )
        for row in worked
    ]
    thresholds = sorted(
        {each.training_share for _f, _l, each in context.segments(ComplianceThresholds) if each}
    )
    return Training(rows, thresholds)


# (d) gender by trade ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeRow:
    trade: str
    women: int
    men: int


def gender_by_trade(context) -> list[TradeRow]:
    """Distinct workers of each sex with records in scope, per trade (one query)."""
    rows = (
        context.scope.production(context.start, context.end)
        .order_by()
        .values("workshop__trade__name", "worker__sex")
        .annotate(workers=Count("worker", distinct=True))
        .values_list("workshop__trade__name", "worker__sex", "workers")
    )
    counts: dict = defaultdict(lambda: {WOMEN: 0, MEN: 0})
    for trade, sex, workers in rows:
        if sex in (WOMEN, MEN):
            counts[trade][sex] += workers
    return [TradeRow(trade, sexes[WOMEN], sexes[MEN]) for trade, sexes in sorted(counts.items())]


# drawing ----------------------------------------------------------------------------------------


def _lowest(rows, key, count=MAX_BARS):
    """The ``count`` rows lowest by ``key``, in their own order."""
    kept = set(map(id, sorted(rows, key=key)[:count]))
    return [row for row in rows if id(row) in kept]


def _shown(total: int) -> str:
    if total <= MAX_BARS:
        return ""
    return " " + _("Only the %(shown)s lowest of %(total)s are drawn.") % {
        "shown": MAX_BARS,
        "total": total,
    }


def pay_chart(rows: list[PayRow]) -> Chart:
    several = len({row.basis for row in rows}) > 1
    shown = _lowest(rows, key=lambda row: row.gap)
    floors = {row.floor for row in shown if row.floor is not None}
    below = sum(1 for row in rows if row.floor is not None and row.effective < row.floor)
    common = floors.pop() if len(floors) == 1 else None

    def label(row):
        if not several:
            return row.worker
        basis = _("own work") if row.basis == "own" else row.basis
        return f"{row.worker} · {basis}"

    return bar_chart(
        key="pay",
        title=_("Effective hourly pay against the floor, per worker"),
        description=_(
            "Effective hourly pay of %(count)s workers (by reference) in the posted pay runs of "
            "the period, each against the floor of its work; %(below)s below it."
        )
        % {"count": len(rows), "below": below}
        + _shown(len(rows)),
        rows=[
            Bar(label(row), (row.effective,), None if common is not None else row.floor)
            for row in shown
        ],
        series=[_("effective pay")],
        marker_label=_("floor of the work"),
        axis_label=_("pay per hour"),
        limits=[Limit(common, _("floor %(value)s") % {"value": format_number(common, places=2)})]
        if common is not None
        else [],
        value=lambda amount: format_number(amount, places=2),
        number_format=format_number,
        empty=_("No posted pay run paid work in scope in the period."),
    )


def hours_charts(hours: Hours) -> list[Chart]:
    def limits(values):
        return [
            Limit(value, _("limit %(hours)s h") % {"hours": format_number(value)})
            for value in values
        ]

    over_days = sum(
        b.count for b in hours.daily if hours.day_limits and b.low >= min(hours.day_limits)
    )
    over_weeks = sum(
        b.count for b in hours.weekly if hours.week_limits and b.low >= min(hours.week_limits)
    )
    return [
        histogram(
            key="hours-day",
            title=_("Hours occupied per day"),
            description=_(
                "%(days)s worker-days by hours occupied (work and training), %(over)s over the "
                "daily limit."
            )
            % {"days": sum(b.count for b in hours.daily), "over": over_days},
            bins=hours.daily,
            x_label=_("hours in the day"),
            y_label=_("worker-days"),
            limits=limits(hours.day_limits),
            number_format=format_number,
            empty=_("No work in scope in the period."),
        ),
        histogram(
            key="hours-week",
            title=_("Hours occupied per week"),
            description=_(
                "%(weeks)s worker-weeks by hours occupied (work and training), %(over)s over the "
                "weekly limit."
            )
            % {"weeks": sum(b.count for b in hours.weekly), "over": over_weeks},
            bins=hours.weekly,
            x_label=_("hours in the ISO week"),
            y_label=_("worker-weeks"),
            limits=limits(hours.week_limits),
            number_format=format_number,
            empty=_("No work in scope in the period."),
        ),
    ]


def training_chart(training: Training) -> Chart:
    shown = _lowest(training.rows, key=lambda row: row.share)
    required = min(training.thresholds, default=None)
    below = sum(1 for row in training.rows if required is not None and row.share < required)
    return bar_chart(
        key="training",
        title=_("Training hours as a share of hours worked, per worker"),
        description=_(
            "Training hours against hours worked in scope for %(count)s workers (by reference); "
            "%(below)s below the required share."
        )
        % {"count": len(training.rows), "below": below}
        + _shown(len(training.rows)),
        rows=[Bar(row.worker, (row.share,)) for row in shown],
        series=[_("training share")],
        # xgettext:no-python-format
        axis_label=_("% of hours worked"),
        limits=[
            Limit(value, _("required %(share)s %%") % {"share": format_number(value)})
            for value in training.thresholds
        ],
        value=lambda amount: format_number(amount, places=2),
        number_format=format_number,
        empty=_("No work in scope in the period."),
    )


def gender_chart(rows: list[TradeRow]) -> Chart:
    return bar_chart(
        key="gender",
        title=_("Women and men per trade"),
        description=_("Workers with records in scope in the period, per trade: %(counts)s.")
        % {
            "counts": "; ".join(
                _("%(trade)s, %(women)s women and %(men)s men")
                % {"trade": row.trade, "women": row.women, "men": row.men}
                for row in rows
            )
            or "–"
        },
        rows=[Bar(row.trade, (row.women, row.men)) for row in rows],
        series=[_("women"), _("men")],
        axis_label=_("workers"),
        value=format_number,
        number_format=format_number,
        empty=_("No work in scope in the period."),
    )


def charts_for(assessment) -> list[Chart]:
    """The four charts (five drawings: daily and weekly hours apart) of ``assessment``."""
    context = context_of(assessment)
    return [
        pay_chart(pay_against_floor(context)),
        *hours_charts(hours_distribution(context)),
        training_chart(training_shares(context)),
        gender_chart(gender_by_trade(context)),
    ]
