"""Locking production records for a pay run, and changing a record afterwards.

When a pay run is calculated it locks the records it read (``lock_production``), and the training
attendance it pays under the same lock; cancelling the run frees both (``unlock_production``).
Posting the run makes its lock **final** (``finalise_production_lock``): the records and sessions
were paid, so no operation frees them again, and on PostgreSQL triggers refuse releasing the lock,
deleting its rows or adding to it. A locked record changes only through ``adjust_production``,
which keeps who, why and the old and new values; the next regular pay run pays or recovers the
difference (``unsettled_adjustments``, ``settle_adjustments``). An adjustment and the posting of
the run holding the record take turns on the lock's row, so an adjustment is either seen by the
posting (which then refuses) or made after it (and paid by the next run): never lost between
the two. On PostgreSQL a trigger refuses any change to a locked record's values that no
adjustment explains, and any deletion of a locked record. An unlocked record is corrected with
``correct_production``. Each operation writes the audit log.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from workshops.access import can_record
from workshops.models import (
    LockedRecord,
    ProductionAdjustment,
    ProductionLock,
    ProductionRecord,
    TrainingAttendance,
)
from workshops.models.production import with_locks
from workshops.production.checks import NOTE_LENGTH, Entry, ProductionRefused, check_entries
from workshops.production.grid import hours_text
from workshops.working_time import lock_workers

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
# From this many records locked at once, the lock tables' statistics are refreshed before they are
# read again (``_insert_locks``).
ANALYZE_FROM = 10_000


def _as_queryset(records) -> QuerySet:
    if isinstance(records, QuerySet):
        if records.query.is_sliced or records.query.distinct:
            return records.model.objects.filter(pk__in=records.values("pk"))
        # Used as it is: filtered on the records' own columns, the lock is one plain INSERT ...
        # SELECT (a pay run locks millions of records; a self-join subquery made that minutes).
        return records.order_by()
    return ProductionRecord.objects.filter(pk__in=[record.pk for record in records])


@transaction.atomic
def lock_production(records, reference: str, *, user=None, attendance=None) -> ProductionLock:
    """Lock ``records`` (a queryset, or records) for the pay run ``reference``. Set-based: one
    INSERT of ``LockedRecord`` rows whatever the number, which also takes a share lock on each
    record, so a correction that started before waits for the commit and then sees the lock.
    Refuses, locking nothing, if any is locked by another run, naming the run. Locking again with
    the same reference adds records to that run's lock; a final lock (its run is posted) takes
    none. Where another run locks some of them at the same moment, the INSERT waits for that
    run's commit and then fails on a record's key: refused the same way, naming that run.

    ``attendance`` (a queryset of training attendance) is held by the same lock where no other
    lock holds it: one UPDATE, in which attendance another run takes at the same moment waits
    for that run and is then skipped, so it is paid by one run only."""
    if not reference:
        raise ValidationError(_("A lock needs the pay run's reference."))
    held = ProductionLock.objects.select_for_update().held_by(reference).first()
    lock = held or ProductionLock.objects.create(reference=reference)
    if lock.is_final:
        raise ValidationError(
            _("Pay run %(reference)s is posted: its lock is final and takes no more records.")
            % {"reference": reference}
        )
    records = _as_queryset(records)
    conflict = False
    try:
        with transaction.atomic():  # a savepoint: a record another run took rolls back only this
            # Every record this lock does not hold yet: one another run holds fails the INSERT on
            # its key, so only then are the records read again to name it.
            inserted = _insert_locks(records.exclude(locked__lock=lock), lock)
    except IntegrityError as error:
        if not _taken_key(error):
            raise
        conflict = True
    # Taken by another run (named below). A record saved after the INSERT is simply left free.
    taken = conflict and (
        records.exclude(locked__lock=lock)
        .filter(locked__isnull=False)
        .select_related("locked__lock")
        .first()
    )
    if taken:
        raise ValidationError(
            _("Record %(record)s is already locked by pay run %(reference)s.")
            % {"record": taken, "reference": taken.lock.reference}
        )
    if conflict:
        # The record taken is no longer among ``records`` (a caller's filter on locks left it
        # out): refused in words all the same.
        raise ValidationError(
            _("Another pay run locked some of these records meanwhile: calculate again.")
        )
    if attendance is not None:
        attendance.filter(lock__isnull=True).update(lock=lock)
    log(
        lock,
        "bridgework.production_locked",
        user=user,
        data={
            "reference": reference,
            "records": lock.entries.count() if held else inserted,  # a new lock holds these
            "attendance": lock.attendance.count(),
        },
    )
    return lock


def _taken_key(error: IntegrityError) -> bool:
    """Whether ``error`` is a record's key already in the lock table (another run holds it)."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION or getattr(
        cause, "sqlite_errorname", None
    ) in ("SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE")


def _insert_locks(free: QuerySet, lock: ProductionLock) -> int:
    """INSERT ... SELECT of a ``LockedRecord`` per record of ``free``; returns how many. Where
    another run locks one of them at the same moment, the INSERT waits for that run's commit, then
    fails on the record's key (an ON CONFLICT clause that would skip it costs a quarter more).

    After a large INSERT on PostgreSQL the lock tables are analysed in the same transaction:
    every later query of the calculation joins the records to the rows just written, and with
    the statistics of before (a few thousand rows where there are now millions) PostgreSQL
    planned them as millions of index probes and spilled sorts. ``SKIP_LOCKED``: a run
    calculated at the same moment, holding the tables' ANALYZE lock until it commits, is not
    waited for; this one plans with the statistics it has."""
    # In the records' key order: the share locks then visit the records' pages one after the
    # other, and the lock table's key grows at its end. In the order of a hash join they read and
    # wrote a page per record once the table outgrew the database's buffers: 30 s instead of 7 for
    # 2.2 million records.
    sql, params = free.values("pk").order_by("pk").query.sql_with_params()
    # SQLite has no row locks (its transaction holds the whole database)
    share = (
        ' FOR SHARE OF "workshops_productionrecord"' if connection.vendor == "postgresql" else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # The ORM's own SQL and parameters
            "INSERT INTO workshops_lockedrecord (lock_id, record_id) "  # noqa: S608 # nosec B608
            f"SELECT %s, free.* FROM ({sql}{share}) AS free",
            [lock.pk, *params],
        )
        inserted = cursor.rowcount
        if connection.vendor == "postgresql" and inserted >= ANALYZE_FROM:
            cursor.execute("ANALYZE (SKIP_LOCKED) workshops_lockedrecord, workshops_productionlock")
    return inserted


@transaction.atomic
def unlock_production(reference: str, *, user=None) -> int:
    """Free the records and attendance pay run ``reference`` locked (the run was cancelled);
    returns how many records."""
    lock = ProductionLock.objects.select_for_update().held_by(reference).first()
    if lock is None:
        raise ValidationError(
            _("No records are locked by pay run %(reference)s.") % {"reference": reference}
        )
    if lock.is_final:
        raise ValidationError(
            _(
                "Pay run %(reference)s is posted: its records were paid and stay locked. Change "
                "a record through a production adjustment; the next pay run pays the difference."
            )
            % {"reference": reference}
        )
    lock.released_at = timezone.now()  # first: the attendance guard frees only a released lock's
    lock.save(update_fields=["released_at"])
    freed, _deleted = LockedRecord.objects.filter(lock=lock).delete()
    attendance = TrainingAttendance.objects.filter(lock=lock).update(lock=None)
    log(
        lock,
        "bridgework.production_unlocked",
        user=user,
        data={"reference": reference, "records": freed, "attendance": attendance},
    )
    return freed


# An order-free checksum of a set of ids: their sum, and the sum of their squares modulo a prime.
HELD_SQL = """
SELECT count(*), coalesce(sum({id}), 0),
       coalesce(sum(({id} %% 1000000007) * ({id} %% 1000000007) %% 1000000007), 0)
FROM {table} WHERE lock_id = %s
"""


def held_by(lock: ProductionLock) -> tuple[int, int, str]:
    """How many records and training sessions ``lock`` holds, and a checksum of which ones: two
    queries over its rows, whatever their number."""
    found = []
    with connection.cursor() as cursor:
        for table, column in (
            ("workshops_lockedrecord", "record_id"),
            ("workshops_trainingattendance", "id"),
        ):
            cursor.execute(HELD_SQL.format(table=table, id=column), [lock.pk])
            found.append([int(value) for value in cursor.fetchone()])
    (records, *record_sums), (attendance, *attendance_sums) = found
    return records, attendance, ":".join(str(value) for value in record_sums + attendance_sums)


@transaction.atomic
def finalise_production_lock(reference: str, *, user=None) -> ProductionLock:
    """Make pay run ``reference``'s lock final: the run is posted, so its records and training
    attendance were paid and are never freed again (``unlock_production`` refuses; on PostgreSQL
    triggers refuse releasing the lock or deleting its rows). Keeps what the lock holds now, for
    ``verify_ledger``. Takes the lock's row first, so adjustments of its records wait for the
    caller's commit (``adjust_production``). A final lock is returned as it is."""
    lock = ProductionLock.objects.select_for_update().held_by(reference).first()
    if lock is None:
        raise ValidationError(
            _("No records are locked by pay run %(reference)s.") % {"reference": reference}
        )
    if lock.is_final:
        return lock
    lock.held_records, lock.held_attendance, lock.held_checksum = held_by(lock)
    lock.finalised_at = timezone.now()
    lock.save(update_fields=["finalised_at", "held_records", "held_attendance", "held_checksum"])
    log(
        lock,
        "bridgework.production_lock_finalised",
        user=user,
        data={
            "reference": reference,
            "records": lock.held_records,
            "attendance": lock.held_attendance,
        },
    )
    return lock


def _check_change(record, *, hours, pieces, rejects, note, user):
    if not can_record(user, record.workshop, record.day):
        raise PermissionDenied(
            _("You do not supervise %(workshop)s on %(day)s.")
            % {"workshop": record.workshop, "day": format_day(record.day)}
        )
    entry = Entry(
        worker=record.worker,
        workshop=record.workshop,
        day=record.day,
        sku=record.sku,
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        supervisor=record.supervisor,
        supervisor_note=note,
        legacy=record.legacy,
    )
    problems = check_entries(
        [entry],
        today=max(record.day, timezone.localdate()),
        allow_legacy=True,
        replacing=[record.pk],
        duplicates_of_existing=False,
    )
    if problems:
        raise ProductionRefused(problems)
    return entry


def _values(record) -> dict:
    return {"hours": hours_text(record.hours), "pieces": record.pieces, "rejects": record.rejects}


def _locked(record) -> ProductionRecord:
    """The record, row-locked after its worker (``lock_workers``: every change of hours takes the
    worker first, so this one and an import or a grid save of the same day take turns)."""
    lock_workers([record.worker_id])
    return with_locks(
        ProductionRecord.objects.select_for_update(of=("self",)).select_related(
            "worker", "workshop", "sku", "supervisor"
        )
    ).get(pk=record.pk)


@transaction.atomic
def adjust_production(
    *, record: ProductionRecord, hours, pieces: int, rejects: int, reason: str, user
) -> ProductionAdjustment:
    """Change a locked record: the record takes the new values, the adjustment keeps both, and
    the next regular pay run pays or recovers the difference. Takes turns with the posting of
    the run that holds the record on its lock's row: an adjustment the posting did not see is
    made after it, so the next run pays it."""
    record = _locked(record)
    # The lock's row, in turn with posting (``finalise_production_lock``): read again once it is
    # ours, in case the run was cancelled meanwhile.
    lock = (
        ProductionLock.objects.select_for_update(no_key=True)
        .active()
        .filter(pk=record.lock.pk)
        .first()
        if record.is_locked
        else None
    )
    if lock is None:
        raise ValidationError(
            _("This record is not locked: correct it in the grid instead of adjusting it.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("An adjustment needs a reason."))
    note = record.supervisor_note or reason[:NOTE_LENGTH]
    entry = _check_change(record, hours=hours, pieces=pieces, rejects=rejects, note=note, user=user)
    if (entry.hours, pieces, rejects) == (record.hours, record.pieces, record.rejects):
        raise ValidationError(_("The new values are the same as the old ones."))
    adjustment = ProductionAdjustment.objects.create(
        record=record,
        old_hours=record.hours,
        old_pieces=record.pieces,
        old_rejects=record.rejects,
        new_hours=entry.hours,
        new_pieces=pieces,
        new_rejects=rejects,
        reason=reason,
        made_by=user,
    )
    old = _values(record)
    record.hours, record.pieces, record.rejects = entry.hours, pieces, rejects
    record.supervisor_note = note
    record.breaches = " ".join(entry.breaches)
    record.save(update_fields=["hours", "pieces", "rejects", "supervisor_note", "breaches"])
    log(
        record,
        "bridgework.production_adjusted",
        user=user,
        data={"old": old, "new": _values(record), "reason": reason, "lock": lock.reference},
    )
    return adjustment


@transaction.atomic
def correct_production(
    *, record: ProductionRecord, hours, pieces: int, rejects: int, supervisor_note: str, user
) -> ProductionRecord:
    """Correct one unlocked record, logging its old and new values."""
    record = _locked(record)
    if record.is_locked:
        raise ValidationError(
            _(
                "This record is locked by pay run %(reference)s: change it through a production "
                "adjustment."
            )
            % {"reference": record.lock.reference}
        )
    entry = _check_change(
        record, hours=hours, pieces=pieces, rejects=rejects, note=supervisor_note, user=user
    )
    old = {**_values(record), "supervisor_note": record.supervisor_note}
    record.hours, record.pieces, record.rejects = entry.hours, pieces, rejects
    record.supervisor_note = entry.supervisor_note
    record.breaches = " ".join(entry.breaches)
    record.save(update_fields=["hours", "pieces", "rejects", "supervisor_note", "breaches"])
    log(
        record,
        "bridgework.production_corrected",
        user=user,
        data={"old": old, "new": {**_values(record), "supervisor_note": entry.supervisor_note}},
    )
    return record


def unsettled_adjustments(*, workers=None) -> QuerySet:
    """Adjustments no pay run has paid or recovered yet (what the next regular run reads)."""
    adjustments = ProductionAdjustment.objects.filter(settled_by="")
    if workers is not None:
        adjustments = adjustments.filter(record__worker__in=workers)
    return adjustments.select_related("record")


@transaction.atomic
def settle_adjustments(adjustments, reference: str) -> int:
    """Mark ``adjustments`` paid or recovered by pay run ``reference``; returns how many."""
    return ProductionAdjustment.objects.filter(
        pk__in=[a.pk for a in adjustments], settled_by=""
    ).update(settled_by=reference)
