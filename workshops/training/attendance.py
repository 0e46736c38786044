"""Recording training attendance, and what a course's certificate will need.

Attendance is time the person is occupied: ``record_attendance`` runs the same working-time check
as production entry (``working_time.assess`` over production and training hours together,
Mandela Rule 102), under the same worker lock, so hours over the limits need a reason in the note
and more than 24 in a day are refused with the same words. Hours are read as the importer reads
them (``parse_hours``): more than two decimals are refused, not rounded. Supervisors record
attendance for the workshops they supervise that day (the same scope as production); the worker
must be assigned there that day and enrolled on the course.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from workshops.access import can_record
from workshops.bounds import ATTENDANCE_HOURS
from workshops.models import (
    Assessment,
    Assignment,
    Enrolment,
    TrainingAttendance,
    WorkingTimePolicy,
    Workshop,
)
from workshops.production.importer import parse_hours
from workshops.training.progress import progress_of
from workshops.working_time import assess, lock_workers, occupied_hours, reach

CENT = Decimal("0.01")


@transaction.atomic
def record_attendance(
    *,
    enrolment: Enrolment,
    workshop: Workshop,
    day: datetime.date,
    hours,
    trainer: str,
    user,
    note: str = "",
    today: datetime.date | None = None,
) -> TrainingAttendance:
    """Record a worker's hours in a training session; refuses (``ValidationError``, nothing
    saved) a future day, a worker not enrolled or not assigned to ``workshop`` that day, a second
    record for the day, hours outside (0, 24] or with more than two decimals, more than 24 hours
    in the day, and hours over the limits without a reason."""
    today = today or timezone.localdate()
    if not can_record(user, workshop, day):
        raise PermissionDenied(
            _("You do not supervise %(workshop)s on %(day)s.") % {"workshop": workshop, "day": day}
        )
    [worker] = lock_workers([enrolment.worker_id])
    trainer, note = trainer.strip(), note.strip()
    problems = []
    try:
        parsed = parse_hours(str(hours), _("hours"))  # as the importer reads hours: never rounded
    except ValueError as unreadable:
        problems.append(str(unreadable))
    else:
        if out_of_bound := ATTENDANCE_HOURS.problem(hours):  # before quantize(): 1e30 fails it
            problems.append(out_of_bound)
        else:
            hours = parsed.quantize(CENT)  # as saved: 3 is 3.00
    if day > today:
        problems.append(_("%(day)s is in the future.") % {"day": day})
    if not trainer:
        problems.append(_("Name the trainer."))
    if not enrolment.active_on(day):
        problems.append(
            _("%(worker)s is not enrolled on %(course)s on %(day)s.")
            % {"worker": worker, "course": enrolment.course.code, "day": day}
        )
    assigned = Assignment.objects.filter(worker=worker, workshop=workshop, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    if not assigned.exists():
        problems.append(
            _("%(worker)s was not assigned to %(workshop)s on %(day)s.")
            % {"worker": worker, "workshop": workshop.slug, "day": day}
        )
    if problems:
        raise ValidationError(problems)
    by_day = occupied_hours([worker.pk], *reach([day]))[worker.pk]
    by_day[day] += hours
    [assessment] = assess(
        by_day, [day], policy_on=WorkingTimePolicy.in_force_on, worker=worker
    ).values()
    refusal = assessment.refusal(note)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            attendance = TrainingAttendance.objects.create(
                enrolment=enrolment,
                workshop=workshop,
                day=day,
                hours=hours,
                trainer=trainer,
                note=note,
                breaches=assessment.codes,
                recorded_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            _("Attendance of %(worker)s on %(course)s on %(day)s is already recorded.")
            % {"worker": worker, "course": enrolment.course.code, "day": day}
        ) from None
    log(attendance, "wagtail.create", user=user)
    return attendance


def hours_attended(enrolment: Enrolment) -> Decimal:
    return progress_of(enrolment).attended


def passed_assessment(enrolment: Enrolment) -> Assessment | None:
    """The latest passed assessment of the enrolment, or None."""
    return (
        enrolment.assessments.filter(outcome=Assessment.Outcome.PASSED)
        .order_by("-assessed_on", "-pk")
        .first()
    )
