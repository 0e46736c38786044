"""REST_DAY: every 7 consecutive days hold at least the working-time policy's rest days, days
without work (Mandela Rule 102: a weekly rest day).

Reads the days each worker with a shift in scope in the period was occupied, in every workshop
(``Scope.production`` chooses the workers): a day is worked when its production and training
hours together are more than 0, as ``workshops.working_time.assess`` counts rest. The days from 6
before the period are read too, so a run of work that began before the period and continues into
it counts in full.

Set-based: one query finds the runs of consecutive worked days ("gaps and islands": a day's number
minus its ``ROW_NUMBER`` per worker is the same for every day of a run), with window functions that
SQLite (3.25 and later) and PostgreSQL both have. A run longer than 7 − ``rest_days_per_week`` days
(of the policy in force on the run's last day) holds a window of 7 days without enough rest: one
finding per run, ``major``, from its first to its last day, when it reaches into the period and
holds at least one shift in scope. Evidence: the run's production records and training
attendance. With two or more rest days a week, rest days spread thinner than every 7 days (5 days
of work, 1 of rest, 5 of work under a policy of 2 rest days) are not runs this rule finds; the
entry checks of ``workshops.working_time`` refuse them as they are recorded.

Parts of the period without a policy in force are a missing-data finding (``major``).
"""

import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.rules.base import MAJOR, Rule, register
from compliance.rules.evidence import MAX_EVIDENCE, evidence_of
from compliance.rules.occupied_time import (
    as_date,
    missing_policy,
    policies,
    policy_in_force,
)
from core.formatting import format_day
from workshops.models import ProductionRecord, TrainingAttendance

WINDOW = 7
LOOK_BACK = datetime.timedelta(days=WINDOW - 1)

RUNS = """
WITH occupied (worker_id, day, hours) AS ({production} UNION ALL {training}),
worked AS (
    SELECT worker_id, day FROM occupied GROUP BY worker_id, day HAVING SUM(hours) > 0
),
islands AS (
    SELECT worker_id, day,
           {day_number} - ROW_NUMBER() OVER (PARTITION BY worker_id ORDER BY day) AS island
    FROM worked
)
SELECT worker_id, MIN(day), MAX(day), COUNT(*) FROM islands
GROUP BY worker_id, island HAVING COUNT(*) > %s
ORDER BY worker_id, MIN(day)
"""
DAY_NUMBER = {
    "postgresql": "(day - DATE '2000-01-01')",
    "sqlite": "CAST(julianday(day) AS INTEGER)",
}


def runs_of_work(scope, start, end, longer_than: int):
    """``(worker_id, first, last, days)`` of each run of consecutive worked days longer than
    ``longer_than`` that ends on or after ``start``, read from 6 days before ``start``."""
    workers = scope.production(start, end).order_by().values("worker")
    first = start - LOOK_BACK
    production_sql, production_params = (
        ProductionRecord.objects.filter(day__range=(first, end), worker__in=workers)
        .order_by()
        .values_list("worker_id", "day", "hours")
        .query.sql_with_params()
    )
    training_sql, training_params = (
        TrainingAttendance.objects.filter(day__range=(first, end), enrolment__worker__in=workers)
        .order_by()
        .values_list("enrolment__worker_id", "day", "hours")
        .query.sql_with_params()
    )
    sql = RUNS.format(
        production=production_sql,
        training=training_sql,
        day_number=DAY_NUMBER[connection.vendor],
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*production_params, *training_params, longer_than])
        rows = cursor.fetchall()
    runs = []
    for worker, run_first, run_last, days in rows:
        run_first, run_last = as_date(run_first), as_date(run_last)
        if run_last >= start:
            runs.append((worker, run_first, run_last, days))
    return runs


@register
class RestDay(Rule):
    code = "REST_DAY"
    title = gettext_lazy("A rest day in every seven")
    source = "Mandela Rule 102"
    severity = MAJOR

    def check(self, context):
        yield from missing_policy(self, context)
        rests = [policy.rest_days_per_week for _f, _l, policy in policies(context) if policy]
        if not rests:
            return
        longest = {}  # the most days in a row each policy allows
        runs = []
        for worker, first, last, days in runs_of_work(
            context.scope, context.start, context.end, WINDOW - max(rests)
        ):
            policy = policy_in_force(context, max(last, context.start))
            if policy is None or days <= WINDOW - policy.rest_days_per_week:
                continue
            longest[worker, first] = (WINDOW - policy.rest_days_per_week, policy)
            runs.append((worker, first, last, days))
        if not runs:
            return
        in_run = Q()
        training_in_run = Q()
        for worker, first, last, _days in runs:
            in_run |= Q(worker=worker, day__range=(first, last))
            training_in_run |= Q(enrolment__worker=worker, day__range=(first, last))
        in_scope = context.scope.production(context.start, context.end).filter(pk=OuterRef("pk"))
        records = {}
        references = {}
        for pk, worker, reference, day, scoped in (
            ProductionRecord.objects.filter(in_run)
            .annotate(scoped=Exists(in_scope))
            .order_by()
            .values_list("pk", "worker", "worker__reference", "day", "scoped")
        ):
            records.setdefault(worker, []).append((day, pk, scoped))
            references[worker] = reference
        attendance = {}
        for pk, worker, day in (
            TrainingAttendance.objects.filter(training_in_run)
            .order_by()
            .values_list("pk", "enrolment__worker", "day")
        ):
            attendance.setdefault(worker, []).append((day, pk))
        for worker, first, last, days in sorted(
            runs, key=lambda run: (references.get(run[0], ""), run[1])
        ):
            mine = [
                (pk, scoped) for day, pk, scoped in records.get(worker, []) if first <= day <= last
            ]
            if not any(scoped for _pk, scoped in mine):
                continue  # the run holds no shift in this scope
            trained = [pk for day, pk in attendance.get(worker, []) if first <= day <= last]
            allowed, policy = longest[worker, first]
            cited = evidence_of(ProductionRecord, [pk for pk, _scoped in mine])
            cited += evidence_of(TrainingAttendance, trained, limit=MAX_EVIDENCE - len(cited))
            yield self.finding(
                context,
                worker=references[worker],
                start=first,
                end=last,
                detail=_(
                    "%(days)s days in a row occupied, from %(first)s to %(last)s (records: "
                    "%(records)s, attendance: %(attendance)s): the policy allows at most "
                    "%(allowed)s (rest days in every 7: %(rest)s)."
                )
                % {
                    "days": days,
                    "first": format_day(first),
                    "last": format_day(last),
                    "records": len(mine),
                    "attendance": len(trained),
                    "allowed": allowed,
                    "rest": policy.rest_days_per_week,
                },
                evidence=cited,
                figures={
                    "days_in_a_row": days,
                    "most_allowed": allowed,
                    "rest_days_per_week": policy.rest_days_per_week,
                    "first_day": first,
                    "last_day": last,
                },
            )
