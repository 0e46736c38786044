"""The demo's pay runs: every month of production but the last is paid, by two finance officers
(one calculates, the other approves and posts); in the last month, one prison's run is calculated
and waits for the second officer, and the other prisons' runs are still to be made. After the
first month is posted, a supervisor corrects one of its time-only records, so the next run pays
the difference as an adjustment. After the month before the last is posted, a supervisor in the
waiting prison records one of its training sessions late, so the waiting run pays it with a
late-training warning."""

import calendar
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from wages.models import PayRun
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run
from workshops.models import Prison, ProductionAdjustment, ProductionRecord, TrainingAttendance
from workshops.production import adjust_production
from workshops.training.attendance import record_attendance

WAITING_PRISON = "ain-zahra"  # its last month is calculated, awaiting approval
CORRECTION = "The afternoon's half hour was left off the day's sheet"
LATE_SESSION = "Sheet of an extra session handed in after the month was paid"


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        yield month, end
        month = end + datetime.timedelta(days=1)


def seed_pay_runs() -> dict:
    users = get_user_model().objects
    calculator, approver = users.get(username="finance"), users.get(username="finance2")
    span = ProductionRecord.objects.filter(legacy=False).aggregate(
        first=Min("day"), last=Max("day")
    )
    if span["first"] is None:
        return {"pay runs": 0}
    months = list(_months(span["first"], span["last"]))
    for index, (start, end) in enumerate(months):
        last_month = index == len(months) - 1
        for prison in Prison.objects.order_by("slug"):
            if last_month and prison.slug != WAITING_PRISON:
                continue
            run = (
                PayRun.objects.filter(prison=prison, period_start=start)
                .exclude(status=PayRun.Status.CANCELLED)
                .first()
            )
            if run is None:
                run = create_pay_run(
                    prison=prison, period_start=start, period_end=end, user=calculator
                )
            if run.status == PayRun.Status.DRAFT:
                run = calculate_pay_run(run, user=calculator)
            if last_month:
                continue
            if run.status == PayRun.Status.CALCULATED:
                run = approve_pay_run(run, user=approver)
            if run.status == PayRun.Status.APPROVED:
                run = post_pay_run(run, user=calculator)
        if index == 0:
            _correct_a_paid_record(start, end)
        if index == len(months) - 2:  # the waiting run, calculated next, pays it
            _record_a_session_late(start, end)
    return {"pay runs": PayRun.objects.count()}


def _record_a_session_late(start, end) -> None:
    """A supervisor of the waiting prison records, once, a session held the day after (or before)
    one that a posted run paid."""
    if TrainingAttendance.objects.filter(note=LATE_SESSION).exists():
        return
    paid = (
        TrainingAttendance.objects.filter(
            day__range=(start, end), lock__isnull=False, workshop__prison__slug=WAITING_PRISON
        )
        .select_related("enrolment", "workshop")
        .order_by("day", "pk")
    )
    candidates = (
        (session, session.day + datetime.timedelta(days=shift))
        for session in paid[:20]
        for shift in (1, -1)  # the Saturday after a Friday session, or the Thursday before
    )
    for session, day in candidates:
        if not start <= day <= end:
            continue
        supervisor = session.workshop.supervisors.order_by("pk").first()
        try:
            with transaction.atomic():
                late = record_attendance(
                    enrolment=session.enrolment,
                    workshop=session.workshop,
                    day=day,
                    hours="1.5",
                    trainer=session.trainer,
                    note=LATE_SESSION,
                    user=supervisor.user,
                )
                if late.breaches:  # the demo's training keeps within the working-time limits
                    raise ValidationError(late.breaches)
        except ValidationError:
            continue  # not enrolled, assigned or within the limits that day: the next one
        return


def _correct_a_paid_record(start, end) -> None:
    """A supervisor corrects a record the first month's run paid (once)."""
    if ProductionAdjustment.objects.filter(reason=CORRECTION).exists():
        return
    record = (
        ProductionRecord.objects.filter(
            day__range=(start, end), locked__isnull=False, sku__isnull=True, hours__lte=7
        )
        .select_related("supervisor")
        .order_by("day", "pk")
        .first()
    )
    if record is not None:
        adjust_production(
            record=record,
            hours=record.hours + Decimal("0.50"),
            pieces=record.pieces,
            rejects=record.rejects,
            reason=CORRECTION,
            user=record.supervisor,
        )
