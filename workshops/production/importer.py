"""One importer for production files, behind ``manage.py import_production`` and the back-office
upload alike. All or nothing per file: every bad row is reported with its line number and reason
and nothing is saved. Set-based: the lookups and checks read the database a fixed number of times
per 500 workers, and the records go in by bulk insert, so 100,000 rows do not cost 100,000 queries.

The rows are checked and saved in one transaction holding the workers' locks (``lock_workers``),
so two imports, or an import and a grid save, adjustment or attendance, cannot together give a
worker more than 24 hours in a day.

Who imports matters: a user with ``import_any_production`` (programme managers, administrators)
or the command line may import for any workshop; a supervisor only for the workshops they
supervise on each row's day. Legacy rows need ``allow_legacy`` (``--legacy``).
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_day
from core.uploads import CSV, XLSX, detect_kind
from workshops.access import ANY_WORKSHOP, supervised_workshops
from workshops.bounds import PRODUCTION_PIECES, PRODUCTION_REJECTS, Bound
from workshops.models import SKU, ProductionImport, ProductionRecord, Worker, Workshop
from workshops.production.checks import (
    Entry,
    Problem,
    Problems,
    ProductionRefused,
    check_entries,
)
from workshops.production.grid import _record
from workshops.production.spreadsheet import (
    TEXT_COLUMNS,
    FileRefused,
    cell_text,
    read_rows,
    unescape_text,
)
from workshops.working_time import CHUNK, lock_workers

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # 20 MiB: about 300,000 rows of CSV
# Rows read from one file. 20 MiB holds 300,000 to 400,000 rows of real references and slugs,
# but 800,000 of the shortest possible: each row held costs about 200 bytes, so this keeps a
# whole import well under 200 MB whatever the rows (README, "Production records").
MAX_IMPORT_ROWS = 400_000
BATCH = 2000
SHARED = 100_000  # texts, days or hours kept for sharing (``_Shared``)


@dataclass(frozen=True)
class ImportResult:
    rows: int
    dry_run: bool
    source: ProductionImport | None  # None on a dry run


def _lookup(model, field, values):
    found = {}
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(
            {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": chunk})}
        )
    return found


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_hours(text: str, name: str) -> Decimal:
    value = _number(text)
    if value is None:
        raise ValueError(_("%(name)s “%(text)s” is not a number.") % {"name": name, "text": text})
    if value.as_tuple().exponent < -2:
        raise ValueError(
            _("%(name)s “%(text)s” has more than two decimals.") % {"name": name, "text": text}
        )
    return value


def parse_count(text: str, name: str, bound: Bound) -> int:
    """A whole number within ``bound`` (``workshops.bounds``); empty means 0."""
    if text == "":
        return 0
    value = _number(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(
            _("%(name)s “%(text)s” is not a whole number.") % {"name": name, "text": text}
        )
    if problem := bound.problem(value):  # before int(): "1e999999999" is a whole number too
        raise ValueError(problem)
    return int(value)


class _Row(NamedTuple):
    """A row as read, typed: a tuple, as hundreds of thousands are held at once."""

    line: int
    day: datetime.date
    worker: str
    workshop: str
    product_sku: str
    hours: Decimal
    pieces: int
    rejects: int
    supervisor: str
    supervisor_note: str
    legacy: bool


class _Shared(dict):
    """One object for each repeated text, date or number: a file repeats its workers, workshops,
    SKUs, supervisors, days and hours on row after row, and a string or a ``Decimal`` for each
    cell would cost more than the row itself. Keyed by the text read (``Decimal("7.5")`` equals
    ``Decimal("7.50")`` but prints otherwise); at most ``SHARED`` kept, so a file of distinct
    values costs no more than without it."""

    def get_or_make(self, text: str, make):
        value = self.get(text)
        if value is None:
            value = make(text)
            if len(self) < SHARED:
                self[text] = value
        return value

    def text(self, text: str) -> str:
        return self.get_or_make(text, str)


def _parse(raw_rows):
    """Cells to typed values (``_Row``), unescaped; problems for what cannot be read."""
    parsed, problems = [], Problems()
    texts, days, hours = _Shared(), _Shared(), _Shared()
    for count, (line, raw) in enumerate(raw_rows, start=1):
        if count > MAX_IMPORT_ROWS:
            raise FileRefused(
                _("The file has more than %(limit)s rows; split it into several files.")
                % {"limit": number_format(MAX_IMPORT_ROWS, force_grouping=True)}
            )
        if "__extra__" in raw:
            problems.append(Problem(_("More cells than the header has columns."), line))
            continue
        try:
            text = {
                column: cell_text(raw[column], strip=column not in TEXT_COLUMNS) for column in raw
            }
            for column in TEXT_COLUMNS:
                text[column] = unescape_text(text[column])
        except ValueError as formula:
            problems.append(Problem(str(formula), line))
            continue
        row_problems = []
        values = {}
        try:
            values["date"] = days.get_or_make(text["date"], datetime.date.fromisoformat)
        except ValueError:
            row_problems.append(
                _("Date “%(text)s” is not a date as YYYY-MM-DD.") % {"text": text["date"]}
            )
        for name, bound in (
            ("hours", None),
            ("pieces", PRODUCTION_PIECES),
            ("rejects", PRODUCTION_REJECTS),
        ):
            try:
                if name == "hours" and text[name] == "":
                    raise ValueError(_("Hours are missing."))
                values[name] = (
                    parse_count(text[name], name, bound)
                    if bound
                    else hours.get_or_make(text[name], lambda t: parse_hours(t, "hours"))
                )
            except ValueError as error:
                row_problems.append(str(error))
        legacy = text["legacy"].lower()
        if legacy not in ("", "yes"):
            row_problems.append(
                _("Legacy is “yes” or empty, not “%(text)s”.") % {"text": text["legacy"]}
            )
        if not text["worker"]:
            row_problems.append(_("The worker is missing."))
        if not text["workshop"]:
            row_problems.append(_("The workshop is missing."))
        problems.extend(Problem(message, line) for message in row_problems)
        if not row_problems:
            parsed.append(
                _Row(
                    line,
                    values["date"],
                    *(texts.text(text[c]) for c in ("worker", "workshop", "product_sku")),
                    values["hours"],
                    values["pieces"],
                    values["rejects"],
                    texts.text(text["supervisor"]),
                    texts.text(text["supervisor_note"]),
                    legacy == "yes",
                )
            )
    return parsed, problems


def _resolve(rows, problems):
    """Rows to ``Entry`` objects in place (each row freed as its entry is made), looking up
    workers, workshops, SKUs and supervisors at once; a row naming an unknown one is dropped
    and reported."""
    workers = _lookup(Worker, "reference", {row.worker for row in rows})
    workshops = _lookup(Workshop, "slug", {row.workshop for row in rows})
    skus = _lookup(SKU, "code", {row.product_sku for row in rows if row.product_sku})
    users = _lookup(
        get_user_model(), "username", {row.supervisor for row in rows if row.supervisor}
    )
    for index, row in enumerate(rows):
        line, unknown = row.line, []
        worker = workers.get(row.worker)
        if worker is None:
            unknown.append(_("Unknown worker “%(text)s”.") % {"text": row.worker})
        workshop = workshops.get(row.workshop)
        if workshop is None:
            unknown.append(_("Unknown workshop “%(text)s”.") % {"text": row.workshop})
        sku = skus.get(row.product_sku) if row.product_sku else None
        if row.product_sku and sku is None:
            unknown.append(_("Unknown SKU “%(text)s”.") % {"text": row.product_sku})
        supervisor = users.get(row.supervisor) if row.supervisor else None
        if row.supervisor and supervisor is None:
            unknown.append(_("Unknown supervisor “%(text)s”.") % {"text": row.supervisor})
        if unknown:
            problems.extend(Problem(message, line) for message in unknown)
            rows[index] = None
            continue
        rows[index] = Entry(
            worker=worker,
            workshop=workshop,
            day=row.day,
            sku=sku,
            hours=row.hours,
            pieces=row.pieces,
            rejects=row.rejects,
            supervisor=supervisor,
            supervisor_note=row.supervisor_note,
            legacy=row.legacy,
            line=line,
        )
    rows[:] = [entry for entry in rows if entry is not None]
    return rows


def _scope_problems(entries, user):
    """A supervisor imports only for the workshops they supervise on each row's day."""
    if user is None or user.has_perm(ANY_WORKSHOP):
        return []
    allowed = {}
    problems = []
    for entry in entries:
        key = (entry.workshop.pk, entry.day)
        if key not in allowed:
            allowed[key] = supervised_workshops(user, entry.day).filter(pk=entry.workshop.pk)
            allowed[key] = allowed[key].exists()
        if not allowed[key]:
            problems.append(
                Problem(
                    _("You do not supervise %(workshop)s on %(day)s.")
                    % {"workshop": entry.workshop.slug, "day": format_day(entry.day)},
                    entry.line,
                )
            )
    return problems


def import_production(
    data: bytes,
    *,
    file_name: str,
    allow_legacy: bool = False,
    dry_run: bool = False,
    user=None,
    today: datetime.date | None = None,
    progress=None,
) -> ImportResult:
    """Check ``data`` (a CSV or XLSX production file) and, unless ``dry_run``, save every row in
    one transaction. Raises ``ProductionRefused`` (nothing saved) listing the problems: all of
    them, or the first ``REPORTED_PROBLEMS`` in line order and how many more there are."""
    today = today or timezone.localdate()
    if len(data) > MAX_IMPORT_BYTES:
        raise ProductionRefused(
            [
                Problem(
                    _("The file is %(size)s MiB; the limit is %(limit)s MiB.")
                    % {
                        "size": f"{len(data) / 1024 / 1024:.2f}",
                        "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                    }
                )
            ]
        )
    if not data:
        raise ProductionRefused([Problem(_("The file is empty."))])
    kind = detect_kind(data)
    if kind not in (CSV, XLSX):
        raise ProductionRefused([Problem(_("The file is neither CSV nor XLSX."))])
    try:
        parsed, problems = _parse(read_rows(data, kind.code))
    except FileRefused as refused:
        raise ProductionRefused([Problem(str(refused))]) from None
    if not parsed and not problems:
        raise ProductionRefused([Problem(_("The file has a header but no rows."))])
    entries = _resolve(parsed, problems)
    problems.extend(_scope_problems(entries, user))
    with transaction.atomic():
        # The checks and the save see the same hours: another import, a grid save, an adjustment
        # or attendance of these workers waits for this transaction (``lock_workers``).
        lock_workers(entry.worker.pk for entry in entries)
        problems.extend(check_entries(entries, today=today, allow_legacy=allow_legacy))
        if problems:
            raise ProductionRefused(problems)
        if dry_run:
            return ImportResult(rows=len(entries), dry_run=True, source=None)
        return _save(entries, data, file_name, allow_legacy, user, progress)


def _save(entries, data, file_name, allow_legacy, user, progress) -> ImportResult:
    source = ProductionImport.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(entries),
        legacy=allow_legacy,
        imported_by=user,
    )
    try:
        for start in range(0, len(entries), BATCH):
            ProductionRecord.objects.bulk_create(
                _record(entry, source=source) for entry in entries[start : start + BATCH]
            )
            if progress:
                progress(min(start + BATCH, len(entries)), len(entries))
    except IntegrityError as clash:
        raise ProductionRefused(
            [Problem(_("Some of these records were saved by someone else meanwhile; try again."))]
        ) from clash
    log(
        source,
        "bridgework.production_imported",
        user=user,
        data={
            "file": source.file_name,
            "sha256": source.sha256,
            "rows": source.rows,
            "legacy": allow_legacy,
            "workshops": sorted({entry.workshop.slug for entry in entries}),
        },
    )
    return ImportResult(rows=len(entries), dry_run=False, source=source)
