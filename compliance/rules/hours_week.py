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

from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.occupied_time import (
    HALF_A_HUNDREDTH,
    as_date,
    breach_notes,
    hours,
    missing_policy,
    occupied_evidence,
    occupied_over,
    occupied_records,
    over_limit_rows,
    policies,
    policy_versions,
    quantized,
    version_on,
)
from core.formatting import format_day

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
        """One aggregate over production and training together returns the worker-weeks over
        the lowest weekly limit; the exact limit (in force on the Monday), and whether the worker
        had a shift in scope that week in the period, are then checked for those few."""
        yield from missing_policy(self, context)
        versions = policy_versions()
        limits = [v.max_hours_per_week for _f, _l, v in policies(context) if v is not None]
        if not limits:
            return
        in_scope = context.scope.production(context.start, context.end).order_by()
        over = {}
        for worker, monday, total, trained in occupied_over(
            in_scope.values("worker"),
            monday_of(context.start),
            monday_of(context.end) + SIX_DAYS,
            per="week",
            above=min(limits) + HALF_A_HUNDREDTH,
        ):
            version = version_on(versions, monday)
            if version is not None and total > version.max_hours_per_week + HALF_A_HUNDREDTH:
                over[worker, monday] = (total, trained, version.max_hours_per_week)
        if not over:
            return
        shifts = {
            (worker, reference, as_date(week))
            for worker, reference, week in in_scope.filter(
                worker__in={worker for worker, _monday in over}
            )
            .annotate(week=TruncWeek("day"))
            .values_list("worker", "worker__reference", "week")
            .distinct()
        }
        weeks = over_limit_rows(shifts, over, key="week")
        spans = [(row["worker"], row["week"], row["week"] + SIX_DAYS) for row in weeks]
        found = occupied_records(spans)
        notes = breach_notes(spans, self.code)
        for row in weeks:
            sunday = row["week"] + SIX_DAYS
            row["reason"] = next(
                (
                    notes[key]
                    for key in sorted(notes, key=lambda key: key[1])
                    if key[0] == row["worker"] and row["week"] <= key[1] <= sunday
                ),
                "",
            )
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
