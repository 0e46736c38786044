"""The one check of a worker's working time (Mandela Rule 102), for production entry and training
attendance alike: both count as time the person is occupied (DESIGN.md, "Working time").

``assess(hours_by_day, days, policy_on=…)`` is pure: the production checks and
``record_attendance`` pass the worker's recorded hours (production plus training, by day) with
the new entries added, and get back, for each day asked about, its hours and what the policy in
force on that day forbids; ``Assessment.refusal`` is the one answer when the day cannot be saved.
It reads the days once per worker, with running sums: the ISO week so far, and the rest days in
each window of 7 days. Nothing here reads the records themselves, so the rule is one function
whatever records feed it.

``occupied_hours`` reads what ``assess`` is given, the same way for both: each worker's production
and training hours by day, ``REACH`` days either side of the days asked about.

A day that passes 24 hours is a race unless the check and the save see the same hours: every
operation that adds or changes a worker's hours locks the workers first, in one order
(``lock_workers``), inside the transaction that checks and saves.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import format_day
from workshops.bounds import HOURS_IN_A_DAY
from workshops.models import ProductionRecord, TrainingAttendance, Worker, WorkingTimePolicy

# The day of the week the country rests (Sunday; Monday is 0). Work is allowed on it within the
# policy's rest rule, but the grid notes it, and a day without records on it is not missing.
WEEKLY_REST_DAY = 6

ONE_DAY = datetime.timedelta(days=1)
WINDOW = 7  # days: the rest-day rule counts rest in every 7 consecutive days
ZERO = Decimal(0)
REACH = ONE_DAY * (WINDOW - 1)  # a day's check reads from 6 days before it to 6 after
CHUNK = 500  # ids per IN (...) list, well under every database's limit on parameters


@dataclass(frozen=True)
class Breach:
    code: str  # HOURS_DAY, HOURS_WEEK or REST_DAY, as in the compliance rules
    message: str


@dataclass(frozen=True)
class Assessment:
    """A worker's day with the new entries: its hours and the policy's breaches."""

    worker: object
    day: datetime.date
    hours: Decimal
    breaches: tuple[Breach, ...] = ()

    @property
    def codes(self) -> str:
        return " ".join(breach.code for breach in self.breaches)

    def refusal(self, note: str) -> str | None:
        """Why the day cannot be saved: more than a day holds, or hours over the limits without a
        reason in ``note``; None when it can."""
        if self.hours > HOURS_IN_A_DAY:
            return _("%(worker)s would have %(hours)s hours on %(day)s: more than a day holds.") % {
                "worker": self.worker,
                "hours": self.hours,
                "day": format_day(self.day),
            }
        if self.breaches and not note.strip():
            return _(
                "%(reasons)s Hours over the working-time limits need a reason in the "
                "supervisor's note."
            ) % {"reasons": " ".join(breach.message for breach in self.breaches)}
        return None


def lock_workers(worker_ids: Iterable[int]) -> list[Worker]:
    """Lock the workers' rows (``SELECT ... FOR NO KEY UPDATE``) in primary-key order, before any
    production record or attendance: two operations on the same worker then take turns, the
    second checking the hours the first saved, and never wait on each other in a circle. Rows
    that merely refer to a worker (a pay run's lines and journals, posted meanwhile) take a key
    share lock, which this one does not block: a posting waited for by an adjustment that held
    the worker ``FOR UPDATE`` was a deadlock. Called
    inside the transaction that checks and saves. SQLite has no row locks (``FOR UPDATE`` is left
    out): there, writers take turns on the whole database."""
    ids = sorted(set(worker_ids))
    locked = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        locked.extend(
            Worker.objects.select_for_update(no_key=True).filter(pk__in=chunk).order_by("pk")
        )
    return locked


def in_chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def reach(days: Iterable[datetime.date]) -> tuple[datetime.date, datetime.date]:
    """The first and last day whose hours a check of ``days`` reads."""
    days = list(days)
    return min(days) - REACH, max(days) + REACH


def occupied_hours(
    worker_ids: Iterable[int],
    first: datetime.date,
    last: datetime.date,
    *,
    except_records: Iterable[int] = (),
    except_attendance: int | None = None,
    records: dict | None = None,
) -> dict[int, dict[datetime.date, Decimal]]:
    """Each worker's hours by day from ``first`` to ``last``: production and training together
    (both are time the person is occupied, Mandela Rule 102), leaving out the production records
    ``except_records`` and the attendance ``except_attendance`` (those being replaced). Two
    queries per ``CHUNK`` workers. ``records``, when given, is filled with the production records
    read: ``(worker, workshop, day, sku) -> pk``."""
    hours = defaultdict(lambda: defaultdict(Decimal))
    except_records = set(except_records)
    for ids in in_chunks(set(worker_ids)):
        attendance = TrainingAttendance.objects.filter(
            enrolment__worker__in=ids, day__range=(first, last)
        )
        if except_attendance is not None:
            attendance = attendance.exclude(pk=except_attendance)
        for worker, day, worked in attendance.values_list("enrolment__worker_id", "day", "hours"):
            hours[worker][day] += worked
        for pk, worker, workshop, day, sku, worked in ProductionRecord.objects.filter(
            worker__in=ids, day__range=(first, last)
        ).values_list("pk", "worker_id", "workshop_id", "day", "sku_id", "hours"):
            if pk in except_records:
                continue
            hours[worker][day] += worked
            if records is not None:
                records[worker, workshop, day, sku] = pk
    return hours


def _segments(days: list[datetime.date]):
    """The days each asked-about day needs, merged: from 6 days before it (its ISO Monday, the
    first window holding it) to 6 after (the last window holding it)."""
    start, end = days[0] - REACH, days[0] + REACH
    for day in days[1:]:
        if day - REACH > end + ONE_DAY:
            yield start, end
            start = day - REACH
        end = day + REACH
    yield start, end


def assess(
    hours_by_day: dict[datetime.date, Decimal],
    days: Iterable[datetime.date],
    *,
    policy_on: Callable[[datetime.date], WorkingTimePolicy | None],
    worker=None,
) -> dict[datetime.date, Assessment]:
    """Each of ``days`` under the policy in force on it: its hours over the daily limit; the
    hours of its ISO week up to it, with those already recorded on its later days, over the
    weekly limit (the day that takes the week over, and each day after it, breach it; the days
    before did not, as a grid is entered day by day); and,
    on a day worked, a window of 7 days holding it without the policy's rest days (work entered
    for a past day can close a streak that ends after it: the first such window is named)."""
    days = sorted(set(days))
    asked = set(days)
    found = {}
    if not days:
        return found
    for start, end in _segments(days):
        span = (end - start).days + 1
        hours = [hours_by_day.get(start + ONE_DAY * n, ZERO) for n in range(span)]
        week, running = [], ZERO  # the ISO week so far, day by day
        for n, worked in enumerate(hours):
            if (start.weekday() + n) % 7 == 0:
                running = ZERO
            running += worked
            week.append(running)
        rest, resting = [], 0  # rest days in the window of 7 ending on each day
        for n, worked in enumerate(hours):
            resting += worked == 0
            if n >= WINDOW:
                resting -= hours[n - WINDOW] == 0
            rest.append(resting)
        for day in days:
            if start <= day <= end:
                index = (day - start).days
                found[day] = _assessment(
                    worker,
                    day,
                    hours[index],
                    week[index] + _recorded_later(hours, start, index, asked),
                    rest[index : index + WINDOW],
                    policy_on,
                )
    return found


def _recorded_later(hours: list[Decimal], start: datetime.date, index: int, asked) -> Decimal:
    """The hours already recorded on the days after ``index`` in its ISO week, other than the
    days asked about: a day entered after later days of its week (a late record, a correction, a
    session) counts them, or it took the week past the limit with no reason asked. Later days
    asked about with it are not counted: they are assessed themselves, counting this one, so a
    week entered at once still breaches from the day that takes it over."""
    day = start + ONE_DAY * index
    sunday = index + 6 - day.weekday()
    return sum(
        (
            hours[n]
            for n in range(index + 1, min(sunday, len(hours) - 1) + 1)
            if start + ONE_DAY * n not in asked
        ),
        ZERO,
    )


def _assessment(worker, day, worked, week, rests, policy_on) -> Assessment:
    policy = policy_on(day)
    if policy is None:
        return Assessment(worker, day, worked)
    breaches = []
    if worked > policy.max_hours_per_day:
        breaches.append(
            Breach(
                "HOURS_DAY",
                _("%(hours)s hours on %(day)s; the limit is %(limit)s a day.")
                % {"hours": worked, "day": format_day(day), "limit": policy.max_hours_per_day},
            )
        )
    if week > policy.max_hours_per_week:
        monday = day - ONE_DAY * day.weekday()
        breaches.append(
            Breach(
                "HOURS_WEEK",
                _("%(hours)s hours in the week of %(monday)s; the limit is %(limit)s a week.")
                % {"hours": week, "monday": format_day(monday), "limit": policy.max_hours_per_week},
            )
        )
    if worked > 0 and min(rests) < policy.rest_days_per_week:
        offset = next(n for n, count in enumerate(rests) if count < policy.rest_days_per_week)
        breaches.append(
            Breach(
                "REST_DAY",
                _("No day of rest in the 7 days up to %(day)s.")
                % {"day": format_day(day + ONE_DAY * offset)},
            )
        )
    return Assessment(worker, day, worked, tuple(breaches))


def working_time_breaches(
    hours_by_day: dict[datetime.date, Decimal], *, day: datetime.date, policy=None
) -> list[Breach]:
    """``assess`` for one day, under ``policy`` (by default the policy in force on ``day``)."""
    policy = policy or WorkingTimePolicy.in_force_on(day)
    return list(assess(hours_by_day, [day], policy_on=lambda _day: policy)[day].breaches)
