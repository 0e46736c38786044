"""Work a released worker did that no posted pay run has paid yet: the **final pay**, which must
be paid before the balances are paid out (a payout before it would leave the last weeks' wages
to land in accounts already emptied).

A record (or training session) is unpaid when no posted run's final lock holds it, it is not
legacy history, and it is dated on or after the first day of its prison's earliest posted run:
records before that are history no run pays (``wages.payruns.records``, "Which records"). An
adjustment of a paid record is unpaid until a posted run settles it.

**How the final pay is made.** Runs of one prison never overlap (``create_pay_run``), and a run
pays every record of its prison in its period and the late ones before it, whoever did them,
released or not. So the final pay is an ordinary run of the worker's prison: the open run whose
period covers the release date picks the worker up when it is calculated; where there is none,
finance creates the prison's next run, ending on the release day (a part-period, which
``create_pay_run`` allows) or later. No worker-scoped run is needed, and none exists.

    unpaid_work(worker) -> list[Unpaid]     by prison: counts, days, hours, and the run to post
    refresh_status(settlement) -> str       waiting / ready (paid stays paid), saved when changed
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum

from wages.models import PayRun, ReleaseSettlement
from workshops.models import Prison, ProductionAdjustment, ProductionRecord, TrainingAttendance

OPEN = (PayRun.Status.DRAFT, PayRun.Status.CALCULATED, PayRun.Status.APPROVED)


@dataclass
class Unpaid:
    prison: Prison
    records: int
    sessions: int
    adjustments: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    hours: Decimal
    open_run: PayRun | None  # the prison's open run covering the last unpaid day, if any


def _history_cutoff(prison_field: str) -> Q:
    """Rows dated on or after their prison's first posted run (or any day where none is)."""
    firsts = dict(
        PayRun.objects.filter(status=PayRun.Status.POSTED)
        .values_list("prison_id")
        .annotate(first=Min("period_start"))
    )
    condition = ~Q(**{f"{prison_field}__in": list(firsts)})
    for prison_id, first in firsts.items():
        condition |= Q(**{prison_field: prison_id, "day__gte": first})
    return condition


def _by_prison(rows, *, hours: bool) -> dict:
    aggregates = {"n": Count("pk"), "first": Min("day"), "last": Max("day")}
    if hours:
        aggregates["hours"] = Sum("hours")
    return {
        row["workshop__prison"]: row
        for row in rows.values("workshop__prison").annotate(**aggregates)
    }


def unpaid_work(worker) -> list[Unpaid]:
    """What ``worker`` did that no posted run paid, by prison (module docstring)."""
    cutoff = _history_cutoff("workshop__prison")
    records = ProductionRecord.objects.filter(
        cutoff, worker=worker, legacy=False, locked__lock__finalised_at__isnull=True
    )
    sessions = TrainingAttendance.objects.filter(cutoff, enrolment__worker=worker).filter(
        Q(lock__isnull=True) | Q(lock__finalised_at__isnull=True)
    )
    adjustments = ProductionAdjustment.objects.filter(record__worker=worker, settled_by="")
    found_records = _by_prison(records, hours=True)
    found_sessions = _by_prison(sessions, hours=True)
    found_adjustments = dict(
        adjustments.values_list("record__workshop__prison").annotate(n=Count("pk"))
    )
    prisons = set(found_records) | set(found_sessions) | set(found_adjustments)
    unpaid = []
    for prison in Prison.objects.filter(pk__in=prisons).order_by("name"):
        rows = [row for row in (found_records.get(prison.pk), found_sessions.get(prison.pk)) if row]
        first = min((row["first"] for row in rows), default=None)
        last = max((row["last"] for row in rows), default=None)
        covering = PayRun.objects.filter(prison=prison, status__in=OPEN)
        if last is not None:
            covering = covering.filter(period_start__lte=last, period_end__gte=last)
        unpaid.append(
            Unpaid(
                prison=prison,
                records=found_records.get(prison.pk, {}).get("n", 0),
                sessions=found_sessions.get(prison.pk, {}).get("n", 0),
                adjustments=found_adjustments.get(prison.pk, 0),
                first_day=first,
                last_day=last,
                hours=sum((row["hours"] or Decimal(0) for row in rows), Decimal(0)),
                open_run=covering.order_by("period_start").first(),
            )
        )
    return unpaid


def refresh_status(settlement: ReleaseSettlement) -> str:
    """Waiting while ``unpaid_work`` finds anything, else ready; a paid settlement stays paid."""
    if settlement.is_paid:
        return settlement.status
    status = (
        ReleaseSettlement.Status.WAITING
        if unpaid_work(settlement.worker)
        else ReleaseSettlement.Status.READY
    )
    if status != settlement.status:
        settlement.status = status
        settlement.save(update_fields=["status"])
    return status
