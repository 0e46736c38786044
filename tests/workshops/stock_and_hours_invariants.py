"""What must hold of stock and working time after any sequence of operations, each check computed from the stored rows alone and returning the
problems it finds in words, so a counter-example says what broke:

- ``stock_problems``: every stock row is the sum of its movements, with 0 ≤ reserved ≤ on hand;
  what is reserved is what the active reservations hold; every batch went on hand once;
- ``hours_problems``: no worker has more than 24 hours in a day, production and training
  together; a day over the policy's daily limit, an ISO week over its weekly limit and seven days
  without the policy's rest hold an entry that records that breach with a reason.

``fingerprint`` is every row a stock or production operation may write, to show that a refused
one wrote none.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from wagtail.models import ModelLogEntry

from workshops.models import (
    Batch,
    LockedRecord,
    ProductionAdjustment,
    ProductionImport,
    ProductionLock,
    ProductionRecord,
    Reservation,
    ReservationLine,
    Stock,
    StockMovement,
    TrainingAttendance,
    WorkingTimePolicy,
)

ZERO = Decimal(0)
HOURS_IN_A_DAY = Decimal(24)
ONE_DAY = datetime.timedelta(days=1)


def fingerprint() -> dict:
    """Every row the stock and production operations write, and the audit log's."""
    return {
        "batches": list(
            Batch.objects.order_by("pk").values_list(
                "pk", "key", "sku", "quantity", "made_from", "made_to", "received_on"
            )
        ),
        "stock": list(Stock.objects.order_by("pk").values_list("pk", "sku", "on_hand", "reserved")),
        "movements": list(
            StockMovement.objects.order_by("pk").values_list(
                "pk", "stock", "kind", "on_hand_change", "reserved_change", "key", "counted"
            )
        ),
        "reservations": list(
            Reservation.objects.order_by("pk").values_list(
                "pk", "key", "state", "expires_at", "closed_at"
            )
        ),
        "reservation lines": list(
            ReservationLine.objects.order_by("pk").values_list("reservation", "sku", "quantity")
        ),
        "records": list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk",
                "worker",
                "workshop",
                "day",
                "sku",
                "hours",
                "pieces",
                "rejects",
                "supervisor_note",
                "breaches",
                "supervisor",
                "source",
            )
        ),
        "attendance": list(
            TrainingAttendance.objects.order_by("pk").values_list(
                "pk", "enrolment", "day", "hours", "note", "breaches", "lock"
            )
        ),
        "adjustments": list(
            ProductionAdjustment.objects.order_by("pk").values_list(
                "pk", "record", "new_hours", "new_pieces", "new_rejects"
            )
        ),
        "locks": list(
            ProductionLock.objects.order_by("pk").values_list("pk", "reference", "released_at")
        ),
        "locked": list(LockedRecord.objects.order_by("record").values_list("record", "lock")),
        "imports": list(ProductionImport.objects.order_by("pk").values_list("pk", "rows")),
        "log": list(ModelLogEntry.objects.order_by("pk").values_list("pk", "action")),
    }


def changes(before: dict, after: dict) -> list[str]:
    """The parts of two fingerprints that differ."""
    return [name for name in before if before[name] != after.get(name)]


def stock_problems() -> list[str]:
    """Each stock row against its movements, its bounds, and the reservations that hold it."""
    problems = []
    moved: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for stock, on_hand, reserved in StockMovement.objects.values_list(
        "stock", "on_hand_change", "reserved_change"
    ):
        moved[stock][0] += on_hand
        moved[stock][1] += reserved
    held: dict[int, int] = defaultdict(int)
    for sku, quantity in ReservationLine.objects.filter(
        reservation__state=Reservation.State.ACTIVE
    ).values_list("sku", "quantity"):
        held[sku] += quantity
    for pk, sku, code, on_hand, reserved in Stock.objects.order_by("pk").values_list(
        "pk", "sku", "sku__code", "on_hand", "reserved"
    ):
        if [on_hand, reserved] != moved[pk]:
            problems.append(
                f"{code}: {on_hand} on hand and {reserved} reserved, its movements sum to "
                f"{moved[pk][0]} and {moved[pk][1]}"
            )
        if not 0 <= reserved <= on_hand:
            problems.append(f"{code}: {reserved} reserved of {on_hand} on hand")
        if reserved != held[sku]:
            problems.append(f"{code}: {reserved} reserved, active reservations hold {held[sku]}")
    received = defaultdict(list)
    for batch, change in StockMovement.objects.filter(kind=StockMovement.Kind.RECEIVED).values_list(
        "batch", "on_hand_change"
    ):
        received[batch].append(change)
    for pk, key, quantity in Batch.objects.order_by("pk").values_list("pk", "key", "quantity"):
        if received[pk] != [quantity]:
            problems.append(f"batch {key} of {quantity} went on hand as {received[pk]}")
    for key, state, closed_at in Reservation.objects.order_by("pk").values_list(
        "key", "state", "closed_at"
    ):
        if (state == Reservation.State.ACTIVE) != (closed_at is None):
            problems.append(f"reservation {key} is {state} and closed at {closed_at}")
    return problems


def _entries_by_worker() -> dict[int, list[tuple]]:
    """Each worker's production records and training sessions: (day, hours, breaches, note)."""
    entries: dict[int, list[tuple]] = defaultdict(list)
    for worker, day, hours, breaches, note in ProductionRecord.objects.values_list(
        "worker", "day", "hours", "breaches", "supervisor_note"
    ):
        entries[worker].append((day, hours, breaches.split(), note.strip()))
    for worker, day, hours, breaches, note in TrainingAttendance.objects.values_list(
        "enrolment__worker", "day", "hours", "breaches", "note"
    ):
        entries[worker].append((day, hours, breaches.split(), note.strip()))
    return entries


def _reasoned(entries, code: str, days) -> bool:
    """Whether an entry on one of ``days`` records the breach ``code`` with a reason."""
    return any(day in days and code in breaches and note for day, _h, breaches, note in entries)


def hours_problems(*, weeks: bool = True) -> list[str]:
    """Working time (Mandela Rule 102) from the stored records and sessions of each worker;
    ``weeks``: the weekly limit too."""
    problems = []
    policies = sorted(WorkingTimePolicy.objects.all(), key=lambda policy: policy.effective_from)

    def policy_on(day):
        return next((p for p in reversed(policies) if p.effective_from <= day), None)

    for worker, entries in sorted(_entries_by_worker().items()):
        by_day: dict[datetime.date, Decimal] = defaultdict(Decimal)
        for day, hours, _breaches, _note in entries:
            by_day[day] += hours
        for day, hours in sorted(by_day.items()):
            policy = policy_on(day)
            if hours > HOURS_IN_A_DAY:
                problems.append(f"worker {worker}: {hours} hours on {day}")
            elif (
                policy
                and hours > policy.max_hours_per_day
                and not _reasoned(entries, "HOURS_DAY", {day})
            ):
                problems.append(
                    f"worker {worker}: {hours} hours on {day} and no entry that day records "
                    "the daily limit's breach with a reason"
                )
        by_week: dict[datetime.date, Decimal] = defaultdict(Decimal)
        for day, hours in by_day.items():
            by_week[day - ONE_DAY * (day.isoweekday() - 1)] += hours
        for monday, hours in sorted(by_week.items()):
            policy = policy_on(monday)
            week = {monday + ONE_DAY * n for n in range(7)}
            if (
                weeks
                and policy
                and hours > policy.max_hours_per_week
                and not _reasoned(entries, "HOURS_WEEK", week)
            ):
                problems.append(
                    f"worker {worker}: {hours} hours in the week of {monday} and no entry "
                    "that week records the weekly limit's breach with a reason"
                )
        for last in sorted({day + ONE_DAY * n for day in by_day for n in range(7)}):
            window = {last - ONE_DAY * n for n in range(7)}
            policy = policy_on(last)
            rest = sum(1 for day in window if by_day.get(day, ZERO) == 0)
            if (
                policy
                and rest < policy.rest_days_per_week
                and not _reasoned(entries, "REST_DAY", window)
            ):
                problems.append(
                    f"worker {worker}: no day of rest in the 7 days up to {last} and no "
                    "entry of them records the breach with a reason"
                )
    return problems


INTEGER = 2**31 - 1  # the widest integer column on PostgreSQL (SQLite keeps wider ones)
COUNTS = {
    ProductionRecord: ("pieces", "rejects"),
    ProductionAdjustment: ("new_pieces", "new_rejects"),
    Stock: ("on_hand", "reserved"),
    StockMovement: ("on_hand_change", "reserved_change", "counted"),
}


def column_problems() -> list[str]:
    """Numbers wider than their column on PostgreSQL, which SQLite stores all the same."""
    problems = []
    for model, fields in COUNTS.items():
        for pk, *values in model.objects.order_by("pk").values_list("pk", *fields):
            for field, value in zip(fields, values, strict=True):
                if value is not None and not -INTEGER - 1 <= value <= INTEGER:
                    problems.append(f"{model.__name__} {pk}: {field} {value}")
    return problems
