"""The supervisors' daily grid: one workshop, one day, its assigned workers as rows and its SKUs
as columns, saved in one request with a fixed number of queries whatever the grid's size.

A supervisor records only for the workshops they supervise that day (Mandela Rule 100.1: prison
staff supervise the work); users with ``import_any_production`` (programme managers,
administrators) may record for any. ``save_grid`` takes the whole day as it should be: records
not in it are removed, changed ones corrected, new ones created, all or nothing, and writes one
audit-log entry for the save plus one per corrected or removed record with its old and new values.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from core.formatting import format_day
from workshops.access import can_record
from workshops.models import SKU, ProductionRecord, Worker, Workshop
from workshops.models.production import with_locks
from workshops.production.checks import (
    Entry,
    Problem,
    Problems,
    ProductionRefused,
    check_entries,
)
from workshops.working_time import lock_workers

VALUES = ("hours", "pieces", "rejects", "supervisor_note")


@dataclass
class Grid:
    """What the grid shows: the workers assigned that day, the SKUs, the saved records."""

    workshop: Workshop
    day: datetime.date
    workers: list[Worker]
    skus: list[SKU]
    records: dict[tuple[int, int | None], ProductionRecord] = field(default_factory=dict)

    @property
    def columns(self) -> list[SKU | None]:
        return list(self.skus) if self.workshop.makes_products else [None]

    @property
    def locked(self) -> bool:
        return any(record.is_locked for record in self.records.values())

    @property
    def version(self) -> str:
        return grid_version(self.records.values())


def grid_version(records) -> str:
    """A fingerprint of a day's records as saved: the grid carries it from the moment it is
    opened, and a save refuses when the day changed since (someone else saved it meanwhile)."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.pk):
        digest.update(
            f"{record.pk}|{record.hours}|{record.pieces}|{record.rejects}|"
            f"{record.supervisor_note}|{record.lock and record.lock.pk}\n".encode()
        )
    return digest.hexdigest()[:32]


def load_grid(workshop: Workshop, day: datetime.date) -> Grid:
    """Four queries: workers assigned that day (and any with a record), SKUs, records, and the
    records' locks (none when the day has no records yet)."""
    records = {
        (r.worker_id, r.sku_id): r
        for r in with_locks(ProductionRecord.objects.filter(workshop=workshop, day=day))
    }
    assigned = Q(assignments__workshop=workshop, assignments__start__lte=day) & (
        Q(assignments__end__isnull=True) | Q(assignments__end__gte=day)
    )
    with_record = Q(pk__in=[worker for worker, _sku in records])
    workers = list(Worker.objects.filter(assigned | with_record).distinct().order_by("reference"))
    skus = list(SKU.objects.filter(workshop=workshop).order_by("code"))
    return Grid(workshop=workshop, day=day, workers=workers, skus=skus, records=records)


@dataclass(frozen=True)
class GridSaved:
    created: int
    corrected: int
    removed: int
    unchanged: int


def hours_text(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _values(record) -> dict:
    return {
        "hours": hours_text(record.hours),
        "pieces": record.pieces,
        "rejects": record.rejects,
        "supervisor_note": record.supervisor_note,
    }


@transaction.atomic
def save_grid(
    *,
    workshop: Workshop,
    day: datetime.date,
    entries: list[Entry],
    user,
    today=None,
    version: str | None = None,
) -> GridSaved:
    """Make ``workshop``'s records of ``day`` exactly ``entries``; refuse (``ProductionRefused``,
    nothing saved) if anything is wrong, including a change to a locked record, or, given the
    ``version`` the grid was opened at, a day that someone else saved since."""
    today = today or timezone.localdate()
    if not can_record(user, workshop, day):
        raise PermissionDenied(
            _("You do not supervise %(workshop)s on %(day)s.")
            % {"workshop": workshop, "day": format_day(day)}
        )
    lock_workers(entry.worker.pk for entry in entries)
    existing = {
        (r.worker_id, r.sku_id): r
        for r in with_locks(
            ProductionRecord.objects.select_for_update(of=("self",))
            .filter(workshop=workshop, day=day)
            .select_related("worker", "sku")
        )
    }
    if version is not None and version != grid_version(existing.values()):
        raise ProductionRefused(
            [
                Problem(
                    _(
                        "Someone else saved this day after you opened it; open it again to see "
                        "their entries, then make your changes."
                    )
                )
            ]
        )
    wanted = {(e.worker.pk, e.sku.pk if e.sku else None): e for e in entries}
    problems = Problems()
    for entry in entries:
        entry.supervisor = user if entry.supervisor is None else entry.supervisor
        if entry.workshop.pk != workshop.pk or entry.day != day:
            problems.append(Problem(_("An entry for another workshop or day."), key=entry.key))
    changed, unchanged, removed = [], [], []
    for key, record in existing.items():
        entry = wanted.get(key)
        if entry is None:
            removed.append(record)
        elif (entry.hours, entry.pieces, entry.rejects, entry.supervisor_note) == (
            record.hours,
            record.pieces,
            record.rejects,
            record.supervisor_note,
        ):
            unchanged.append(record)
        else:
            changed.append((record, entry))
    for record in removed + [record for record, _entry in changed]:
        if record.is_locked:
            problems.append(
                Problem(
                    _(
                        "The record of %(worker)s for %(what)s is locked by pay run "
                        "%(reference)s: change it through a production adjustment."
                    )
                    % {
                        "worker": record.worker,
                        "what": record.sku.code if record.sku_id else _("time-only work"),
                        "reference": record.lock.reference,
                    },
                    key=(record.worker_id, workshop.pk, day, record.sku_id),
                )
            )
    problems.extend(
        check_entries(
            [e for e in entries if (e.worker.pk, e.sku.pk if e.sku else None) not in existing]
            + [entry for _record, entry in changed],
            today=today,
            replacing=[r.pk for r in removed] + [record.pk for record, _entry in changed],
            duplicates_of_existing=False,
        )
    )
    if problems:
        raise ProductionRefused(problems)

    for record in unchanged:
        wanted.pop((record.worker_id, record.sku_id))
    corrections = []
    for record, entry in changed:
        wanted.pop((record.worker_id, record.sku_id))
        old = _values(record)
        record.hours, record.pieces, record.rejects = entry.hours, entry.pieces, entry.rejects
        record.supervisor_note = entry.supervisor_note
        record.breaches = " ".join(entry.breaches)
        record.supervisor = user
        corrections.append((record, "bridgework.production_corrected", old, _values(record)))
    for record in removed:
        corrections.append((record, "bridgework.production_removed", _values(record), None))
    new = [wanted[key] for key in wanted if key not in existing]
    try:
        ProductionRecord.objects.bulk_create(_record(entry) for entry in new)
        if changed:
            ProductionRecord.objects.bulk_update(
                [record for record, _entry in changed],
                ["hours", "pieces", "rejects", "supervisor_note", "breaches", "supervisor"],
            )
        if removed:
            ProductionRecord.objects.filter(pk__in=[record.pk for record in removed]).delete()
    except IntegrityError as clash:
        raise ProductionRefused(
            [Problem(_("Someone else saved this day at the same moment; open it again."))]
        ) from clash
    saved = GridSaved(
        created=len(new), corrected=len(changed), removed=len(removed), unchanged=len(unchanged)
    )
    action_uuid = uuid.uuid4()
    log(
        workshop,
        "bridgework.production_saved",
        user=user,
        uuid=action_uuid,
        data={
            "day": day.isoformat(),
            "rows": len(entries),
            "created": saved.created,
            "corrected": saved.corrected,
            "removed": saved.removed,
        },
    )
    log_corrections(corrections, user=user, action_uuid=action_uuid)
    return saved


def _record(entry: Entry, **extra) -> ProductionRecord:
    return ProductionRecord(
        worker=entry.worker,
        workshop=entry.workshop,
        day=entry.day,
        sku=entry.sku,
        hours=entry.hours,
        pieces=entry.pieces,
        rejects=entry.rejects,
        supervisor=entry.supervisor,
        supervisor_note=entry.supervisor_note,
        breaches=" ".join(entry.breaches),
        legacy=entry.legacy,
        **extra,
    )


def log_corrections(corrections, *, user, action_uuid) -> None:
    """One audit-log entry per corrected or removed record, with its old and new values, written
    in one query (Wagtail's ``log`` would write one query each)."""
    if not corrections:
        return
    content_type = ContentType.objects.get_for_model(ProductionRecord)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(record.pk),
            label=str(record)[:255],
            action=action,
            data={"old": old, "new": new},
            timestamp=now,
            user=user,
            uuid=action_uuid,
            content_changed=True,
            deleted=new is None,
        )
        for record, action, old, new in corrections
    )
