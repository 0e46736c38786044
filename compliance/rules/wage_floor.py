"""WAGE_FLOOR: every hour of work is paid at least the floor (Mandela Rule 103, ILO C029 art. 2,
PIECP 18 USC 1761(c)).

Reads the production records each **posted** pay run paid (a run meeting the check period is
judged whole), the rates in force on their days, the run's pay policy and the market wage
benchmarks (``compliance.rules.posted_pay``, "Effective pay"). For each worker, run and payer:
the effective hourly pay (piece rates converted: what the work earned ÷ its hours) must reach,
for the administration's own workshops, ``minimum_wage × floor_share`` of the pay policy, judged
over all its own work; for partner work, the market wage of the workshop's trade in the prison's
region (the latest observed on or before the run's last day), judged trade by trade. A finding
(critical) where it does not, naming the shortfall.

Missing data: partner work in a trade with no benchmark in the region (critical: nothing says
what it should pay); a part of the period with no pay policy in force (critical, unless the
scope is a partner, whose work the benchmarks judge); work in scope that no posted pay run has
paid yet (**minor**: the run for those days may simply not be posted yet, but until it is the
pay of that work cannot be judged, and the finding says how many records wait).
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.rules.base import CRITICAL, MINOR, Rule, register
from compliance.rules.evidence import evidence, evidence_of
from compliance.rules.posted_pay import HUNDRED, paid_work, rate, unpaid_records
from core.formatting import format_day, format_number, format_percentage, format_rate
from wages.models import PayPolicy, PayRun
from workshops.models import ProductionRecord


def per_hour(amount, currency: str) -> str:
    """An hourly figure as the rules write it: "€2.24/h"."""
    return _("%(amount)s/h") % {"amount": format_rate(Money(amount, currency))}


@register
class WageFloor(Rule):
    code = "WAGE_FLOOR"
    title = gettext_lazy("Effective pay at or above the wage floor")
    source = "Mandela Rule 103; ILO C029; PIECP"
    severity = CRITICAL

    def check(self, context):
        for work in paid_work(context):
            if work.floor is not None and work.shortfall > 0:
                yield self._below(context, work)
        yield from floor_unknown(self, context)

    def _below(self, context, work):
        currency = work.currency
        words = {
            "pay": per_hour(work.effective, currency),
            "floor": per_hour(rate(work.floor), currency),
            "hours": format_number(work.hours),
            "run": work.run.reference,
        }
        figures = {
            "run": work.run.reference,
            "payer": work.payer,
            "hours": work.hours,
            "paid": work.paid,
            "effective_hourly": work.effective,
            "floor_hourly": rate(work.floor),
            "shortfall": work.shortfall,
        }
        if work.trade is None:
            policy = work.run.policy
            detail = _(
                "effective pay %(pay)s below the floor %(floor)s (%(share)s of the minimum wage "
                "%(minimum)s) for %(hours)s hours of the administration's own work in pay run "
                "%(run)s"
            ) % (
                words
                | {
                    "share": format_percentage(policy.floor_share / HUNDRED),
                    "minimum": per_hour(policy.minimum_wage.amount, currency),
                }
            )
            source = policy
        else:
            detail = _(
                "effective pay %(pay)s below the market wage %(floor)s for %(trade)s in the "
                "%(region)s region, for %(hours)s hours of work for %(partner)s in pay run %(run)s"
            ) % (
                words
                | {"trade": work.trade.name, "region": work.region.name, "partner": work.partner}
            )
            figures |= {
                "partner": work.partner.slug,
                "trade": work.trade.slug,
                "region": work.region.slug,
            }
            source = work.benchmark
        return self.finding(
            context,
            worker=work.worker,
            start=work.run.period_start,
            end=work.run.period_end,
            detail=detail,
            figures=figures,
            evidence=evidence(work.run, source) + evidence_of(ProductionRecord, work.sample),
        )


def floor_unknown(rule, context):
    """The missing-data findings of a rule judging pay against the floor (module docstring):
    partner work in a trade without a benchmark, no pay policy in force, work not yet paid."""
    unbenchmarked = defaultdict(list)
    for work in paid_work(context):
        if work.floor is None and work.trade is not None:
            unbenchmarked[(work.trade, work.region)].append(work)
    for (trade, region), works in sorted(
        unbenchmarked.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))
    ):
        runs = sorted({work.run.pk for work in works})
        records = sorted(pk for work in works for pk in work.sample)
        hours = sum((work.hours for work in works), Decimal(0))
        yield rule.missing(
            context,
            start=min(work.run.period_start for work in works),
            end=max(work.run.period_end for work in works),
            detail=_(
                "No market wage benchmark for %(trade)s in the %(region)s region: %(hours)s hours "
                "of partner work in it cannot be judged against the market wage."
            )
            % {"trade": trade.name, "region": region.name, "hours": format_number(hours)},
            figures={"trade": trade.slug, "region": region.slug, "hours": hours},
            evidence=evidence_of(PayRun, runs) + evidence_of(ProductionRecord, records),
        )
    if context.scope.kind != "partner":
        for first, last, policy in context.segments(PayPolicy):
            if policy is None:
                yield rule.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "No pay policy was in force from %(start)s to %(end)s: the floor of the "
                        "administration's own work is unknown."
                    )
                    % {"start": format_day(first), "end": format_day(last)},
                )
    unpaid = unpaid_records(context)
    if unpaid.count:
        yield rule.missing(
            context,
            severity=MINOR,
            start=unpaid.first,
            end=unpaid.last,
            detail=_(
                "%(count)s production records in scope from %(start)s to %(end)s are not in any "
                "posted pay run yet: their pay cannot be judged."
            )
            % {
                "count": unpaid.count,
                "start": format_day(unpaid.first),
                "end": format_day(unpaid.last),
            },
            figures={"records": unpaid.count},
            evidence=evidence_of(ProductionRecord, unpaid.sample),
        )
