"""HOURS_DAY: the hours a worker is occupied in a day are within the working-time policy's daily
limit (Mandela Rule 102: hours fixed by law, as for free workers).

Reads the production records in scope (``Scope.production``) for the days a worker had a shift in
scope, and counts that worker's whole day as ``workshops.working_time.occupied_hours`` does:
production hours in every workshop plus training attendance hours (DESIGN.md, "Working time").
Compares the total with ``max_hours_per_day`` of the ``WorkingTimePolicy`` in force on the day.

Finds each worker-day over the limit: ``major``; ``minor`` when one of the day's records (a
production record or an attendance) carries the ``HOURS_DAY`` breach code with the supervisor's
note, the reason recorded when the hours were entered, which the detail quotes. Evidence: the
day's production records and training attendance. Parts of the period without a policy in force
are a missing-data finding (``major``).
"""

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.occupied_time import (
    HALF_A_HUNDREDTH,
    HOURS,
    ZERO,
    hours,
    missing_policy,
    occupied_evidence,
    occupied_records,
    policy_on,
    quantized,
)
from core.formatting import format_day
from workshops.models import ProductionRecord, TrainingAttendance


def breach_reason(code: str):
    """The reasons recorded beside ``code`` on the training attendance of the outer row's worker
    (for a subquery: the caller narrows the days)."""
    return (
        TrainingAttendance.objects.filter(
            enrolment__worker=OuterRef("worker"), breaches__contains=code
        )
        .exclude(note="")
        .order_by("day", "pk")
        .values("note")
    )


@register
class HoursDay(Rule):
    code = "HOURS_DAY"
    title = gettext_lazy("Hours per day within the limit")
    source = "Mandela Rule 102"
    severity = MAJOR

    def check(self, context):
        yield from missing_policy(self, context)
        shift = context.scope.production(context.start, context.end).filter(
            worker=OuterRef("worker"), day=OuterRef("day")
        )
        training = (
            TrainingAttendance.objects.filter(
                enrolment__worker=OuterRef("worker"), day=OuterRef("day")
            )
            .order_by()
            .values("enrolment__worker")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        reason = Q(breaches__contains=self.code) & ~Q(supervisor_note="")
        days = (
            ProductionRecord.objects.filter(day__range=(context.start, context.end))
            .filter(Exists(shift))
            .values("worker", "worker__reference", "day")
            .annotate(
                production=Sum("hours"),
                training=Coalesce(Subquery(training, output_field=HOURS), Value(ZERO)),
                limit=policy_on("max_hours_per_day"),
                reason=Coalesce(
                    Max(Case(When(reason, then=F("supervisor_note")))),
                    Subquery(breach_reason(self.code).filter(day=OuterRef("day"))[:1]),
                    Value(""),
                ),
            )
            .annotate(total=ExpressionWrapper(F("production") + F("training"), HOURS))
            .filter(total__gt=F("limit") + HALF_A_HUNDREDTH)
            .order_by("worker__reference", "day")
        )
        days = list(days)
        found = occupied_records([(row["worker"], row["day"], row["day"]) for row in days])
        for row in days:
            yield self._finding(context, row, found)

    def _finding(self, context, row, found):
        day = row["day"]
        total, limit = quantized(row["total"]), quantized(row["limit"])
        production, training = quantized(row["production"]), quantized(row["training"])
        cited, records, attendance = occupied_evidence(found, row["worker"], day, day)
        values = {
            "total": hours(total),
            "day": format_day(day),
            "limit": hours(limit),
            "production": hours(production),
            "training": hours(training),
            "records": records,
            "attendance": attendance,
        }
        detail = (
            _(
                "%(total)s hours occupied on %(day)s (production %(production)s, training "
                "%(training)s; records: %(records)s, attendance: %(attendance)s), over the limit "
                "of %(limit)s hours a day."
            )
            % values
        )
        reason = row["reason"]
        if reason:
            detail += " " + _("Reason recorded: “%(reason)s”.") % {"reason": reason}
        return self.finding(
            context,
            severity=MINOR if reason else MAJOR,
            worker=row["worker__reference"],
            start=day,
            end=day,
            detail=detail,
            evidence=cited,
            figures={
                "hours": total,
                "limit": limit,
                "production_hours": production,
                "training_hours": training,
                "reason": reason,
            },
        )
