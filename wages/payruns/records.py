"""Which production records and training sessions a pay run pays: the one rule, stated in
``wages.payruns.calculation`` ("Which records") and the README."""

import datetime

from django.db.models import Q

from wages.models import PayRun
from workshops.models import (
    ProductionLock,
    ProductionRecord,
    TrainingAttendance,
    Workshop,
)


def _due(run: PayRun) -> tuple[Q, Q]:
    """Which rows the rule gives ``run`` (module docstring, "Which records"), whoever holds
    them: those of its period, and the late ones; both within its prison."""
    in_period = Q(day__gte=run.period_start, day__lte=run.period_end)
    late_from = first_paid_day(run)
    if late_from is None:
        late = Q(pk__in=[])
    else:
        late = Q(day__gte=late_from, day__lt=run.period_start)
        waiting = (
            PayRun.objects.filter(
                prison_id=run.prison_id,
                period_end__gte=late_from,
                period_start__lt=run.period_start,
                status__in=(
                    PayRun.Status.DRAFT,
                    PayRun.Status.CALCULATED,
                    PayRun.Status.APPROVED,
                ),
            )
            .exclude(pk=run.pk)
            .values_list("period_start", "period_end")
        )
        for start, end in waiting:  # the open runs before this one: a few at most
            late &= ~Q(day__gte=start, day__lte=end)
    prison = Q(workshop_id__in=Workshop.objects.filter(prison_id=run.prison_id).values("pk"))
    return in_period & prison, late & prison


def records_to_pay(run: PayRun):
    """The production records ``run`` pays, by the one rule: its prison's records, never legacy
    ones, dated in its period, or before its period (late records) on or after the first day of
    the prison's earliest posted run and not in the period of another of the prison's runs that
    is neither posted nor cancelled; except those a posted run paid. A record of these that
    another run holds and has not posted refuses the calculation, naming that run
    (``lock_production``): post or cancel that run first."""
    in_period, late = _due(run)
    # Only the records' own columns, subqueries and their lock, so locking them is one plain
    # INSERT ... SELECT.
    return ProductionRecord.objects.filter(
        in_period | late, locked__lock__finalised_at__isnull=True, legacy=False
    )


def attendance_to_pay(run: PayRun):
    """The training attendance ``run`` pays, by the rule of its records, so attendance recorded
    after its period was paid is paid late, once; a session another run holds is left to it."""
    locks = ProductionLock.objects.held_by(run.reference)
    in_period, late = _due(run)
    free = Q(lock__isnull=True)
    return TrainingAttendance.objects.filter(
        (in_period & (free | Q(lock__in=locks.values("pk")))) | (late & free)
    )


def locked_records(run: PayRun):
    """The records ``run`` has locked: what it pays."""
    locks = ProductionLock.objects.held_by(run.reference)
    return ProductionRecord.objects.filter(locked__lock__in=locks.values("pk"))


def first_paid_day(run: PayRun) -> datetime.date | None:
    """The first day of the prison's earliest posted run, when it is before ``run``'s period:
    where late records begin."""
    first = (
        PayRun.objects.filter(prison_id=run.prison_id, status=PayRun.Status.POSTED)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return first if first is not None and first < run.period_start else None
