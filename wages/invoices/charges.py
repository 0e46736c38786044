"""What a labour invoice charges a partner for a period, read from the register, the production
records and the posted pay runs (Mandela Rule 100.2: the partner pays the full normal wage).

**Labour**, one line per contract in force in the period (a contract is for one workshop):
the work hours recorded in its workshop on the days it is in force, × the **rate charged**, the
higher of the market wage benchmark of the workshop's trade in its prison's region (the latest
observed on or before the period's last day) and the contract's ``labour_charge_per_hour``.
Training hours are not charged: training is the administration's programme (Mandela Rules
98–99), not labour supplied to the partner; legacy records (history from before Bridgework) were
settled before it. **The one rounding rule**: each line's amount is hours × rate rounded half up
to the currency's minor unit (``core.money.round_money``); the invoice's totals are sums of lines.

**Wages charged**: what the posted pay runs debited to the partner for this work,
``PayRunLine.payers["partner:<id>"]``; **back wages**: ``back_wages_by_payer["partner:<id>"]``.
A run is taken whole, so only runs inside the period are invoiced, and a run is invoiced once
(``LabourInvoiceRun``). When the workers were paid more than the labour lines charge (generous
piece rates), a line **wages paid above the rate** charges the difference: the partner never pays
less than its workers were paid.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from djmoney.money import Money

from core.formatting import format_day
from core.money import round_money
from wages.models import LabourInvoiceRun, MarketWageBenchmark, PayRun, PayRunLine
from workshops.models import Contract, Partner, ProductionRecord

ZERO = Decimal(0)


@dataclass
class LabourLine:
    contract: Contract
    hours: Decimal
    benchmark: MarketWageBenchmark | None
    rate: Decimal
    amount: Decimal


@dataclass
class Charges:
    labour: list[LabourLine] = field(default_factory=list)
    runs: dict = field(default_factory=dict)  # PayRun → (wages, back wages)

    @property
    def labour_total(self) -> Decimal:
        return sum((line.amount for line in self.labour), ZERO)

    @property
    def wages(self) -> Decimal:
        return sum((wages for wages, _back in self.runs.values()), ZERO)

    @property
    def back_wages(self) -> Decimal:
        return sum((back for _wages, back in self.runs.values()), ZERO)

    @property
    def wages_above(self) -> Decimal:
        return max(self.wages - self.labour_total, ZERO)


def contracts_in_force(partner: Partner, start: datetime.date, end: datetime.date):
    return (
        Contract.objects.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
        .filter(partner=partner)
        .select_related("workshop__trade", "workshop__prison__region")
        .order_by("workshop__name", "start", "pk")
    )


def benchmark_for(workshop, on: datetime.date) -> MarketWageBenchmark | None:
    return (
        MarketWageBenchmark.objects.filter(
            trade_id=workshop.trade_id, region_id=workshop.prison.region_id, observed_on__lte=on
        )
        .order_by("-observed_on")
        .first()
    )


def _days(contract: Contract, start, end) -> tuple[datetime.date, datetime.date]:
    return max(start, contract.start), min(end, contract.end or end)


def _work(contract: Contract, start, end):
    return ProductionRecord.objects.filter(
        workshop_id=contract.workshop_id, day__range=_days(contract, start, end), legacy=False
    )


def labour_charges(
    partner: Partner, start: datetime.date, end: datetime.date, currency: str
) -> Charges:
    """The invoice's charges; ``ValidationError`` naming what is missing when the period cannot
    be invoiced yet (no contract, a trade without a benchmark, work not yet paid by a posted run,
    a run crossing the period's edge)."""
    contracts = list(contracts_in_force(partner, start, end))
    if not contracts:
        raise ValidationError(
            _(
                "%(partner)s had no contract in force from %(start)s to %(end)s: there is no "
                "labour to invoice. Check the period, or the partner's contracts."
            )
            % {"partner": partner, "start": format_day(start), "end": format_day(end)}
        )
    charges = Charges()
    missing = []
    for contract in contracts:
        hours = _work(contract, start, end).aggregate(total=Sum("hours"))["total"] or ZERO
        if not hours:
            continue
        workshop = contract.workshop
        benchmark = benchmark_for(workshop, end)
        if benchmark is None:
            missing.append(
                _("%(trade)s in %(region)s")
                % {"trade": workshop.trade, "region": workshop.prison.region}
            )
            continue
        rate = max(benchmark.hourly.amount, contract.labour_charge_per_hour.amount)
        amount = round_money(Money(hours * rate, currency)).amount
        charges.labour.append(LabourLine(contract, hours, benchmark, rate, amount))
    if missing:
        raise ValidationError(
            _(
                "No market wage benchmark observed on or before %(end)s for %(missing)s: add one "
                "under Pay → Market wage benchmarks, then issue the invoice."
            )
            % {"end": format_day(end), "missing": "; ".join(missing)}
        )
    _refuse_unpaid_work(contracts, start, end)
    charges.runs = _runs(partner, start, end)
    if not charges.labour and not charges.back_wages:
        raise ValidationError(
            _("No hours were worked for %(partner)s from %(start)s to %(end)s: nothing to invoice.")
            % {"partner": partner, "start": format_day(start), "end": format_day(end)}
        )
    return charges


def _refuse_unpaid_work(contracts, start, end) -> None:
    """The invoice credits the wages the runs charged: work no posted run paid yet would be
    invoiced without them, and the run paying it later would charge the partner again."""
    posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
    for contract in contracts:
        unpaid = (
            _work(contract, start, end)
            .exclude(locked__lock__reference__in=posted, locked__lock__released_at__isnull=True)
            .order_by("day")
        )
        first = unpaid.first()
        if first is not None:
            raise ValidationError(
                _(
                    "%(count)s production records of %(workshop)s in the period, the first on "
                    "%(day)s, are not yet paid by a posted pay run of %(prison)s: post its run "
                    "for those days first."
                )
                % {
                    "count": unpaid.count(),
                    "workshop": contract.workshop,
                    "day": format_day(first.day),
                    "prison": contract.workshop.prison,
                }
            )


def _runs(partner: Partner, start, end) -> dict:
    payer = f"partner:{partner.pk}"
    lines = (
        PayRunLine.objects.filter(
            Q(payers__has_key=payer) | Q(back_wages_by_payer__has_key=payer),
            run__status=PayRun.Status.POSTED,
            run__period_start__lte=end,
            run__period_end__gte=start,
        )
        .exclude(run__in=LabourInvoiceRun.objects.filter(partner=partner).values("run"))
        .select_related("run__prison")
        .only("payers", "back_wages_by_payer", "run")
    )
    found = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        run = line.run
        if run.period_start < start or run.period_end > end:
            raise ValidationError(
                _(
                    "Pay run %(reference)s of %(prison)s pays %(run_period)s, across the edge of "
                    "the period: invoice a period that holds the whole run."
                )
                % {"reference": run.reference, "prison": run.prison, "run_period": run.period()}
            )
        found[run][0] += Decimal(str(line.payers.get(payer, 0)))
        found[run][1] += Decimal(str(line.back_wages_by_payer.get(payer, 0)))
    return {run: (wages, back) for run, (wages, back) in sorted(found.items(), key=_by_ref)}


def _by_ref(item):
    return item[0].reference
