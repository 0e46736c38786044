"""What waits for someone in the work programme: the queries behind the back office's home
panels. Each returns the records themselves, so a panel can count them and link to each.

- ``days_without_production``: days of the past week on which a workshop had workers assigned
  but nothing was recorded (Sundays, the demo country's rest day, aside);
- ``open_follow_ups``: safety incidents not followed up yet;
- ``stock_to_count``: workshops holding stock that has not been counted for ``COUNT_EVERY`` days;
- ``ready_for_certificate``: open enrolments with the course's hours attended and a passed
  assessment, and no certificate in force;
- ``consents_withdrawn``: work consents withdrawn while the worker is still assigned to a
  workshop under that partner's contract, with the last day of the notice period;
- ``clearances_missing``: workers assigned today without a fitness clearance in force, or with
  one that ends within ``CLEARANCE_WARNING`` days.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery

from workshops.models import (
    Assignment,
    Consent,
    Contract,
    FitnessClearance,
    ProductionRecord,
    SafetyIncident,
    Stock,
    StockMovement,
    Worker,
    WorkingTimePolicy,
)
from workshops.training.progress import ready_for_certificate  # noqa: F401 - a waiting list
from workshops.working_time import WEEKLY_REST_DAY

PAST_DAYS = 7
COUNT_EVERY = datetime.timedelta(days=90)
CLEARANCE_WARNING = datetime.timedelta(days=30)


def assigned_on(day: datetime.date):
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def days_without_production(workshops, today: datetime.date) -> list[tuple]:
    """``(workshop, day)`` pairs, the latest day first."""
    days = [today - datetime.timedelta(days=n) for n in range(1, PAST_DAYS + 1)]
    days = [day for day in days if day.weekday() != WEEKLY_REST_DAY]
    workshops = list(workshops.order_by("name"))
    recorded = set(
        ProductionRecord.objects.filter(workshop__in=workshops, day__in=days).values_list(
            "workshop_id", "day"
        )
    )
    assignments = Assignment.objects.filter(
        workshop__in=workshops, start__lte=days[0] if days else today
    ).filter(Q(end__isnull=True) | Q(end__gte=days[-1] if days else today))
    staffed = set()
    for assignment in assignments.only("workshop_id", "start", "end"):
        for day in days:
            if assignment.start <= day and (assignment.end is None or assignment.end >= day):
                staffed.add((assignment.workshop_id, day))
    return [
        (workshop, day)
        for day in days
        for workshop in workshops
        if (workshop.pk, day) in staffed and (workshop.pk, day) not in recorded
    ]


def open_follow_ups(workshops):
    return (
        SafetyIncident.objects.filter(workshop__in=workshops, followed_up_on__isnull=True)
        .select_related("workshop")
        .order_by("occurred_on", "pk")
    )


def stock_to_count(workshops, today: datetime.date) -> list:
    """The workshops with stock on hand not counted since ``COUNT_EVERY`` ago, each with the day
    of its oldest last count (None: never counted)."""
    since = today - COUNT_EVERY
    counted = StockMovement.objects.filter(
        stock=OuterRef("pk"), kind=StockMovement.Kind.COUNTED
    ).order_by("-at")
    stale = (
        Stock.objects.filter(sku__workshop__in=workshops, on_hand__gt=0)
        .annotate(last_counted=Subquery(counted.values("at")[:1]))
        .filter(Q(last_counted__isnull=True) | Q(last_counted__date__lt=since))
        .select_related("sku__workshop")
        .order_by("sku__workshop__name", "sku__code")
    )
    oldest = {}
    for stock in stale:
        workshop = stock.sku.workshop
        day = stock.last_counted.date() if stock.last_counted else None
        if workshop not in oldest or (day is None or (oldest[workshop] and day < oldest[workshop])):
            oldest[workshop] = day
    return list(oldest.items())


def consents_withdrawn(today: datetime.date):
    """Each with ``notice_ends``: the last day partner work may still be recorded (the day before
    the withdrawal plus the notice period; see ``production.checks``), past or to come."""
    policy = WorkingTimePolicy.objects.filter(effective_from__lte=today).order_by("-effective_from")
    notice = policy.values_list("consent_notice_days", flat=True).first() or 0
    contracted = Contract.objects.filter(
        assigned_on(today), partner=OuterRef(OuterRef("partner")), workshop=OuterRef("workshop")
    )
    still_assigned = Assignment.objects.filter(
        assigned_on(today), Exists(contracted), worker=OuterRef("worker")
    )
    renewed = Consent.objects.filter(
        kind=Consent.Kind.WORK,
        worker=OuterRef("worker"),
        partner=OuterRef("partner"),
        signed_on__gte=OuterRef("withdrawn_on"),
        withdrawn_on__isnull=True,
    )
    consents = (
        Consent.objects.filter(kind=Consent.Kind.WORK, withdrawn_on__lte=today)
        .filter(Exists(still_assigned), ~Exists(renewed))
        .select_related("worker", "partner")
        .order_by("withdrawn_on", "pk")
    )
    consents = list(consents)
    for consent in consents:
        consent.notice_ends = consent.withdrawn_on + datetime.timedelta(days=notice - 1)
    return consents


def clearances_missing(today: datetime.date):
    """Workers assigned today, each with ``clearance_ends``: None without a clearance in force,
    else the day it ends (within ``CLEARANCE_WARNING``)."""
    in_force = FitnessClearance.objects.filter(worker=OuterRef("pk"), cleared_on__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    lasting = in_force.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=today + CLEARANCE_WARNING)
    )
    workers = (
        Worker.objects.filter(
            Exists(Assignment.objects.filter(assigned_on(today), worker=OuterRef("pk")))
        )
        .filter(~Exists(lasting))
        .annotate(
            clearance_ends=Subquery(in_force.order_by("-valid_until").values("valid_until")[:1])
        )
        .order_by("reference")
    )
    return list(workers)
