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
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.occupied_time import (
    HALF_A_HUNDREDTH,
    ZERO,
    as_date,
    breach_notes,
    hours,
    missing_policy,
    occupied_evidence,
    occupied_records,
    policy_versions,
    quantized,
    training_by_day,
    version_on,
)
from core.formatting import format_day
from workshops.models import ProductionRecord

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
        """Aggregates, not a subquery per record: the worker-weeks with a shift in scope, each
        worker's hours per ISO week in every workshop (production, then training), and the
        records and reasons of the weeks over the limit."""
        yield from missing_policy(self, context)
        versions = policy_versions()
        in_scope = context.scope.production(context.start, context.end).order_by()
        weeks_in_scope = {
            (worker, as_date(week))
            for worker, week in in_scope.annotate(week=TruncWeek("day"))
            .values_list("worker", "week")
            .distinct()
        }
        if not weeks_in_scope:
            return
        first = min(week for _worker, week in weeks_in_scope)
        last = max(week for _worker, week in weeks_in_scope) + SIX_DAYS
        workers = in_scope.values("worker")
        production = {
            (worker, as_date(week)): (reference, Decimal(total))
            for worker, reference, week, total in ProductionRecord.objects.filter(
                worker__in=workers, day__range=(first, last)
            )
            .annotate(week=TruncWeek("day"))
            .order_by()
            .values("worker", "worker__reference", "week")
            .annotate(total=Sum("hours"))
            .values_list("worker", "worker__reference", "week", "total")
        }
        training: dict = {}
        for (worker, day), total in training_by_day(workers, first, last).items():
            week = (worker, monday_of(day))
            training[week] = training.get(week, ZERO) + total
        weeks = []
        for key in sorted(weeks_in_scope, key=lambda key: (production[key][0], key[1])):
            version = version_on(versions, key[1])
            if version is None:
                continue  # a missing-policy finding says so
            reference, made = production[key]
            trained = training.get(key, ZERO)
            if made + trained > version.max_hours_per_week + HALF_A_HUNDREDTH:
                weeks.append(
                    {
                        "worker": key[0],
                        "worker__reference": reference,
                        "week": key[1],
                        "production": made,
                        "training": trained,
                        "total": made + trained,
                        "limit": version.max_hours_per_week,
                    }
                )
        spans = [(row["worker"], row["week"], row["week"] + SIX_DAYS) for row in weeks]
        found = occupied_records(spans)
        notes = breach_notes(spans, self.code)
        for row in weeks:
            row["reason"] = next(
                (
                    notes[(row["worker"], day)]
                    for day in sorted(day for worker, day in notes if worker == row["worker"])
                    if row["week"] <= day <= row["week"] + SIX_DAYS
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
