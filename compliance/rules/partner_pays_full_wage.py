"""PARTNER_PAYS_FULL_WAGE: a partner pays the full normal wage for the labour it gets (Mandela
Rule 100.2: prison labour is not to be cheaper than free labour for the employer).

Reads the contracts of each partner in scope, its labour invoices whose period meets the check
period, the non-legacy production records worked under its contracts (a record is a contract's
when the contract is in force in its workshop on its day) and the market wage benchmarks.
Findings (major):

- an invoice whose labour (``LabourInvoice.labour``) is less than the **normal wage cost** of the
  labour supplied in its period: for each contract, its hours × the latest market wage of the
  workshop's trade in the prison's region observed on or before the invoice's last day, rounded
  half up to the cent; the sum over contracts (exactly equal is full);
- a contract in force in the period whose ``labour_charge_per_hour`` is below that market wage
  (observed on or before the last day of the contract in the period).

Missing data (major): hours worked under a contract in the period that no labour invoice of the
partner covers though posted pay runs paid them (uninvoiced hours: the labour has not been
charged), and a contract's trade with no benchmark in its region (its normal wage cost is
unknown). Uninvoiced hours no posted run has paid yet are **minor**: a labour invoice credits
the wages the runs charged, so such work cannot be invoiced before its run is posted
(``wages.invoices.charges``); the finding says the judgement waits for it.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import BooleanField, Case, Min, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.evidence import evidence, evidence_of
from compliance.rules.posted_pay import HOURS_PLACES, SAMPLE, rate
from compliance.rules.wage_floor import per_hour
from core.formatting import format_day, format_money, format_number
from wages.models import LabourInvoice, MarketWageBenchmark, PayRun
from wages.payruns.amounts import ZERO, cents
from workshops.models import Contract, ProductionRecord


@register
class PartnerPaysFullWage(Rule):
    code = "PARTNER_PAYS_FULL_WAGE"
    title = gettext_lazy("The partner pays the full normal wage for the labour supplied")
    source = "Mandela Rule 100.2"
    severity = MAJOR

    def check(self, context):
        contracts = {
            contract.pk: contract
            for contract in context.scope.contracts(context.start, context.end).select_related(
                "partner", "workshop__trade", "workshop__prison__region"
            )
        }
        if not contracts:
            return
        partners = {contract.partner_id for contract in contracts.values()}
        invoices = list(
            LabourInvoice.objects.filter(
                partner_id__in=partners,
                period_start__lte=context.end,
                period_end__gte=context.start,
            ).order_by("period_start", "number")
        )
        # every contract of those partners: an invoice charges all of them
        everything = {
            contract.pk: contract
            for contract in Contract.objects.filter(partner_id__in=partners).select_related(
                "partner", "workshop__trade", "workshop__prison__region"
            )
        }
        first = min([context.start, *(invoice.period_start for invoice in invoices)])
        last = max([context.end, *(invoice.period_end for invoice in invoices)])
        hours = self._hours(everything, first, last)
        markets = _Benchmarks(everything.values(), last)
        yield from self._invoices(context, invoices, everything, hours, markets)
        yield from self._charges(context, contracts, markets)
        yield from self._uninvoiced(context, contracts, invoices, hours)

    @staticmethod
    def _hours(contracts, first, last) -> list[tuple[int, datetime.date, Decimal, int, bool]]:
        """(contract id, day, hours, first record id, paid by a posted run) of the work under
        ``contracts`` (all of the partners'), by contract and day: one aggregate by workshop,
        day and whether a posted run paid it (a join, no subquery per record), its rows as many
        as the days worked whatever the workers; the contract of each workshop and day is found
        here among the few contracts."""
        by_workshop = defaultdict(list)
        for contract in contracts.values():
            by_workshop[contract.workshop_id].append(contract)
        posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
        paid = Case(
            When(
                Q(locked__lock__released_at__isnull=True, locked__lock__reference__in=posted),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
        rows = (
            ProductionRecord.objects.filter(
                day__gte=first, day__lte=last, legacy=False, workshop_id__in=list(by_workshop)
            )
            .annotate(paid=paid)
            .values("workshop_id", "day", "paid")
            .annotate(hours=Sum("hours"), record=Min("pk"))
            .order_by("workshop_id", "day")
        )
        found = []
        for row in rows:
            contract = next(
                (
                    each
                    for each in by_workshop[row["workshop_id"]]
                    if each.start <= row["day"] and (each.end is None or row["day"] <= each.end)
                ),
                None,
            )
            if contract is None:  # the administration's own work in that workshop that day
                continue
            hours = Decimal(row["hours"]).quantize(HOURS_PLACES)
            found.append((contract.pk, row["day"], hours, row["record"], bool(row["paid"])))
        return sorted(found, key=lambda each: (each[0], each[1], not each[4]))

    def _invoices(self, context, invoices, contracts, hours, markets):
        for invoice in invoices:
            worked = defaultdict(Decimal)
            records = []
            for contract_id, day, amount, record, _paid in hours:
                contract = contracts[contract_id]
                if (
                    contract.partner_id == invoice.partner_id
                    and invoice.period_start <= day <= invoice.period_end
                ):
                    worked[contract_id] += amount
                    records.append(record)
            cost, total_hours, unknown, used = ZERO, ZERO, False, []
            for contract_id, amount in sorted(worked.items()):
                benchmark = markets.on(contracts[contract_id], invoice.period_end)
                if benchmark is None:
                    unknown = True  # reported with the contract (``_charges``)
                    continue
                used.append(benchmark)
                cost += cents(amount * benchmark.hourly.amount, invoice.currency)
                total_hours += amount
            labour = cents(invoice.labour, invoice.currency)
            if unknown or labour >= cost:
                continue
            yield self.finding(
                context,
                start=invoice.period_start,
                end=invoice.period_end,
                detail=_(
                    "labour invoice %(number)s charges %(partner)s %(labour)s for labour, below "
                    "the normal wage cost %(cost)s of %(hours)s hours at the market wage"
                )
                % {
                    "number": invoice.number,
                    "partner": invoice.partner,
                    "labour": format_money(Money(labour, invoice.currency)),
                    "cost": format_money(Money(cost, invoice.currency)),
                    "hours": format_number(total_hours),
                },
                figures={
                    "invoice": invoice.number,
                    "hours": total_hours,
                    "labour": labour,
                    "normal_wage_cost": cost,
                },
                evidence=evidence(invoice, *used)
                + evidence_of(ProductionRecord, sorted(records)[:SAMPLE]),
            )

    def _charges(self, context, contracts, markets):
        for contract in sorted(contracts.values(), key=lambda c: c.reference):
            day = min(context.end, contract.end or context.end)
            benchmark = markets.on(contract, day)
            workshop = contract.workshop
            place = {"trade": workshop.trade.name, "region": workshop.prison.region.name}
            if benchmark is None:
                yield self.missing(
                    context,
                    detail=_(
                        "No market wage benchmark for %(trade)s in the %(region)s region observed "
                        "by %(day)s: the normal wage cost of contract %(contract)s is unknown."
                    )
                    % (place | {"day": format_day(day), "contract": contract.reference}),
                    figures={"contract": contract.reference, "trade": workshop.trade.slug},
                    evidence=evidence(contract),
                )
                continue
            charge = contract.labour_charge_per_hour
            if charge.amount >= benchmark.hourly.amount:
                continue
            currency = str(charge.currency)
            yield self.finding(
                context,
                detail=_(
                    "contract %(contract)s with %(partner)s charges %(charge)s for labour, below "
                    "the market wage %(market)s for %(trade)s in the %(region)s region"
                )
                % (
                    place
                    | {
                        "contract": contract.reference,
                        "partner": contract.partner,
                        "charge": per_hour(charge.amount, currency),
                        "market": per_hour(benchmark.hourly.amount, currency),
                    }
                ),
                figures={
                    "contract": contract.reference,
                    "labour_charge_hourly": rate(charge.amount),
                    "market_hourly": rate(benchmark.hourly.amount),
                },
                evidence=evidence(contract, benchmark),
            )

    def _uninvoiced(self, context, contracts, invoices, hours):
        covered = defaultdict(list)
        for invoice in invoices:
            covered[invoice.partner_id].append((invoice.period_start, invoice.period_end))
        left = defaultdict(list)  # (contract id, paid) → (day, hours, record) not invoiced
        for contract_id, day, amount, record, paid in hours:
            contract = contracts.get(contract_id)
            if contract is None or not context.start <= day <= context.end:
                continue
            if not any(start <= day <= end for start, end in covered[contract.partner_id]):
                left[(contract_id, paid)].append((day, amount, record))
        for (contract_id, paid), days in sorted(
            left.items(), key=lambda item: (item[0][0], not item[0][1])
        ):
            contract = contracts[contract_id]
            total = sum((amount for _day, amount, _record in days), ZERO)
            first, last = days[0][0], days[-1][0]
            words = {
                "hours": format_number(total),
                "contract": contract.reference,
                "partner": contract.partner,
                "start": format_day(first),
                "end": format_day(last),
            }
            if paid:
                detail = _(
                    "%(hours)s hours worked under contract %(contract)s with %(partner)s from "
                    "%(start)s to %(end)s were paid by posted pay runs but are on no labour "
                    "invoice."
                )
            else:
                detail = _(
                    "%(hours)s hours worked under contract %(contract)s with %(partner)s from "
                    "%(start)s to %(end)s are on no labour invoice yet: no posted pay run has "
                    "paid them, so they cannot be invoiced before one does."
                )
            yield self.missing(
                context,
                severity=None if paid else MINOR,
                start=first,
                end=last,
                detail=detail % words,
                figures={
                    "contract": contract.reference,
                    "uninvoiced_hours": total,
                    "paid_by_posted_runs": paid,
                },
                evidence=evidence(contract)
                + evidence_of(ProductionRecord, [record for _d, _a, record in days][:SAMPLE]),
            )


class _Benchmarks:
    """The market wages of the contracts' trades and regions observed by ``last`` (one query)."""

    def __init__(self, contracts, last: datetime.date):
        pairs = {(c.workshop.trade_id, c.workshop.prison.region_id) for c in contracts}
        self.found = defaultdict(list)
        if pairs:
            for benchmark in MarketWageBenchmark.objects.filter(
                trade_id__in={trade for trade, _region in pairs},
                region_id__in={region for _trade, region in pairs},
                observed_on__lte=last,
            ).order_by("observed_on", "pk"):
                self.found[(benchmark.trade_id, benchmark.region_id)].append(benchmark)

    def on(self, contract, day: datetime.date) -> MarketWageBenchmark | None:
        observed = [
            each
            for each in self.found[(contract.workshop.trade_id, contract.workshop.prison.region_id)]
            if each.observed_on <= day
        ]
        return observed[-1] if observed else None
