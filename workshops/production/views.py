"""Back-office screens for production: choose a workshop and day, the daily grid, the file
upload (the same importer as ``import_production``), the export, and adjusting a locked record.
Each screen calls the operations in ``workshops.production``; none holds a rule of its own."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput

from core.formatting import format_date
from core.uploads import CSV, XLSX, UploadRefused, check_upload
from workshops.access import (
    ANY_WORKSHOP,
    can_record,
    supervised_workshops,
    visible_workshops,
    workshop_policy,
)
from workshops.bounds import PRODUCTION_PIECES, PRODUCTION_REJECTS
from workshops.models import ProductionRecord, Workshop
from workshops.production import (
    MAX_IMPORT_BYTES,
    Entry,
    Problem,
    ProductionRefused,
    adjust_production,
    import_production,
    load_grid,
    save_grid,
)
from workshops.production.exporter import export_rows, production_for_export
from workshops.production.importer import parse_count, parse_hours
from workshops.production.spreadsheet import write_csv, write_xlsx
from workshops.views import PermissionCheckedView

may_record = workshop_policy.may_record_anywhere


class ChooseDayForm(forms.Form):
    workshop = forms.ModelChoiceField(label=gettext_lazy("Workshop"), queryset=Workshop.objects)
    day = forms.DateField(label=gettext_lazy("Day"), widget=AdminDateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = supervised_workshops(user).order_by("name")


class ChooseDayView(PermissionCheckedView):
    """Step one: which workshop and which day (today by default)."""

    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request):
        form = ChooseDayForm(
            request.GET if "workshop" in request.GET else None,
            user=request.user,
            initial={"day": timezone.localdate()},
        )
        if form.is_bound and form.is_valid():
            return redirect(
                "production_grid",
                workshop_id=form.cleaned_data["workshop"].pk,
                day=form.cleaned_data["day"].isoformat(),
            )
        return TemplateResponse(request, "workshops/production/choose.html", {"form": form})


choose = ChooseDayView.as_view()


def _cell_name(kind, worker, sku) -> str:
    return f"{kind}-{worker.pk}-{sku.pk if sku else 't'}"


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
            label = f"{worker} · {sku.code if sku else _('hours')}"
            try:
                if not raw["h"]:
                    raise ValueError(_("Hours are missing."))
                hours = parse_hours(raw["h"], _("hours"))
                pieces = parse_count(raw["p"], _("pieces"), PRODUCTION_PIECES)
                rejects = parse_count(raw["r"], _("rejects"), PRODUCTION_REJECTS)
            except ValueError as error:
                problems.append(Problem(f"{label}: {error}", key=(worker.pk, sku)))
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


def _rows(grid, post=None):
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
                    "record": record,
                    "names": {kind: _cell_name(kind, worker, sku) for kind in "hpr"},
                    "values": values,
                }
            )
        if post is not None:
            note = post.get(f"note-{worker.pk}", "")
        rows.append({"worker": worker, "cells": cells, "note": note})
    return rows


def grid(request, workshop_id, day):
    """The daily grid. Saved as a whole in one request (``save_grid``), or refused as a whole."""
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:
        return redirect("production_choose")
    if not may_record(request.user) or not can_record(request.user, workshop, day):
        return permission_denied(request)
    loaded = load_grid(workshop, day)
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
                messages.success(
                    request,
                    _(
                        "Saved %(workshop)s on %(day)s: %(created)s new, %(corrected)s corrected, "
                        "%(removed)s removed."
                    )
                    % {
                        "workshop": workshop,
                        "day": day,
                        "created": saved.created,
                        "corrected": saved.corrected,
                        "removed": saved.removed,
                    },
                )
                return redirect("production_grid", workshop_id=workshop.pk, day=day.isoformat())
    context = {
        "heading": f"{workshop} · {format_date(day)}",
        "version": request.POST.get("version") if problems else loaded.version,
        "grid": loaded,
        "rows": _rows(loaded, request.POST if problems else None),
        "problems": problems,
        "more_problems": more,
        "problem_count": len(problems) + more,
        "previous_day": (day - datetime.timedelta(days=1)).isoformat(),
        "next_day": (day + datetime.timedelta(days=1)).isoformat(),
        "is_future": day > timezone.localdate(),
    }
    return TemplateResponse(
        request, "workshops/production/grid.html", context, status=400 if problems else 200
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "Header: date,worker,workshop,product_sku,hours,pieces,rejects,supervisor,"
            "supervisor_note,legacy"
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file (save nothing)"), required=False
    )
    legacy = forms.BooleanField(
        label=gettext_lazy("Accept legacy rows (history from before Bridgework)"),
        required=False,
        help_text=gettext_lazy("Legacy rows skip the consent and fitness checks."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm(ANY_WORKSHOP):
            del self.fields["legacy"]


class UploadView(PermissionCheckedView):
    """The admin upload: the same importer as ``manage.py import_production``."""

    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request):
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        problems, more, status = [], 0, 200
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                check_upload(uploaded, allowed=(CSV, XLSX), max_bytes=MAX_IMPORT_BYTES)
                result = import_production(
                    uploaded.read(),
                    file_name=uploaded.name,
                    allow_legacy=form.cleaned_data.get("legacy", False),
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                )
            except UploadRefused as refused:
                problems, status = [Problem(str(refused))], 400
            except ProductionRefused as refused:
                problems, more, status = refused.problems, refused.more, 400
            else:
                if result.dry_run:
                    messages.success(
                        request,
                        _("%(rows)s row(s) checked: all would be accepted. Nothing was saved.")
                        % {"rows": result.rows},
                    )
                else:
                    messages.success(
                        request, _("%(rows)s record(s) imported.") % {"rows": result.rows}
                    )
                return redirect("production_upload")
        elif request.method == "POST":
            status = 400
        return TemplateResponse(
            request,
            "workshops/production/upload.html",
            {
                "form": form,
                "problems": problems,
                "more_problems": more,
                "problem_count": len(problems) + more,
            },
            status=status,
        )


upload = UploadView.as_view()


class ExportForm(forms.Form):
    workshop = forms.ModelChoiceField(label=gettext_lazy("Workshop"), queryset=Workshop.objects)
    start = forms.DateField(label=gettext_lazy("From"), widget=AdminDateInput)
    end = forms.DateField(label=gettext_lazy("Until"), widget=AdminDateInput)
    kind = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = visible_workshops(user).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError(_("The end comes before the start."))
        return cleaned


class ExportView(PermissionCheckedView):
    """Download a workshop's records in the import format."""

    model = ProductionRecord
    permission_required = "view"

    def handle(self, request):
        form = ExportForm(request.GET if "workshop" in request.GET else None, user=request.user)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            rows = export_rows(
                production_for_export(
                    workshops=[data["workshop"]], start=data["start"], end=data["end"]
                )
            )
            kind = data["kind"]
            content = write_xlsx(rows) if kind == "xlsx" else write_csv(rows)
            response = HttpResponse(
                content, content_type=(XLSX if kind == "xlsx" else CSV).content_type
            )
            name = f"production-{data['workshop'].slug}-{data['start']}-{data['end']}.{kind}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return TemplateResponse(
            request,
            "workshops/production/export.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )


export = ExportView.as_view()


class AdjustmentForm(forms.Form):
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"), max_digits=4, decimal_places=2, min_value=0, max_value=24
    )
    pieces = forms.IntegerField(label=gettext_lazy("Accepted pieces"), min_value=0)
    rejects = forms.IntegerField(label=gettext_lazy("Rejected pieces"), min_value=0)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def adjust(request, record_id):
    """Change a locked record through a production adjustment."""
    record = get_object_or_404(
        ProductionRecord.objects.select_related("worker", "workshop", "sku", "locked__lock"),
        pk=record_id,
    )
    if not may_record(request.user) or not can_record(request.user, record.workshop, record.day):
        return permission_denied(request)
    form = AdjustmentForm(
        request.POST or None,
        initial={"hours": record.hours, "pieces": record.pieces, "rejects": record.rejects},
    )
    if request.method == "POST" and form.is_valid():
        try:
            adjust_production(record=record, user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("The adjustment was recorded; the next regular pay run settles it."),
            )
            return redirect(
                reverse(
                    "production_grid",
                    kwargs={"workshop_id": record.workshop_id, "day": record.day.isoformat()},
                )
            )
    return TemplateResponse(
        request,
        "workshops/production/adjust.html",
        {"form": form, "record": record},
        status=400 if form.errors else 200,
    )
