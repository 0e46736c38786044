"""What the working-time rules (HOURS_DAY, HOURS_WEEK, REST_DAY, FITNESS) share: the policy in
force on a row's day as a subquery, the missing-policy findings, hours as the findings write
them, and the evidence of a worker's occupied days.

Occupied time is counted as ``workshops.working_time.occupied_hours`` counts it for production
entry and training attendance (DESIGN.md, "Working time"): a worker's production hours in every
workshop plus their training attendance hours, by day. The rules read it with aggregates in the
database instead of loading each worker's days.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, Q
from django.utils.translation import gettext as _

from compliance.rules.evidence import MAX_EVIDENCE, evidence_of
from core.formatting import format_day, format_number
from workshops.models import ProductionRecord, TrainingAttendance, WorkingTimePolicy

ZERO = Decimal(0)
ONE_DAY = datetime.timedelta(days=1)
# Hours are recorded to the hundredth: a total over the limit is at least 0.01 over it. SQLite sums
# decimals as floating point (8.00 may come back as 8.000000000000002), so the databases compare
# with half a hundredth to spare, which is exact for sums of hundredths on both.
HALF_A_HUNDREDTH = Decimal("0.005")
HOURS = DecimalField(max_digits=7, decimal_places=2)


def policies(context) -> list[tuple[datetime.date, datetime.date, WorkingTimePolicy | None]]:
    """The period cut by working-time policy versions (one query, kept in the context's cache
    for the other working-time rules of the same check)."""
    key = "working_time_segments"
    if key not in context.cache:
        context.cache[key] = context.segments(WorkingTimePolicy)
    return context.cache[key]


def missing_policy(rule, context):
    """A missing-data finding for each part of the period no working-time policy covered."""
    for first, last, policy in policies(context):
        if policy is None:
            yield rule.missing(
                context,
                start=first,
                end=last,
                detail=_(
                    "No working-time policy was in force from %(start)s to %(end)s: "
                    "%(rule)s cannot be checked on those days."
                )
                % {"start": format_day(first), "end": format_day(last), "rule": rule.code},
                figures={"first_day": first, "last_day": last},
            )


def policy_in_force(context, day: datetime.date) -> WorkingTimePolicy | None:
    for first, last, policy in policies(context):
        if first <= day <= last:
            return policy
    return None


def hours(value) -> str:
    """Hours as the findings write them: two decimals, the language's signs."""
    return format_number(value, places=2)


def quantized(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def as_date(value) -> datetime.date:
    """A date from a raw query (SQLite returns text)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def occupied_records(spans):
    """The production records and training attendance of each ``(worker_id, first, last)`` in
    ``spans``: two queries whatever their number. Returns ``{(worker_id, day): ([record ids],
    [attendance ids])}``."""
    found: dict = {}
    if not spans:
        return found
    production = Q()
    training = Q()
    for worker, first, last in spans:
        production |= Q(worker=worker, day__range=(first, last))
        training |= Q(enrolment__worker=worker, day__range=(first, last))
    for pk, worker, day in (
        ProductionRecord.objects.filter(production).order_by().values_list("pk", "worker", "day")
    ):
        found.setdefault((worker, day), ([], []))[0].append(pk)
    for pk, worker, day in (
        TrainingAttendance.objects.filter(training)
        .order_by()
        .values_list("pk", "enrolment__worker", "day")
    ):
        found.setdefault((worker, day), ([], []))[1].append(pk)
    return found


def occupied_evidence(found: dict, worker: int, first: datetime.date, last: datetime.date):
    """Evidence for a worker's days from ``first`` to ``last``: the production records, then the
    training attendance (at most ``MAX_EVIDENCE`` in all), and the count of each."""
    records, attendance = [], []
    for (who, day), (record_ids, attendance_ids) in found.items():
        if who == worker and first <= day <= last:
            records.extend(record_ids)
            attendance.extend(attendance_ids)
    cited = evidence_of(ProductionRecord, records)
    cited += evidence_of(TrainingAttendance, attendance, limit=MAX_EVIDENCE - len(cited))
    return cited, len(records), len(attendance)


def policy_versions() -> list[WorkingTimePolicy]:
    """Every version of the working-time policy, oldest first (one query; there are few)."""
    return list(WorkingTimePolicy.objects.order_by("effective_from"))


def version_on(versions: list[WorkingTimePolicy], day: datetime.date) -> WorkingTimePolicy | None:
    found = None
    for version in versions:
        if version.effective_from <= day:
            found = version
    return found


def breach_notes(spans, code: str) -> dict:
    """``{(worker_id, day): note}``: the reason recorded beside the breach ``code`` on each day of
    ``spans`` (``(worker_id, first, last)``), a production record's note before an attendance's;
    two queries whatever their number."""
    notes: dict = {}
    if not spans:
        return notes
    production, training = Q(), Q()
    for worker, first, last in spans:
        production |= Q(worker=worker, day__range=(first, last))
        training |= Q(enrolment__worker=worker, day__range=(first, last))
    for worker, day, note in (
        ProductionRecord.objects.filter(production, breaches__contains=code)
        .exclude(supervisor_note="")
        .order_by("-supervisor_note")
        .values_list("worker", "day", "supervisor_note")
    ):
        notes.setdefault((worker, as_date(day)), note)
    for worker, day, note in (
        TrainingAttendance.objects.filter(training, breaches__contains=code)
        .exclude(note="")
        .order_by("day", "pk")
        .values_list("enrolment__worker", "day", "note")
    ):
        notes.setdefault((worker, as_date(day)), note)
    return notes


OCCUPIED_OVER = """
WITH production (worker_id, day, hours) AS ({production}),
training (worker_id, day, hours) AS ({training}),
occupied (worker_id, day, hours, trained) AS (
    SELECT worker_id, day, hours, 0 FROM production
    UNION ALL
    SELECT worker_id, day, hours, hours FROM training
)
SELECT worker_id, {bucket} AS bucket, SUM(hours), SUM(trained) FROM occupied
GROUP BY worker_id, {bucket} HAVING SUM(hours) > %s
"""
# A week is named by its Monday (ISO weeks), a day by itself.
BUCKETS = {
    ("day", "postgresql"): "day",
    ("day", "sqlite"): "day",
    ("week", "postgresql"): "CAST(date_trunc('week', day) AS date)",
    ("week", "sqlite"): "date(day, 'weekday 0', '-6 days')",
}


def occupied_over(workers, first, last, *, per: str, above: Decimal) -> list[tuple]:
    """``(worker_id, day or Monday, hours, of which training)`` for each day or ISO week (``per``)
    from ``first`` to ``last`` in which a worker of ``workers`` (a queryset of worker ids) was
    occupied more than ``above`` hours, in every workshop: one aggregate over production and
    training together, so the database returns only the days (or weeks) over the limit."""
    production_sql, production_params = (
        ProductionRecord.objects.filter(day__range=(first, last), worker__in=workers)
        .order_by()
        .values_list("worker_id", "day", "hours")
        .query.sql_with_params()
    )
    training_sql, training_params = (
        TrainingAttendance.objects.filter(day__range=(first, last), enrolment__worker__in=workers)
        .order_by()
        .values_list("enrolment__worker_id", "day", "hours")
        .query.sql_with_params()
    )
    sql = OCCUPIED_OVER.format(
        production=production_sql,
        training=training_sql,
        bucket=BUCKETS[per, connection.vendor],
    )
    with connection.cursor() as cursor:
        # SQLite sums decimals as floating point, and compares a number with text as smaller.
        limit = above if connection.vendor == "postgresql" else float(above)
        cursor.execute(sql, [*production_params, *training_params, limit])
        return [
            (worker, as_date(bucket), Decimal(str(total)), Decimal(str(trained)))
            for worker, bucket, total, trained in cursor.fetchall()
        ]


def over_limit_rows(shifts, over: dict, *, key: str) -> list[dict]:
    """The rows of the worker-days (``key="day"``) or worker-weeks (``key="week"``) in ``over``
    (``{(worker_id, day): (total, trained, limit)}``) that ``shifts`` (``(worker_id, reference,
    day)``, the shifts in scope) confirm, by reference and date: what HOURS_DAY and HOURS_WEEK
    turn into findings."""
    rows = []
    for worker, reference, when in sorted(shifts, key=lambda row: (row[1], row[2])):
        if (worker, when) not in over:
            continue
        total, trained, limit = over[worker, when]
        rows.append(
            {
                "worker": worker,
                "worker__reference": reference,
                key: when,
                "production": total - trained,
                "training": trained,
                "total": total,
                "limit": limit,
            }
        )
    return rows
