"""The daily grid: one workshop, one day, a row per worker assigned and a column per product
(or one column of hours for time-only work), saved as a whole by ``save_grid`` or refused as a
whole.

What the grid shows a supervisor:
- each column is a product by its name, with its SKU code beneath;
- each row is a worker by reference and by the name the workshop knows them by (``known_as``,
  kept in the register), shown to the supervisors of this workshop, who know the people in their
  own workshop, and to holders of ``view_worker_identity``; the legal name is never on the grid;
- a refusal lists every problem naming the worker and product it concerns, and marks the cells at
  fault (``aria-invalid``, described by the list of problems);
- a Sunday, the weekly rest day, is noted above the grid and in the message after saving.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from core.formatting import format_day
from workshops.access import can_record, workshop_policy
from workshops.bounds import PRODUCTION_PIECES, PRODUCTION_REJECTS
from workshops.models import Workshop
from workshops.production import Entry, Problem, ProductionRefused, load_grid, save_grid
from workshops.production.importer import parse_count, parse_hours
from workshops.views import PermissionCheckedView
from workshops.working_time import WEEKLY_REST_DAY


@dataclass
class ShownProblem:
    text: str
    cell: tuple | None  # (worker pk, SKU pk or None) of the cell at fault

    def __str__(self):
        return self.text


def _cell_name(kind, worker, sku) -> str:
    return f"{kind}-{worker.pk}-{sku.pk if sku else 't'}"


def _what(sku) -> str:
    return f"{sku.name} ({sku.code})" if sku else _("hours")


def _shown_note(grid, worker) -> str:
    """The note the grid shows for a worker's day: their records' note (one per record; the grid
    shows the last that is not empty)."""
    notes = [
        record.supervisor_note
        for sku in grid.columns
        if (record := grid.records.get((worker.pk, sku.pk if sku else None)))
        and record.supervisor_note
    ]
    return notes[-1] if notes else ""


def _cell_key(grid, worker, sku) -> tuple:
    """The same key as ``Entry.key``, so a problem found by the checks finds its cell."""
    return (worker.pk, grid.workshop.pk, grid.day, sku.pk if sku else None)


def _read_grid(post, grid):
    """The posted grid as entries, and the cells that could not be read. The row's note goes to
    the worker's new records, and to their unlocked records when it was changed; otherwise each
    record keeps its own note (an adjustment's reason, say)."""
    entries, problems = [], []
    for worker in grid.workers:
        note = post.get(f"note-{worker.pk}", "").strip()
        note_changed = note != _shown_note(grid, worker)
        for sku in grid.columns:
            raw = {kind: post.get(_cell_name(kind, worker, sku), "").strip() for kind in "hpr"}
            if not any(raw.values()):
                continue
            try:
                if not raw["h"]:
                    raise ValueError(_("Hours are missing."))
                hours = parse_hours(raw["h"], _("hours"))
                pieces = parse_count(raw["p"], _("pieces"), PRODUCTION_PIECES)
                rejects = parse_count(raw["r"], _("rejects"), PRODUCTION_REJECTS)
            except ValueError as error:
                problems.append(Problem(str(error), key=_cell_key(grid, worker, sku)))
                continue
            record = grid.records.get((worker.pk, sku.pk if sku else None))
            keeps_own = record is not None and (record.is_locked or not note_changed)
            entries.append(
                Entry(
                    worker=worker,
                    workshop=grid.workshop,
                    day=grid.day,
                    sku=sku,
                    hours=hours,
                    pieces=pieces,
                    rejects=rejects,
                    supervisor_note=record.supervisor_note if keeps_own else note,
                )
            )
    return entries, problems


def _shown(problems, grid) -> list[ShownProblem]:
    """Each problem as the grid shows it: a problem about one cell names its worker and product
    first (unless its message already does), and points at the cell."""
    cells = {
        _cell_key(grid, worker, sku): (worker, sku)
        for worker in grid.workers
        for sku in grid.columns
    }
    shown = []
    for problem in problems:
        cell = cells.get(problem.key)
        if cell is None:
            shown.append(ShownProblem(str(problem), None))
            continue
        worker, sku = cell
        text = str(problem)
        if worker.reference not in text:
            text = f"{worker.reference} · {_what(sku)}: {text}"
        shown.append(ShownProblem(text, (worker.pk, sku.pk if sku else None)))
    return shown


def _rows(grid, post=None, faults=frozenset(), names=None):
    """What the template draws: one row per worker, one cell per column."""
    rows = []
    for worker in grid.workers:
        cells, note = [], _shown_note(grid, worker)
        for sku in grid.columns:
            record = grid.records.get((worker.pk, sku.pk if sku else None))
            values = {
                kind: (post.get(_cell_name(kind, worker, sku), "") if post is not None else value)
                for kind, value in (
                    ("h", record.hours if record else ""),
                    ("p", record.pieces if record and sku else ""),
                    ("r", record.rejects if record and sku else ""),
                )
            }
            cells.append(
                {
                    "sku": sku,
                    "what": _what(sku),
                    "record": record,
                    "names": {kind: _cell_name(kind, worker, sku) for kind in "hpr"},
                    "values": values,
                    "fault": (worker.pk, sku.pk if sku else None) in faults,
                }
            )
        if post is not None:
            note = post.get(f"note-{worker.pk}", "")
        rows.append(
            {
                "worker": worker,
                "name": worker.known_as if names else "",
                "cells": cells,
                "note": note,
            }
        )
    return rows


def _grid(request, workshop, day):
    loaded = load_grid(workshop, day)
    rest_day = day.weekday() == WEEKLY_REST_DAY
    problems, more = [], 0
    if request.method == "POST":
        entries, problems = _read_grid(request.POST, loaded)
        for entry in entries:
            entry.supervisor = request.user
        if not problems:
            try:
                saved = save_grid(
                    workshop=workshop,
                    day=day,
                    entries=entries,
                    user=request.user,
                    version=request.POST.get("version") or None,  # the form always sends it
                )
            except ProductionRefused as refused:
                problems, more = refused.problems, refused.more
            except PermissionDenied:
                return permission_denied(request)
            else:
                message = _(
                    "Saved %(workshop)s on %(day)s: %(created)s new, %(corrected)s corrected, "
                    "%(removed)s removed."
                ) % {
                    "workshop": workshop,
                    "day": day,
                    "created": saved.created,
                    "corrected": saved.corrected,
                    "removed": saved.removed,
                }
                if rest_day and entries:
                    message += " " + _("Work was recorded on a Sunday, the weekly rest day.")
                messages.success(request, message)
                return redirect("production_grid", workshop_id=workshop.pk, day=day.isoformat())
    shown = _shown(problems, loaded)
    context = {
        "heading": f"{workshop} · {format_day(day)}",
        "version": request.POST.get("version") if problems else loaded.version,
        "grid": loaded,
        "rows": _rows(
            loaded,
            request.POST if problems else None,
            faults={problem.cell for problem in shown if problem.cell},
            names=workshop_policy.knows_people(request.user, workshop, day),
        ),
        "problems": shown,
        "more_problems": more,
        "problem_count": len(problems) + more,
        "previous_day": (day - datetime.timedelta(days=1)).isoformat(),
        "next_day": (day + datetime.timedelta(days=1)).isoformat(),
        "is_future": day > timezone.localdate(),
        "rest_day": rest_day,
    }
    return TemplateResponse(
        request, "workshops/production/grid.html", context, status=400 if problems else 200
    )


class GridView(PermissionCheckedView):
    """The daily grid. Saved as a whole in one request (``save_grid``), or refused as a whole.
    Open to those who record for some workshop; this workshop must be theirs on ``day``."""

    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request, workshop_id, day):
        workshop = get_object_or_404(Workshop, pk=workshop_id)
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            return redirect("production_choose")
        if not can_record(request.user, workshop, day):
            return permission_denied(request)
        return _grid(request, workshop, day)


grid = GridView.as_view()
