"""HOURS_WEEK: the hours a worker is occupied in an ISO week are within the working-time policy's
weekly limit (Mandela Rule 102).

Reads the weeks (Monday to Sunday) in which a worker had a shift in scope during the period
(``Scope.production``), and counts that worker's whole ISO week, also its days outside the period,
as ``workshops.working_time`` does: production hours in every workshop plus training attendance
hours (DESIGN.md, "Working time"). Compares the total with ``max_hours_per_week`` of the
``WorkingTimePolicy`` in force on the week's Monday.

Finds each worker-week over the limit; the finding's start and end are the whole ISO week
(Monday and Sunday, not clipped to the period, since its hours are the whole week's). ``major``;
``minor`` when one of the week's records (production or attendance) carries the ``HOURS_WEEK``
breach code with the supervisor's note, which the detail quotes. Evidence: the week's production
records and training attendance. Parts of the period without a policy in force are a
missing-data finding (``major``).
"""

import datetime

from django.db.models import (
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.occupied_time import (
    HALF_A_HUNDREDTH,
    HOURS,
    ZERO,
    as_date,
    hours,
    missing_policy,
    occupied_evidence,
    occupied_records,
    policy_on,
    quantized,
)
from core.formatting import format_day
from workshops.models import ProductionRecord, TrainingAttendance

SIX_DAYS = datetime.timedelta(days=6)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@register
class HoursWeek(Rule):
    code = "HOURS_WEEK"
    title = gettext_lazy("Hours per week within the limit")
    source = "Mandela Rule 102"
    severity = MAJOR

    def check(self, context):
        yield from missing_policy(self, context)
        # One row per worker and ISO week with a shift in scope in the period (no GROUP BY: the
        # week's totals are subqueries over the worker's whole week, in every workshop).
        of_week = {"week": OuterRef("week")}
        production = ProductionRecord.objects.annotate(week=TruncWeek("day")).filter(
            worker=OuterRef("worker"), **of_week
        )
        training = TrainingAttendance.objects.annotate(week=TruncWeek("day")).filter(
            enrolment__worker=OuterRef("worker"), **of_week
        )
        production_hours = (
            production.order_by().values("worker").annotate(total=Sum("hours")).values("total")
        )
        training_hours = (
            training.order_by()
            .values("enrolment__worker")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        production_reason = (
            production.filter(breaches__contains=self.code)
            .exclude(supervisor_note="")
            .order_by("day", "pk")
            .values("supervisor_note")[:1]
        )
        training_reason = (
            training.filter(breaches__contains=self.code)
            .exclude(note="")
            .order_by("day", "pk")
            .values("note")[:1]
        )
        weeks = list(
            context.scope.production(context.start, context.end)
            .annotate(week=TruncWeek("day"))
            .values("worker", "worker__reference", "week")
            .annotate(
                production=Coalesce(Subquery(production_hours, output_field=HOURS), Value(ZERO)),
                training=Coalesce(Subquery(training_hours, output_field=HOURS), Value(ZERO)),
                limit=policy_on("max_hours_per_week", day="week"),
                reason=Coalesce(Subquery(production_reason), Subquery(training_reason), Value("")),
            )
            .annotate(total=ExpressionWrapper(F("production") + F("training"), HOURS))
            .filter(total__gt=F("limit") + HALF_A_HUNDREDTH)
            .distinct()
            .order_by("worker__reference", "week")
        )
        spans = []
        for row in weeks:
            row["week"] = as_date(row["week"])
            spans.append((row["worker"], row["week"], row["week"] + SIX_DAYS))
        found = occupied_records(spans)
        for row in weeks:
            yield self._finding(context, row, found)

    def _finding(self, context, row, found):
        monday = row["week"]
        sunday = monday + SIX_DAYS
        total, limit = quantized(row["total"]), quantized(row["limit"])
        production, training = quantized(row["production"]), quantized(row["training"])
        cited, records, attendance = occupied_evidence(found, row["worker"], monday, sunday)
        detail = _(
            "%(total)s hours occupied in the week of %(monday)s to %(sunday)s (production "
            "%(production)s, training %(training)s; records: %(records)s, attendance: "
            "%(attendance)s), over the limit of %(limit)s hours a week."
        ) % {
            "total": hours(total),
            "monday": format_day(monday),
            "sunday": format_day(sunday),
            "limit": hours(limit),
            "production": hours(production),
            "training": hours(training),
            "records": records,
            "attendance": attendance,
        }
        reason = row["reason"]
        if reason:
            detail += " " + _("Reason recorded: “%(reason)s”.") % {"reason": reason}
        iso_year, iso_week, _weekday = monday.isocalendar()
        return self.finding(
            context,
            severity=MINOR if reason else MAJOR,
            worker=row["worker__reference"],
            start=monday,
            end=sunday,
            detail=detail,
            evidence=cited,
            figures={
                "hours": total,
                "limit": limit,
                "production_hours": production,
                "training_hours": training,
                "iso_week": f"{iso_year}-W{iso_week:02d}",
                "reason": reason,
            },
        )
