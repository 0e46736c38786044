"""VICTIM_FUND_RANGE: where a victims' fund is adopted, its share of gross pay is within the
compliance thresholds' range (PIECP, 18 USC 1761(c): victims' compensation, typically 5–20 %).

The victims' fund is the deduction category whose ``use`` is ``victims_fund`` (held for others,
never credited to the worker), never recognised by its code. It is **adopted** by a pay policy
that allocates to it; PIECP leaves the adoption to the programme, so where no category has that
use, or no policy allocates to it, there is nothing to judge and no finding.

Reads the pay policy versions and the compliance thresholds in force over the period
(``context.segments``), and each **posted** pay run line in scope with gross pay whose run's
policy adopts the fund. Findings (minor):

- a policy whose allocation to the fund is outside ``victims_fund_min``–``victims_fund_max`` of
  the thresholds in force (the bounds themselves are within);
- a line whose deduction for the fund is outside the range of its gross, the bounds rounded
  outward to the cent (the allocation rounds down, so 5 % of 10.01 is 0.50 and within): caps or
  the cap on deductions can cut the share below what the policy says.

Missing data (minor, as the rule): a part of the period where a policy adopting the fund was in
force and no thresholds were.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.models import ComplianceThresholds
from compliance.rules.base import MINOR, Rule, register
from compliance.rules.evidence import evidence
from compliance.rules.posted_pay import HUNDRED, paid_lines, percent, version_on
from core.formatting import format_day, format_money
from core.money import minor_unit
from wages.models import PayAllocation, PayPolicy
from wages.payruns.amounts import ZERO, cents
from workshops.models import DeductionCategory

SHARE_PLACES = Decimal("0.01")


@register
class VictimFundRange(Rule):
    code = "VICTIM_FUND_RANGE"
    title = gettext_lazy("Victims' fund share within the range")
    source = "PIECP 18 USC 1761(c)"
    severity = MINOR

    def check(self, context):
        fund = DeductionCategory.objects.filter(use=DeductionCategory.Use.VICTIMS_FUND).first()
        if fund is None:
            return
        thresholds = context.segments(ComplianceThresholds)
        lines = paid_lines(context)
        policies = {line.run.policy_id for line in lines} | {
            policy.pk for _first, _last, policy in context.segments(PayPolicy) if policy
        }
        shares = dict(
            PayAllocation.objects.filter(policy_id__in=policies, category=fund).values_list(
                "policy_id", "percentage"
            )
        )
        yield from self._policies(context, fund, thresholds, shares)
        for line in lines:
            if line.run.policy_id not in shares:
                continue
            version = version_on(thresholds, line.run.period_end)
            if version is not None:
                yield from self._line(context, fund, line, version)

    def _policies(self, context, fund, thresholds, shares):
        for first, last, policy in context.segments(PayPolicy):
            if policy is None or policy.pk not in shares:
                continue
            share = shares[policy.pk]
            for start, end, version in thresholds:
                start, end = max(start, first), min(end, last)
                if start > end:
                    continue
                if version is None:
                    yield self.missing(
                        context,
                        start=start,
                        end=end,
                        detail=_(
                            "No compliance thresholds were in force from %(start)s to %(end)s: "
                            "the range of the victims' fund is unknown."
                        )
                        % {"start": format_day(start), "end": format_day(end)},
                        evidence=evidence(policy),
                    )
                elif not version.victims_fund_min <= share <= version.victims_fund_max:
                    yield self.finding(
                        context,
                        start=start,
                        end=end,
                        detail=_(
                            "pay policy from %(from)s allocates %(share)s of gross pay to "
                            "%(fund)s, outside the range %(min)s to %(max)s"
                        )
                        % {
                            "from": format_day(policy.effective_from),
                            "share": percent(share),
                            "fund": fund.name,
                            "min": percent(version.victims_fund_min),
                            "max": percent(version.victims_fund_max),
                        },
                        figures={
                            "share": share,
                            "min": version.victims_fund_min,
                            "max": version.victims_fund_max,
                        },
                        evidence=evidence(policy, version),
                    )

    def _line(self, context, fund, line, version):
        run, currency = line.run, line.run.currency
        gross = cents(line.gross, currency)
        amount = cents(Decimal(line.deductions.get(fund.code, ZERO)), currency)
        unit = minor_unit(currency)
        low = (gross * version.victims_fund_min / HUNDRED).quantize(unit, rounding=ROUND_FLOOR)
        high = (gross * version.victims_fund_max / HUNDRED).quantize(unit, rounding=ROUND_CEILING)
        if low <= amount <= high:
            return
        share = (amount * HUNDRED / gross).quantize(SHARE_PLACES)
        yield self.finding(
            context,
            worker=line.worker,
            start=run.period_start,
            end=run.period_end,
            detail=_(
                "%(fund)s took %(amount)s, %(share)s of gross pay %(gross)s in pay run %(run)s, "
                "outside the range %(min)s to %(max)s"
            )
            % {
                "fund": fund.name,
                "amount": format_money(Money(amount, currency)),
                "share": percent(share),
                "gross": format_money(Money(gross, currency)),
                "run": run.reference,
                "min": percent(version.victims_fund_min),
                "max": percent(version.victims_fund_max),
            },
            figures={
                "run": run.reference,
                "gross": gross,
                "amount": amount,
                "share": share,
                "min": version.victims_fund_min,
                "max": version.victims_fund_max,
            },
            evidence=evidence(run, run.policy, version),
        )
