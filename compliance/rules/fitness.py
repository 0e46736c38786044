"""FITNESS: a medical fitness clearance is in force on every day a worker works, from the first
shift on (Mandela Rule 96: work only for those found fit by a doctor).

Reads the production records in scope (``Scope.production``) on the days the working-time policy
in force requires a clearance (``fitness_clearance_required``), and each worker's
``FitnessClearance``: one is in force on a day when ``cleared_on`` ≤ the day and ``valid_until`` is
empty or ≥ the day. Training alone is not work here. Legacy records (``legacy=True``, history
from before the prison used Bridgework, imported without the consent and fitness checks) are
skipped: no clearance was recorded then.

Finds, per worker, the shifts worked without a clearance in force, ``major``: the days before any
clearance (from the first shift in scope) as one finding, and the days after a clearance lapsed
as one finding per lapsed clearance (the detail names when it lapsed). Evidence: the shifts'
production records, and the lapsed clearance. Parts of the period without a working-time policy
in force are a missing-data finding (``major``): whether a clearance is required is not known.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import MAX_EVIDENCE, evidence_of
from compliance.rules.occupied_time import missing_policy, policies
from core.formatting import format_day
from workshops.models import FitnessClearance, ProductionRecord


def days_requiring(context) -> Q:
    """The days of the period whose working-time policy requires a clearance, as day ranges
    (policies change rarely: a condition on the day, not a policy lookup per record)."""
    required = Q(pk__in=[])
    for first, last, policy in policies(context):
        if policy is not None and policy.fitness_clearance_required:
            required |= Q(day__range=(first, last))
    return required


@register
class Fitness(Rule):
    code = "FITNESS"
    title = gettext_lazy("Medical fitness clearance before work")
    source = "Mandela Rule 96"
    severity = MAJOR

    def check(self, context):
        yield from missing_policy(self, context)
        of_worker = FitnessClearance.objects.filter(worker=OuterRef("worker"))
        in_force = of_worker.filter(cleared_on__lte=OuterRef("day")).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("day"))
        )
        lapsed = of_worker.filter(valid_until__lt=OuterRef("day")).order_by("-valid_until", "-pk")
        shifts = (
            context.scope.production(context.start, context.end)
            .filter(legacy=False)
            .filter(days_requiring(context))
            .filter(~Exists(in_force))
            .annotate(
                lapsed=Subquery(lapsed.values("pk")[:1]),
                lapsed_on=Subquery(lapsed.values("valid_until")[:1]),
            )
            .order_by("worker__reference", "day", "pk")
            .values_list("pk", "worker__reference", "day", "lapsed", "lapsed_on")
        )
        groups = {}
        for pk, reference, day, clearance, lapsed_on in shifts:
            groups.setdefault((reference, clearance, lapsed_on), []).append((day, pk))
        for (reference, clearance, lapsed_on), worked in groups.items():
            yield self._finding(context, reference, clearance, lapsed_on, worked)

    def _finding(self, context, reference, clearance, lapsed_on, worked):
        days = sorted({day for day, _pk in worked})
        values = {
            "shifts": len(worked),
            "days": len(days),
            "first": format_day(days[0]),
            "last": format_day(days[-1]),
        }
        if clearance is None:
            detail = _(
                "No fitness clearance in force on the first shift, %(first)s: worked without "
                "one from %(first)s to %(last)s (days: %(days)s, records: %(shifts)s)."
            )
        else:
            values["lapsed"] = format_day(lapsed_on)
            detail = _(
                "The fitness clearance lapsed on %(lapsed)s: worked after it from %(first)s to "
                "%(last)s (days: %(days)s, records: %(shifts)s)."
            )
        cited = evidence_of(ProductionRecord, [pk for _day, pk in worked], limit=MAX_EVIDENCE - 1)
        if clearance is not None:
            cited += evidence_of(FitnessClearance, [clearance])
        return self.finding(
            context,
            worker=reference,
            start=days[0],
            end=days[-1],
            detail=detail % values,
            evidence=cited,
            figures={
                "days_worked": len(days),
                "shifts": len(worked),
                "first_day": days[0],
                "last_day": days[-1],
                "lapsed_on": lapsed_on,
            },
        )
