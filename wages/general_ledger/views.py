"""The general-ledger export in the back office, for finance officers and auditors
(``wages.view_journal``): a period and a file (the journals, or the trial balance), downloaded as
CSV streamed row by row (``StreamingHttpResponse``); a reversed or future period, or an account
the chart's mapping leaves out, is refused in words on the form and nothing is downloaded."""

import csv

from django import forms
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import AdminDateInput

from wages.accounts.statements import check_period
from wages.general_ledger.chart import chart_path, load_chart
from wages.general_ledger.export import export_problems, journal_rows, trial_balance_rows
from wages.ledger.views import LEDGER_POLICY, VIEW_CODENAME

FILES = {"journals": journal_rows, "trial-balance": trial_balance_rows}


class ExportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=AdminDateInput)
    end = forms.DateField(label=gettext_lazy("Until"), widget=AdminDateInput)
    file = forms.ChoiceField(
        label=gettext_lazy("File"),
        choices=[
            ("journals", gettext_lazy("Journals: one row per entry")),
            ("trial-balance", gettext_lazy("Trial balance of the period")),
        ],
        widget=forms.RadioSelect,
        initial="journals",
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                check_period(data["start"], data["end"])
            except ValidationError as refused:
                self.add_error(None, refused)
        return data


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows):
    writer = csv.writer(_Echo(), lineterminator="\n")
    for row in rows:
        yield writer.writerow(row)


class GeneralLedgerView(PermissionCheckedMixin, View):
    permission_policy = LEDGER_POLICY
    permission_required = VIEW_CODENAME

    def get(self, request):
        if "start" not in request.GET:
            today = timezone.localdate()
            initial = {"start": today.replace(day=1), "end": today, "file": "journals"}
            return self.render(ExportForm(initial=initial))
        form = ExportForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            chart = load_chart()
            try:
                export_problems(start, end, chart)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                part = form.cleaned_data["file"]
                response = StreamingHttpResponse(
                    csv_stream(FILES[part](start, end, chart)), content_type="text/csv"
                )
                name = f"{part}-{start.isoformat()}-{end.isoformat()}.csv"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                response["Cache-Control"] = "no-store"
                return response
        return self.render(form)

    def render(self, form):
        return TemplateResponse(
            self.request,
            "wages/general_ledger.html",
            {"heading": _("General-ledger export"), "form": form, "chart": chart_path().name},
            status=400 if form.errors else 200,
        )
