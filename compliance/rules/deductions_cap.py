"""DEDUCTIONS_CAP: deductions stay within the cap, and only for the categories agreed (PIECP,
18 USC 1761(c); ILO C029).

Reads each **posted** pay run line in scope with gross pay (``compliance.rules.posted_pay``),
its run's pay policy and allocations, and the workers' work consents. A finding (major) for a
line whose deductions together exceed the policy's ``deductions_cap`` % of gross (exactly at the
cap is within it), and one for a line that deducts for a category the policy does not allocate,
or, when the line pays partner work, that the worker's work consent for that partner does not
list (a consent signed on or before the run's last day). Own spending is what the deductions
leave, not a deduction.

Missing data: a part of the period with no pay policy in force, and a posted run with no policy
(major: the cap and the allowed categories are unknown).
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import evidence, evidence_of
from compliance.rules.posted_pay import HUNDRED, paid_lines, percent
from core.formatting import format_day, format_money
from wages.models import PayAllocation, PayPolicy
from wages.payruns.amounts import ZERO, cents
from workshops.models import Consent, DeductionCategory, Partner

PERCENT_PLACES = Decimal("0.01")


@register
class DeductionsCap(Rule):
    code = "DEDUCTIONS_CAP"
    title = gettext_lazy("Deductions within the cap, for agreed categories only")
    source = "PIECP 18 USC 1761(c)"
    severity = MAJOR

    def check(self, context):
        lines = paid_lines(context)
        allocated = defaultdict(set)
        for policy_id, code in PayAllocation.objects.filter(
            policy_id__in={line.run.policy_id for line in lines}
        ).values_list("policy_id", "category__code"):
            allocated[policy_id].add(code)
        consents = self._consents(context, lines)
        names = dict(DeductionCategory.objects.values_list("code", "name"))
        partners = Partner.objects.in_bulk(
            {int(payer.split(":")[1]) for line in lines for payer in line.payers if ":" in payer}
        )
        for line in lines:
            run = line.run
            if run.policy is None:
                yield self.missing(
                    context,
                    start=run.period_start,
                    end=run.period_end,
                    detail=_("Pay run %(run)s names no pay policy: its cap is unknown.")
                    % {"run": run.reference},
                    evidence=evidence(run),
                )
                continue
            yield from self._over_cap(context, line)
            deducted = sorted(code for code, amount in line.deductions.items() if Decimal(amount))
            unlisted = [code for code in deducted if code not in allocated[run.policy_id]]
            if unlisted:
                yield self._unlisted(
                    context,
                    line,
                    unlisted,
                    names,
                    _("which the pay policy from %(policy)s does not allocate")
                    % {"policy": format_day(run.policy.effective_from)},
                    evidence(run, run.policy),
                )
            for payer in sorted(line.payers):
                if not payer.startswith("partner:"):
                    continue
                partner = partners.get(int(payer.split(":")[1]))
                agreed = consents.get((line.worker_id, partner.pk), None)
                unagreed = [
                    code for code in deducted if code not in (agreed or {}).get("codes", ())
                ]
                if unagreed:
                    cited = evidence(run) + (
                        evidence_of(Consent, agreed["consents"]) if agreed else ()
                    )
                    yield self._unlisted(
                        context,
                        line,
                        unagreed,
                        names,
                        _("which the worker's work consent for %(partner)s does not list")
                        % {"partner": partner},
                        cited,
                    )
        for first, last, policy in context.segments(PayPolicy):
            if policy is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "No pay policy was in force from %(start)s to %(end)s: the cap on "
                        "deductions is unknown."
                    )
                    % {"start": format_day(first), "end": format_day(last)},
                )

    @staticmethod
    def _consents(context, lines) -> dict:
        """(worker id, partner id) → the categories the worker's work consents list, and those
        consents (signed by the last day of the latest run)."""
        if not lines:
            return {}
        last = max(line.run.period_end for line in lines)
        found = defaultdict(lambda: {"codes": set(), "consents": set()})
        rows = Consent.objects.filter(
            kind=Consent.Kind.WORK,
            signed_on__lte=last,
            worker_id__in={line.worker_id for line in lines},
        ).values_list("worker_id", "partner_id", "pk", "deduction_categories__code")
        for worker_id, partner_id, pk, code in rows:
            entry = found[(worker_id, partner_id)]
            entry["consents"].add(pk)
            if code:
                entry["codes"].add(code)
        return found

    def _over_cap(self, context, line):
        run, currency = line.run, line.run.currency
        total = cents(sum((Decimal(a) for a in line.deductions.values()), ZERO), currency)
        gross = cents(line.gross, currency)
        cap = run.policy.deductions_cap
        if total * HUNDRED <= gross * cap:
            return
        share = (total * HUNDRED / gross).quantize(PERCENT_PLACES)
        yield self.finding(
            context,
            worker=line.worker,
            start=run.period_start,
            end=run.period_end,
            detail=_(
                "deductions %(total)s are %(share)s of gross pay %(gross)s in pay run %(run)s, "
                "above the cap of %(cap)s"
            )
            % {
                "total": format_money(Money(total, currency)),
                "share": percent(share),
                "gross": format_money(Money(gross, currency)),
                "run": run.reference,
                "cap": percent(cap),
            },
            figures={
                "run": run.reference,
                "gross": gross,
                "deductions": total,
                "share": share,
                "cap": cap,
            },
            evidence=evidence(run, run.policy),
        )

    def _unlisted(self, context, line, codes, names, reason, cited):
        run, currency = line.run, line.run.currency
        amounts = {code: cents(Decimal(line.deductions[code]), currency) for code in codes}
        listed = ", ".join(
            _("%(category)s %(amount)s")
            % {
                "category": names.get(code, code),
                "amount": format_money(Money(amounts[code], currency)),
            }
            for code in codes
        )
        return self.finding(
            context,
            worker=line.worker,
            start=run.period_start,
            end=run.period_end,
            detail=_("pay run %(run)s deducted %(listed)s, %(reason)s")
            % {"run": run.reference, "listed": listed, "reason": reason},
            figures={
                "run": run.reference,
                "categories": ", ".join(codes),
                "amounts": ", ".join(str(amounts[code]) for code in codes),
            },
            evidence=cited,
        )
