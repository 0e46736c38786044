"""GRIEVANCES: workers' grievances about a partner or workshop are answered in time (Mandela Rules
56-57: requests and complaints, answered without delay; ILO C029).

Reads the grievances register (``compliance.Grievance``) about the scope (a partner's: those
about the partner or about one of its contract workshops in the period; a workshop's or prison's:
those about its workshops) received up to the period's end, and the compliance thresholds
(``grievance_answer_days``) in force on the day each was received.

- answered in the period more than ``grievance_answer_days`` after it was received → major
  (answered on exactly the last allowed day passes);
- not answered by the period's end and older than ``grievance_answer_days`` then → major
  ("unanswered for 45 days; the limit is 30").

Part of the period with no thresholds in force, or a grievance received when none were, is a
missing-data finding (major, the rule's severity).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.models import ComplianceThresholds, Grievance
from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import evidence_of


def answer_limits(until) -> list[tuple]:
    """The grievance answer times (``grievance_answer_days``) of the thresholds versions in
    force from their day up to ``until``, oldest first: ``[(effective_from, days)]``. One query;
    the dashboard's late grievances read them too (``compliance.assessments.selectors``)."""
    return list(
        ComplianceThresholds.objects.filter(effective_from__lte=until)
        .order_by("effective_from")
        .values_list("effective_from", "grievance_answer_days")
    )


def answer_limit(limits, received) -> int | None:
    """The days allowed to answer a grievance received on ``received``: those of the thresholds
    in force that day, or None when none were."""
    limit = None
    for effective_from, days in limits:
        if effective_from <= received:
            limit = days
    return limit


def days_open(received, answered, as_of) -> int:
    """Days from receipt to the answer, or to ``as_of`` while unanswered; more than the limit is
    late (answered on exactly the last allowed day passes)."""
    return ((answered or as_of) - received).days


def about_scope(context) -> Q:
    scope = context.scope
    workshops = Q(workshop__in=scope.workshops(context.start, context.end).values("pk"))
    if scope.kind == "partner":
        return Q(partner=scope.target) | workshops
    return workshops


@register
class Grievances(Rule):
    code = "GRIEVANCES"
    title = gettext_lazy("Grievances answered in time")
    source = "Mandela Rules 56-57, ILO C029"
    severity = MAJOR

    def check(self, context):
        for first, last, thresholds in context.segments(ComplianceThresholds):
            if thresholds is None:
                yield self.missing(
                    context,
                    start=first,
                    end=last,
                    detail=_(
                        "no compliance thresholds in force from %(first)s to %(last)s: the time "
                        "to answer a grievance is unknown"
                    )
                    % {"first": first.isoformat(), "last": last.isoformat()},
                    figures={"first": first, "last": last},
                )
        limits = answer_limits(context.end)
        grievances = (
            Grievance.objects.filter(about_scope(context), received_on__lte=context.end)
            .filter(
                Q(answered_on__isnull=True)
                | Q(answered_on__gt=context.end)
                | Q(answered_on__gte=context.start)
            )
            .values("id", "worker__reference", "received_on", "answered_on")
            .order_by("received_on", "id")
        )
        for grievance in grievances:
            received = grievance["received_on"]
            limit = answer_limit(limits, received)
            cited = evidence_of(Grievance, [grievance["id"]])
            worker = grievance["worker__reference"]
            answered = grievance["answered_on"]
            if answered is not None and answered > context.end:
                answered = None  # not answered yet at the period's end
            if limit is None:
                yield self.missing(
                    context,
                    worker=worker,
                    start=received,
                    end=answered or context.end,
                    detail=_(
                        "no compliance thresholds in force on %(received)s, when this grievance "
                        "was received: the time to answer it is unknown"
                    )
                    % {"received": received.isoformat()},
                    figures={"received_on": received},
                    evidence=cited,
                )
                continue
            days = days_open(received, answered, context.end)
            if days <= limit:
                continue
            if answered is None:
                detail = _("unanswered for %(days)d days; the limit is %(limit)d")
            else:
                detail = _("answered after %(days)d days; the limit is %(limit)d")
            yield self.finding(
                context,
                worker=worker,
                start=received,
                end=answered or context.end,
                detail=detail % {"days": days, "limit": limit},
                figures={
                    "received_on": received,
                    "answered_on": answered,
                    "days": days,
                    "limit_days": limit,
                },
                evidence=cited,
            )
