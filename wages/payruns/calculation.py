"""What a pay run pays each worker: read from the production records, the training attendance
and the production adjustments of earlier runs, priced at the rates in force, split by the pay
policy (``wages.pay.policies.allocate_earnings``), and checked against the wage floor.

**Payers and rates** (DESIGN.md, "Pay rates"). On a day a contract is in force for a workshop,
the workshop's work is the partner's and is paid at the contract's hourly and piece rates; on
other days it is the administration's own work, paid at the workshop's pay rate, or else its
trade's. Training hours are paid by the administration at the policy's training rate.

**Which records** (the one rule, also in the README and ``wages.payruns.records``): a run pays its
prison's records, never legacy ones, dated
- in its period, or
- before its period (*late* records), on or after the first day of the prison's earliest posted
  run, and not in the period of another of the prison's runs that is neither posted nor
  cancelled (those are that run's to pay);
except those a posted run paid. So a record entered after its period's run was calculated, or
dated where no posted run's period reached (a gap between runs, a cancelled run's period), is
paid once, by the next run calculated; records dated before the prison's earliest posted run are
history no run pays. A record the rule gives the run that another run holds and has not posted
refuses the calculation, naming that run (``lock_production``): post or cancel that run first.
Training attendance is paid by the same rule (``attendance_to_pay``), except that a session
another run holds is left to it; it is held by the run's lock as its records are. It also reads
unsettled adjustments of records that a posted run paid, and pays (or
recovers) the difference at the rates of the record's day; a recovery larger than the worker's
pay in this run waits for a later run, with a warning.

**Rounding** (the one rule of ``core.money``, applied once per amount): a worker's pay from each
payer over the period (hours × hourly rate + accepted pieces × piece rate, summed over workshops
and rate periods), training pay and each adjustment's difference are each rounded half up to the
currency's minor unit (the cent; the millime for TND, the yen for JPY); gross is the sum of those
rounded amounts; the split follows ``allocate_earnings``. Amounts kept as text in a line are
written with exactly the currency's decimals (``wages.payruns.amounts``). The rates are looked
up in ``wages.payruns.prices``; the lines' hash that approval pins, in ``wages.payruns.line_hashes``.

**Wage floor** (Mandela Rule 103, ILO C029, PIECP): for the administration's own work,
``floor_share`` % of the minimum wage per hour worked, judged over all its own work; for partner
work, the market wage of the workshop's trade in the prison's region (the latest benchmark
observed by the period's end), judged **trade by trade**: pay for hours in one trade never
offsets a shortfall in another, and hours in a trade without a benchmark are reported, once per
trade, not counted (``_back_wages``). A shortfall becomes back wages owed to the worker, from the
administration or the partner.
"""

import datetime
import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import Count, Min, Q, Sum
from moneyed import Money

from wages.models import PayRun, PayRunLine
from wages.pay.policies import allocate_earnings
from wages.payruns.amounts import OWN, ZERO, cents, money_text
from wages.payruns.prices import NoRate, Price, Prices, Terms, market_wages, prices_for_day
from workshops.models import (
    ProductionAdjustment,
    ProductionLock,
    TrainingAttendance,
    Workshop,
)

HUNDRED = Decimal(100)
PROGRESS_EVERY = 2_000  # workers between two reports: the batch ``calculate_pay_run`` stores
READ_BATCH = 2_000  # rows fetched at a time from each source of a calculation


@dataclass
class Earnings:
    """One worker's work in the run, before rounding."""

    hours: Decimal = ZERO
    pieces: int = 0
    training_hours: Decimal = ZERO
    over_limit_days: int = 0
    late_days: int = 0
    late_training_days: int = 0
    # payer → exact pay; payer → hours; (payer, trade id) → hours and exact pay, for the floor
    pay: dict = field(default_factory=lambda: defaultdict(Decimal))
    payer_hours: dict = field(default_factory=lambda: defaultdict(Decimal))
    trade_hours: dict = field(default_factory=lambda: defaultdict(Decimal))
    trade_pay: dict = field(default_factory=lambda: defaultdict(Decimal))
    adjustments: dict = field(default_factory=lambda: defaultdict(Decimal))
    settles: list = field(default_factory=list)


def calculate_lines(run: PayRun, policy, records, progress=None):
    """The run's lines for ``records`` (and the period's training and adjustments), unsaved,
    yielded in the order of the workers' ids (the module docstring says how).

    Each source (the work of each span of unchanged rates, the days, the training, the
    adjustments) is read in the order of the workers' ids and the sources are merged, so one
    worker's earnings are in memory at a time, not 100,000 of them.

    ``progress(done, total)``, when given, is told the workers calculated of all the run pays:
    first ``(0, total)`` from one counting query, then every ``PROGRESS_EVERY`` workers and
    after the last."""
    workshops = list(Workshop.objects.filter(prison_id=run.prison_id))
    late = records.filter(day__lt=run.period_start)  # the few late records, not every one
    span_start = late.order_by("day").values_list("day", flat=True).first() or run.period_start
    prices = Prices(workshops, span_start, run.period_end)
    benchmarks = market_wages(run)
    allocations = [
        Terms(a.category, a.percentage, a.priority, a.floor, a.cap)
        for a in policy.allocations.all()
    ]
    sources = [
        _read_work(records.filter(day__gte=first, day__lt=after), prices, first)
        for first, after in itertools.pairwise(prices.boundaries())
    ]
    sources += [_read_days(records, run), _read_training(run), _read_adjustments(run, prices)]
    merged = heapq.merge(*sources, key=itemgetter(0))
    total = None
    if progress is not None:
        total = _workers_paid(run, records)
        progress(0, total)
    done = 0
    for worker_id, parts in itertools.groupby(merged, key=itemgetter(0)):
        yield _line(run, policy, allocations, benchmarks, worker_id, _earnings(parts))
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress is not None and done % PROGRESS_EVERY != 0:
        progress(done, total)


def _workers_paid(run: PayRun, records) -> int:
    """How many workers the run has a line for: those with work, attendance or an adjustment
    to settle (one query; asked only when someone watches the calculation)."""
    return (
        records.values_list("worker_id")
        .order_by()
        .union(
            _training(run).values_list("enrolment__worker_id").order_by(),
            _adjustments(run).values_list("record__worker_id").order_by(),
        )
        .count()
    )


def _earnings(parts) -> Earnings:
    """One worker's earnings, from what each source read about them."""
    work = Earnings()
    for _worker_id, add, *values in parts:
        add(work, *values)
    return work


def _read_work(records, prices: Prices, first: datetime.date):
    """(worker id, ``_add_work``, its arguments) per worker and workshop of ``records``, whose
    days are one span of unchanged payers and rates starting on ``first``, by worker id."""
    rows = records.values_list("worker_id", "workshop_id").annotate(
        hours=Sum("hours"), pieces=Sum("pieces")
    )
    for worker_id, workshop_id, hours, pieces in _streamed(rows.order_by("worker_id")):
        try:
            price = prices.on(workshop_id, first)
        except NoRate:
            day = records.filter(workshop_id=workshop_id).aggregate(day=Min("day"))["day"]
            prices.on(workshop_id, day)  # raises, naming the first day of the work
            raise
        trade = prices.workshops[workshop_id].trade_id
        yield worker_id, _add_work, price, trade, Decimal(hours or 0), int(pieces or 0)


def _streamed(rows):
    """The tuples of ``rows`` (a ``values_list`` query), fetched a batch at a time. On
    PostgreSQL by a plain cursor, not the server-side one of ``iterator()``: a cursor's query
    runs without parallel workers, and reading a run's 100,000 sums that way took three times
    as long (the rows wait in the driver, not as Python objects)."""
    if connection.vendor != "postgresql":
        yield from rows.iterator(chunk_size=READ_BATCH)
        return
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(READ_BATCH):
            yield from batch


def _add_work(worker: Earnings, price: Price, trade: int, hours: Decimal, pieces: int) -> None:
    pay = hours * price.hourly + pieces * price.piece
    worker.hours += hours
    worker.pieces += pieces
    worker.pay[price.payer] += pay
    worker.payer_hours[price.payer] += hours
    worker.trade_hours[(price.payer, trade)] += hours
    worker.trade_pay[(price.payer, trade)] += pay


def _read_days(records, run: PayRun):
    """Days over the working-time limits, and days before the period, per worker: read from
    the records that have either (few), not from all of them; by worker id."""
    rows = records.filter(~Q(breaches="") | Q(day__lt=run.period_start)).values_list("worker_id")
    rows = rows.annotate(
        over=Count("day", distinct=True, filter=~Q(breaches="")),
        late=Count("day", distinct=True, filter=Q(day__lt=run.period_start)),
    )
    for worker_id, over, late in _streamed(rows.order_by("worker_id")):
        yield worker_id, _add_days, over, late


def _add_days(worker: Earnings, over: int, late: int) -> None:
    worker.over_limit_days, worker.late_days = over, late


def _read_training(run: PayRun):
    """The hours of the attendance the run holds, and its days before the period, per worker,
    by worker id."""
    rows = (
        _training(run)
        .values_list("enrolment__worker_id")
        .annotate(
            hours=Sum("hours"),
            late=Count("day", distinct=True, filter=Q(day__lt=run.period_start)),
        )
        .order_by("enrolment__worker_id")
    )
    for worker_id, hours, late in _streamed(rows):
        yield worker_id, _add_training, Decimal(hours or 0), late


def _training(run: PayRun):
    """The attendance the run holds."""
    locks = ProductionLock.objects.held_by(run.reference)
    return TrainingAttendance.objects.filter(lock__in=locks.values("pk"))


def _add_training(worker: Earnings, hours: Decimal, late: int) -> None:
    worker.training_hours += hours
    worker.late_training_days = late


def _read_adjustments(run: PayRun, prices: Prices):
    """Differences of records paid by posted runs, paid or recovered now, by worker id."""
    adjustments = _adjustments(run).select_related("record").order_by("record__worker_id", "pk")
    for adjustment in adjustments.iterator(chunk_size=READ_BATCH):
        record = adjustment.record
        price = prices_for_day(prices, record)
        difference = (adjustment.new_hours - adjustment.old_hours) * price.hourly + (
            adjustment.new_pieces - adjustment.old_pieces
        ) * price.piece
        yield record.worker_id, _add_adjustment, price.payer, difference, adjustment.pk


def _adjustments(run: PayRun):
    """The unsettled adjustments of records paid by posted runs of the run's prison."""
    posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
    return ProductionAdjustment.objects.filter(
        settled_by="",
        record__workshop__prison_id=run.prison_id,
        record__locked__lock__reference__in=posted,
    )


def _add_adjustment(worker: Earnings, payer: str, difference: Decimal, pk: int) -> None:
    worker.adjustments[payer] += difference
    worker.settles.append(pk)


def _line(run, policy, allocations, benchmarks, worker_id, work: Earnings) -> PayRunLine:
    currency = run.currency
    warnings = []
    payers = {payer: cents(amount, currency) for payer, amount in sorted(work.pay.items())}
    training = cents(work.training_hours * policy.training_rate.amount, currency)
    if training:
        payers[OWN] = payers.get(OWN, ZERO) + training
    earned = sum(payers.values(), ZERO)
    adjustments = {p: cents(a, currency) for p, a in sorted(work.adjustments.items()) if a}
    settles = sorted(work.settles)
    if earned + sum(adjustments.values(), ZERO) < 0:
        warnings.append(
            {
                "code": "recovery_postponed",
                "amount": money_text(sum(adjustments.values(), ZERO), currency),
            }
        )
        adjustments, settles = {}, []
    for payer, amount in adjustments.items():
        payers[payer] = payers.get(payer, ZERO) + amount
    payers = {payer: amount for payer, amount in sorted(payers.items()) if amount}
    gross = sum(payers.values(), ZERO)
    split = allocate_earnings(Money(gross, currency), policy, allocations)
    back_wages, floor_warnings = _back_wages(policy, benchmarks, work, currency)
    warnings += floor_warnings
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
        payers={payer: money_text(amount, currency) for payer, amount in payers.items()},
        deductions={
            code: money_text(amount.amount, currency) for code, amount in split.parts.items()
        },
        own_spending=split.own_spending.amount,
        back_wages=sum(back_wages.values(), ZERO),
        back_wages_by_payer={
            payer: money_text(amount, currency) for payer, amount in back_wages.items()
        },
        settles=settles,
        warnings=warnings,
    )


def _back_wages(policy, benchmarks, work: Earnings, currency: str) -> tuple[dict, list]:
    """Back wages owed by each payer, and the warnings that explain them (module docstring,
    "Wage floor").

    The administration's own work is judged as a whole against the policy's floor, one rate for
    every trade. A partner's work is judged **trade by trade** against each trade's market wage:
    the shortfall in one benchmarked trade is owed whatever the partner paid for hours in other
    trades, and hours in a trade without a benchmark offset nothing; each such trade is reported
    once (``no_benchmark``) instead. A payer's back wages are the sum of its
    shortfalls, each rounded once."""
    floor = policy.minimum_wage.amount * policy.floor_share / HUNDRED
    judged = []  # (payer, trade or None, hourly floor, hours, exact pay)
    unbenchmarked = set()
    for payer, hours in sorted(work.payer_hours.items()):
        if payer == OWN:
            judged.append((payer, None, floor, hours, work.pay[payer]))
            continue
        for (each, trade), trade_hours in sorted(work.trade_hours.items()):
            if each != payer or not trade_hours:
                continue
            if trade in benchmarks:
                paid = work.trade_pay[(payer, trade)]
                judged.append((payer, trade, benchmarks[trade], trade_hours, paid))
            else:
                unbenchmarked.add(trade)
    owed, warnings = {}, []
    for payer, trade, hourly_floor, hours, paid in judged:
        if not hours:
            continue
        shortfall = cents(hourly_floor * hours, currency) - cents(paid, currency)
        if shortfall <= 0:
            continue
        owed[payer] = owed.get(payer, ZERO) + shortfall
        warning = {"code": "below_floor", "payer": payer}
        if trade is not None:
            warning["trade"] = trade
        warnings.append(
            warning
            | {
                "hourly": money_text(paid / hours, currency),
                "floor": money_text(hourly_floor, currency),
                "owed": money_text(shortfall, currency),
            }
        )
    warnings += [{"code": "no_benchmark", "trade": trade} for trade in sorted(unbenchmarked)]
    return owed, warnings
