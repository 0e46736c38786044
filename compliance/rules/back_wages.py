"""BACK_WAGES: pay below the floor creates back wages owed to the worker (BJA PIECP policy;
Mandela Rule 103).

Reads the shortfalls WAGE_FLOOR computes from the records each **posted** pay run paid
(``compliance.rules.posted_pay``), and the back wages the run's line owes the worker for each
payer (``PayRunLine.back_wages_by_payer``, which posting credits to the worker's back-wages-owed
account in the ledger). For each worker, run and payer paid below the floor:

- **major** when the back wages owed are less than the shortfall (none, or too little): the
  worker was paid below the floor and nothing makes it good;
- **minor** (information) when they are owed in full: the detail gives the amount owed and how
  much of what that payer owes the worker was still unpaid at the end of the check period
  (owed by posted runs ending by then, less what posted runs have paid out of it; a release
  settlement's payout is not counted), so an auditor sees the debt and whether it is being paid.
  The demo's administration workshop paid below the floor shows here.

Missing data as WAGE_FLOOR's: partner work in a trade without a benchmark, no pay policy in
force (the floor, so the back wages due, is unknown), work no posted run paid yet (minor).
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.evidence import evidence, evidence_of
from compliance.rules.posted_pay import paid_work, posted_lines
from compliance.rules.wage_floor import floor_unknown
from core.formatting import format_day, format_money
from wages.models import Journal, PayRun, PayRunLine
from wages.payruns.amounts import OWN, ZERO, cents
from workshops.models import ProductionRecord


def _money(amount: Decimal, currency: str) -> str:
    return format_money(Money(amount, currency))


@register
class BackWages(Rule):
    code = "BACK_WAGES"
    title = gettext_lazy("Pay below the floor is owed to the worker as back wages")
    source = "BJA PIECP policy; Mandela Rule 103"
    severity = MAJOR

    def check(self, context):
        below = defaultdict(list)  # (run, worker id, payer) → the work paid below the floor
        for work in paid_work(context):
            if work.floor is not None and work.shortfall > 0:
                below[(work.run, work.worker_id, work.payer)].append(work)
        if below:
            owed = self._owed_by_lines({run.pk for run, _worker, _payer in below})
            unpaid = self._unpaid(context)
            journals = dict(
                Journal.objects.filter(
                    key__in={self._journal_key(works[0]) for works in below.values()}
                ).values_list("key", "pk")
            )
            for (run, worker_id, payer), works in below.items():
                yield self._finding(
                    context,
                    works,
                    owed.get((run.pk, worker_id, payer), ZERO),
                    unpaid.get((worker_id, payer), ZERO),
                    journals,
                )
        yield from floor_unknown(self, context)

    @staticmethod
    def _journal_key(work) -> str:
        return f"payrun:{work.run.reference}:{work.worker}"

    @staticmethod
    def _owed_by_lines(run_ids) -> dict:
        """(run id, worker id, payer) → the back wages the posted line owes."""
        owed = {}
        rows = PayRunLine.objects.filter(run_id__in=run_ids).exclude(back_wages_by_payer={})
        for run_id, worker_id, by_payer in rows.values_list(
            "run_id", "worker_id", "back_wages_by_payer"
        ):
            for payer, amount in by_payer.items():
                owed[(run_id, worker_id, payer)] = Decimal(amount)
        return owed

    @staticmethod
    def _unpaid(context) -> dict:
        """(worker id, payer) → back wages owed by posted runs ended by the period's end, less
        those posted runs paid out, for the workers of the lines in scope."""
        left = defaultdict(Decimal)
        rows = (
            PayRunLine.objects.filter(
                run__status=PayRun.Status.POSTED,
                run__period_end__lte=context.end,
                worker_id__in=posted_lines(context).values("worker_id"),
            )
            .exclude(back_wages_by_payer={}, back_wages_paid_by_payer={})
            .values_list("worker_id", "back_wages_by_payer", "back_wages_paid_by_payer")
        )
        for worker_id, earned, paid in rows:
            for payer, amount in earned.items():
                left[(worker_id, payer)] += Decimal(amount)
            for payer, amount in paid.items():
                left[(worker_id, payer)] -= Decimal(amount)
        return left

    def _finding(self, context, works, owed, unpaid, journals):
        first = works[0]
        run, currency = first.run, first.currency
        shortfall = sum((work.shortfall for work in works), ZERO)
        owed = cents(owed, currency)
        unpaid = cents(max(unpaid, ZERO), currency)
        payer = _("the administration") if first.payer == OWN else str(first.partner)
        words = {
            "shortfall": _money(shortfall, currency),
            "owed": _money(owed, currency),
            "run": run.reference,
            "payer": payer,
        }
        figures = {
            "run": run.reference,
            "payer": first.payer,
            "shortfall": shortfall,
            "owed": owed,
        }
        journal = journals.get(self._journal_key(first))
        records = sorted(pk for work in works for pk in work.sample)
        cited = (
            evidence(run)
            + (evidence_of(Journal, [journal]) if journal else ())
            + tuple(item for work in works for item in evidence(work.benchmark))
            + evidence_of(ProductionRecord, records)
        )
        fields = {
            "worker": first.worker,
            "start": run.period_start,
            "end": run.period_end,
            "evidence": cited,
        }
        if owed < shortfall:
            missing = shortfall - owed
            return self.finding(
                context,
                detail=_(
                    "paid %(shortfall)s below the floor in pay run %(run)s for work paid by "
                    "%(payer)s, but only %(owed)s back wages owed to the worker: %(missing)s short"
                )
                % (words | {"missing": _money(missing, currency)}),
                figures=figures | {"missing": missing},
                **fields,
            )
        return self.finding(
            context,
            severity=MINOR,
            detail=_(
                "paid %(shortfall)s below the floor in pay run %(run)s: %(owed)s back wages owed "
                "to the worker by %(payer)s; %(unpaid)s of what %(payer)s owes the worker still "
                "unpaid on %(end)s"
            )
            % (words | {"unpaid": _money(unpaid, currency), "end": format_day(context.end)}),
            figures=figures | {"unpaid": unpaid},
            **fields,
        )
