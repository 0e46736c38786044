"""Back-office screens for production: choose a workshop and day, the daily grid, the file
upload (the same importer as ``import_production``), the export, and adjusting a locked record.
Each screen calls the operations in ``workshops.production``; none holds a rule of its own."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput

from core.uploads import CSV, XLSX, UploadRefused, check_upload
from workshops.access import (
    ANY_WORKSHOP,
    can_record,
    supervised_workshops,
    visible_workshops,
    workshop_policy,
)
from workshops.models import ProductionRecord, Workshop
from workshops.production import (
    MAX_IMPORT_BYTES,
    Problem,
    ProductionRefused,
    adjust_production,
    import_production,
)
from workshops.production.exporter import export_rows, production_for_export
from workshops.production.spreadsheet import write_csv, write_xlsx
from workshops.views import PermissionCheckedView


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


class AdjustView(PermissionCheckedView):
    """Change a locked record through a production adjustment: open to those who record for some
    workshop, for a record of a workshop that is theirs on the record's day."""

    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request, record_id):
        record = get_object_or_404(
            ProductionRecord.objects.select_related("worker", "workshop", "sku", "locked__lock"),
            pk=record_id,
        )
        if not can_record(request.user, record.workshop, record.day):
            return permission_denied(request)
        return _adjust(request, record)


adjust = AdjustView.as_view()


def _adjust(request, record):
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
