"""EARNINGS_SPLIT: earnings are split so that part is spent, part saved for release, and part
may go to the family (Mandela Rule 103.2–3).

The release savings fund is the deduction category whose ``use`` is ``release_savings``, the
family share the one whose ``use`` is ``family`` (never recognised by their codes).

Reads each **posted** pay run line in scope with gross pay (``compliance.rules.posted_pay``) and
the pay policies of those runs and in force over the period. Findings (major):

- a line that credits no own spending (``own_spending`` of zero) or nothing to the release
  savings fund (one finding per line, naming what is missing; a cent is enough);
- a pay policy that offers no family share: no allocation to the family category with a
  percentage or a floor above zero.

Missing data (major): no category is the release savings' or the family's (the split cannot be
judged), or a part of the period with no pay policy in force.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import evidence
from compliance.rules.posted_pay import paid_lines
from core.formatting import format_day, format_money
from wages.models import PayAllocation, PayPolicy
from wages.payruns.amounts import ZERO, cents
from workshops.models import DeductionCategory

Use = DeductionCategory.Use


@register
class EarningsSplit(Rule):
    code = "EARNINGS_SPLIT"
    title = gettext_lazy(
        "Earnings credit own spending and release savings, and offer a family share"
    )
    source = "Mandela Rule 103"
    severity = MAJOR

    def check(self, context):
        categories = {
            category.use: category
            for category in DeductionCategory.objects.filter(
                use__in=(Use.FAMILY, Use.RELEASE_SAVINGS)
            )
        }
        for use, words in (
            (Use.RELEASE_SAVINGS, _("the release savings fund")),
            (Use.FAMILY, _("the family share")),
        ):
            if use not in categories:
                yield self.missing(
                    context,
                    detail=_(
                        "No deduction category is used as %(what)s: whether pay is split into "
                        "it cannot be judged."
                    )
                    % {"what": words},
                )
        savings, family = categories.get(Use.RELEASE_SAVINGS), categories.get(Use.FAMILY)
        lines = paid_lines(context)
        if savings is not None:
            for line in lines:
                yield from self._line(context, line, savings)
        segments = context.segments(PayPolicy)
        if family is not None:
            policies = {line.run.policy for line in lines if line.run.policy} | {
                policy for _first, _last, policy in segments if policy
            }
            yield from self._family(context, family, policies)
        for first, last, policy in segments:
            if policy is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "No pay policy was in force from %(start)s to %(end)s: whether it "
                        "offers a family share is unknown."
                    )
                    % {"start": format_day(first), "end": format_day(last)},
                )

    def _line(self, context, line, savings):
        run, currency = line.run, line.run.currency
        own = cents(line.own_spending, currency)
        saved = cents(Decimal(line.deductions.get(savings.code, ZERO)), currency)
        lacking = []
        if own <= 0:
            lacking.append(_("no own spending"))
        if saved <= 0:
            lacking.append(_("nothing to %(fund)s") % {"fund": savings.name})
        if not lacking:
            return
        gross = cents(line.gross, currency)
        yield self.finding(
            context,
            worker=line.worker,
            start=run.period_start,
            end=run.period_end,
            detail=_("pay run %(run)s credited %(lacking)s out of gross pay %(gross)s")
            % {
                "run": run.reference,
                "lacking": _(" and ").join(lacking),
                "gross": format_money(Money(gross, currency)),
            },
            figures={
                "run": run.reference,
                "gross": gross,
                "own_spending": own,
                "release_savings": saved,
            },
            evidence=evidence(run),
        )

    def _family(self, context, family, policies):
        offered = set(
            PayAllocation.objects.filter(policy__in=[p.pk for p in policies], category=family)
            .exclude(percentage=0, floor__isnull=True)
            .exclude(percentage=0, floor=0)
            .values_list("policy_id", flat=True)
        )
        for policy in sorted(policies, key=lambda p: p.effective_from):
            if policy.pk in offered:
                continue
            yield self.finding(
                context,
                detail=_("pay policy from %(from)s offers no share for %(family)s")
                % {"from": format_day(policy.effective_from), "family": family.name},
                figures={"policy_from": policy.effective_from},
                evidence=evidence(policy),
            )
