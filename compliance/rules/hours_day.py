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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, MINOR, Rule, register
from compliance.rules.occupied_time import (
    HALF_A_HUNDREDTH,
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


@register
class HoursDay(Rule):
    code = "HOURS_DAY"
    title = gettext_lazy("Hours per day within the limit")
    source = "Mandela Rule 102"
    severity = MAJOR

    def check(self, context):
        """One aggregate over production and training together returns the worker-days over
        the lowest limit in force; the exact limit of each day, and whether the worker had a
        shift in scope that day, are then checked for those few."""
        yield from missing_policy(self, context)
        versions = policy_versions()
        limits = [policy.max_hours_per_day for _f, _l, policy in policies(context) if policy]
        if not limits:
            return
        in_scope = context.scope.production(context.start, context.end).order_by()
        over = {}
        for worker, day, total, trained in occupied_over(
            in_scope.values("worker"),
            context.start,
            context.end,
            per="day",
            above=min(limits) + HALF_A_HUNDREDTH,
        ):
            version = version_on(versions, day)
            if version is not None and total > version.max_hours_per_day + HALF_A_HUNDREDTH:
                over[worker, day] = (total, trained, version.max_hours_per_day)
        if not over:
            return
        shifts = (
            in_scope.filter(
                worker__in={worker for worker, _day in over}, day__in={day for _w, day in over}
            )
            .values_list("worker", "worker__reference", "day")
            .distinct()
        )
        days = over_limit_rows(shifts, over, key="day")
        spans = [(row["worker"], row["day"], row["day"]) for row in days]
        found = occupied_records(spans)
        notes = breach_notes(spans, self.code)
        for row in days:
            row["reason"] = notes.get((row["worker"], row["day"]), "")
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
