"""The rates a pay run prices work at, workshop by workshop and day by day: a contract's rates on
the days it is in force for a workshop, else the workshop's pay rate, else its trade's; and the
market wages the wage floor compares partner work with (``wages.payruns.calculation``)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from moneyed import Money

from core.formatting import format_day
from wages.models import MarketWageBenchmark, PayRate, PayRun
from wages.payruns.amounts import OWN, ZERO
from workshops.models import (
    Contract,
    Workshop,
)


@dataclass(frozen=True)
class Price:
    payer: str  # "own" or "partner:<id>"
    hourly: Decimal
    piece: Decimal


DAY = datetime.timedelta(days=1)


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
            % {"workshop": workshop, "day": format_day(day)}
        )


def prices_for_day(prices: Prices, record) -> Price:
    if record.day < prices.start:  # paid by an earlier run: load that day's rates
        prices = Prices(list(prices.workshops.values()), record.day, record.day)
    return prices.on(record.workshop_id, record.day)


def market_wages(run: PayRun) -> dict[int, Decimal]:
    """Trade → the latest market wage per hour in the prison's region."""
    found = {}
    for benchmark in MarketWageBenchmark.objects.filter(
        region__prison__pk=run.prison_id, observed_on__lte=run.period_end
    ).order_by("observed_on"):
        found[benchmark.trade_id] = benchmark.hourly.amount
    return found
