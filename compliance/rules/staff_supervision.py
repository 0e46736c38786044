"""STAFF_SUPERVISION: every shift for a partner names a member of prison staff assigned to
supervise that workshop on that day (Mandela Rule 100.1: work for a partner is under the prison's
supervision, never the partner's alone).

Reads the production records in scope that are partner work: a partner's contract was in force in
the record's workshop on its day (``Scope.production``; in a workshop or prison scope, any
partner's contract, ``partner_contract_on_day``). The record's ``supervisor`` must have a
``WorkshopSupervisor`` assignment to that workshop with ``start`` ≤ the day ≤ ``end`` (or no end).
The administration's own work is not checked.

Finds, ``major``, one finding per supervisor and workshop whose partner shifts were recorded by
that supervisor while not assigned there: the number of shifts and workers, the first and last
day (the finding's start and end); the worker is named when all the shifts are one worker's.
Legacy records (history from before Bridgework) may name no supervisor: for partner work that is
a missing-data finding per workshop (``major``), since the supervision cannot be shown. Evidence:
the records. This rule reads no policy, so a period without a working-time policy is not its
finding.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import evidence_of
from core.formatting import format_day
from workshops.models import Contract, ProductionRecord, WorkshopSupervisor


def on_the_day(queryset):
    """``queryset`` (of rows with ``start``/``end``) in force on the outer row's day."""
    return queryset.filter(start__lte=OuterRef("day")).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("day"))
    )


@register
class StaffSupervision(Rule):
    code = "STAFF_SUPERVISION"
    title = gettext_lazy("Partner work supervised by prison staff")
    source = "Mandela Rule 100.1"
    severity = MAJOR

    def check(self, context):
        contracts = on_the_day(Contract.objects.filter(workshop=OuterRef("workshop")))
        if context.scope.kind == "partner":
            contracts = contracts.filter(partner=context.scope.target)
        assigned = on_the_day(
            WorkshopSupervisor.objects.filter(
                workshop=OuterRef("workshop"), user=OuterRef("supervisor")
            )
        )
        records = context.scope.production(context.start, context.end)
        if context.scope.kind != "partner":  # a partner's records are its contracts' days
            records = records.filter(Exists(contracts))
        rows = (
            # No supervisor matches no assignment: NOT EXISTS alone, which PostgreSQL runs as
            # one anti-join (an OR with "supervisor IS NULL" made it a subquery per record).
            records.filter(~Exists(assigned))
            .annotate(
                partner=Subquery(contracts.order_by("partner__slug").values("partner__slug")[:1])
            )
            .order_by("supervisor__username", "workshop__slug", "day", "pk")
            .values_list(
                "pk",
                "supervisor__username",
                "workshop__slug",
                "partner",
                "worker__reference",
                "day",
            )
        )
        groups = {}
        for pk, supervisor, workshop, partner, worker, day in rows:
            groups.setdefault((supervisor, workshop), []).append((pk, partner, worker, day))
        for (supervisor, workshop), shifts in sorted(
            groups.items(), key=lambda item: (item[0][0] is not None, item[0])
        ):
            yield self._finding(context, supervisor, workshop, shifts)

    def _finding(self, context, supervisor, workshop, shifts):
        days = sorted({day for _pk, _partner, _worker, day in shifts})
        workers = sorted({worker for _pk, _partner, worker, _day in shifts})
        partners = sorted({partner for _pk, partner, _worker, _day in shifts})
        values = {
            "shifts": len(shifts),
            "workers": len(workers),
            "workshop": workshop,
            "partners": ", ".join(partners),
            "first": format_day(days[0]),
            "last": format_day(days[-1]),
            "supervisor": supervisor,
        }
        fields = {
            "worker": workers[0] if len(workers) == 1 else None,
            "start": days[0],
            "end": days[-1],
            "evidence": evidence_of(ProductionRecord, [pk for pk, *_rest in shifts]),
            "figures": {
                "shifts": len(shifts),
                "workers": len(workers),
                "workshop": workshop,
                "partners": ", ".join(partners),
                "supervisor": supervisor or "",
                "first_day": days[0],
                "last_day": days[-1],
            },
        }
        if supervisor is None:
            return self.missing(
                context,
                detail=_(
                    "Legacy shifts for %(partners)s in %(workshop)s from %(first)s to %(last)s "
                    "name no supervisor (shifts: %(shifts)s, workers: %(workers)s): the prison "
                    "staff's supervision cannot be shown."
                )
                % values,
                **fields,
            )
        return self.finding(
            context,
            detail=_(
                "Shifts for %(partners)s in %(workshop)s from %(first)s to %(last)s name "
                "%(supervisor)s as supervisor, who was not assigned to supervise %(workshop)s on "
                "those days (shifts: %(shifts)s, workers: %(workers)s)."
            )
            % values,
            **fields,
        )
