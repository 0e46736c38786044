"""The back office's compliance checks (*Compliance → Compliance checks*), for auditors and
programme managers (``compliance.view_compliancecheck``, ``compliance.run_compliancecheck``):

    the checks                         listing, newest first
    Run a check                        scope (partner, workshop, prison or the whole country) and
                                       period; ``start_check`` refuses in words
    a check's page                     its job's progress ("n of N rules"), then its findings
                                       counted by rule and severity
    its findings                       a Wagtail report: filters (rule, severity, worker
                                       reference), exported to CSV or XLSX
    a finding                          its detail, figures and evidence links

A finding names its worker by the pseudonymous reference only: no screen or export here reads a
legal name or prison number, whatever the reader's role.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from compliance.checks.operations import start_check
from compliance.models import CheckFinding, ComplianceCheck
from compliance.models.checks import SEVERITY_ORDER, Severity
from compliance.viewsets import InCompliance
from core.viewsets import InspectView, OperationCreateView, ScopedIndexView
from workshops.models import Partner, Prison, Workshop

NAMESPACE = "compliance_compliancecheck"
READ_FINDINGS = "compliance.view_checkfinding"
REFRESH_SECONDS = 3


class CheckPolicy(ModelPermissionPolicy):
    """View, and "add", which is running a check (``run_compliancecheck``); a check is never
    edited or deleted."""

    def user_has_permission(self, user, action):
        if action == "add":
            action = "run"
        return action in ("view", "run") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RunCheckForm(forms.ModelForm):
    partner = forms.ModelChoiceField(
        Partner.objects.order_by("name"), required=False, label=gettext_lazy("Partner")
    )
    workshop = forms.ModelChoiceField(
        Workshop.objects.order_by("name"), required=False, label=gettext_lazy("Workshop")
    )
    prison = forms.ModelChoiceField(
        Prison.objects.order_by("name"), required=False, label=gettext_lazy("Prison")
    )

    class Meta:
        model = ComplianceCheck
        fields = ["scope_kind", "partner", "workshop", "prison", "start", "end"]
        widgets = {"start": AdminDateInput, "end": AdminDateInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind = data.get("scope_kind")
        if kind and kind != ComplianceCheck.ScopeKind.ALL and not data.get(kind):
            self.add_error(
                kind,
                _("Choose the %(kind)s to check.")
                % {"kind": ComplianceCheck.ScopeKind(kind).label},
            )
        return data


class RunCheckView(OperationCreateView):
    permission_required = "add"
    page_title = gettext_lazy("Run a check")
    submit_button_label = gettext_lazy("Run the check")
    submit_button_active_label = gettext_lazy("Starting…")

    def get_form_class(self):
        return RunCheckForm

    def run_operation(self, data):
        kind = data["scope_kind"]
        target = data.get(kind) if kind != ComplianceCheck.ScopeKind.ALL else None
        return start_check(
            user=self.request.user,
            scope_kind=kind,
            slug=target.slug if target else "",
            start=data["start"],
            end=data["end"],
        )

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_message(self, instance):
        return _("The check of %(scope)s has started.") % {"scope": instance.scope}


def finding_groups(check: ComplianceCheck) -> list[dict]:
    """The check's findings counted by rule and severity, the most serious first."""
    rows = list(
        CheckFinding.objects.filter(check_run=check)
        .values("code", "severity")
        .annotate(count=Count("pk"))
    )
    return sorted(rows, key=lambda row: (SEVERITY_ORDER.get(row["severity"], 9), row["code"]))


class CheckInspectView(InspectView):
    template_name = "compliance/checks/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.object
        context.update(
            job=check.job,
            job_label=_("Running the rules"),
            job_unit=_("rules"),
            refresh_seconds=REFRESH_SECONDS,
            groups=finding_groups(check),
            findings_url=reverse(f"{NAMESPACE}:findings", args=[check.pk]),
            may_read_findings=self.request.user.has_perm(READ_FINDINGS),
        )
        return context


class FindingFilterSet(WagtailFilterSet):
    code = django_filters.CharFilter(label=gettext_lazy("Rule"), lookup_expr="iexact")
    severity = django_filters.ChoiceFilter(label=gettext_lazy("Severity"), choices=Severity.choices)
    worker = django_filters.CharFilter(
        label=gettext_lazy("Worker reference"),
        field_name="worker__reference",
        lookup_expr="iexact",
    )

    class Meta:
        model = CheckFinding
        fields = []


def _worker_reference(finding) -> str:
    return finding.worker.reference if finding.worker_id else ""


class FindingsView(ReportView):
    """One check's findings; exported with the same filters."""

    permission_policy = ModelPermissionPolicy(CheckFinding)
    permission_required = "view"
    header_icon = "tick-inverse"
    filterset_class = FindingFilterSet
    paginate_by = 50
    columns = [
        TitleColumn(
            "code",
            label=gettext_lazy("Rule"),
            get_url=lambda finding: reverse(
                f"{NAMESPACE}:finding", args=[finding.check_run_id, finding.pk]
            ),
        ),
        Column("severity", label=gettext_lazy("Severity"), accessor="get_severity_display"),
        Column("scope", label=gettext_lazy("Scope")),
        Column("worker_reference", label=gettext_lazy("Worker")),
        Column("period", label=gettext_lazy("Dates")),
        Column("detail", label=gettext_lazy("Detail"), accessor="sentence"),
    ]
    list_export = [
        "code",
        "severity",
        "scope",
        "worker_reference",
        "start",
        "end",
        "missing_data",
        "detail",
        "figures_text",
        "evidence_urls",
    ]
    export_headings = {
        "code": gettext_lazy("Rule"),
        "severity": gettext_lazy("Severity"),
        "scope": gettext_lazy("Scope"),
        "worker_reference": gettext_lazy("Worker"),
        "start": gettext_lazy("From"),
        "end": gettext_lazy("Until"),
        "missing_data": gettext_lazy("Missing data"),
        "detail": gettext_lazy("Detail"),
        "figures_text": gettext_lazy("Figures compared"),
        "evidence_urls": gettext_lazy("Evidence"),
    }

    def get_page_title(self):
        return _("Findings of the check of %(scope)s, %(start)s to %(end)s") % {
            "scope": self._check.scope,
            "start": self._check.start,
            "end": self._check.end,
        }

    @property
    def export_filename(self):
        return f"findings-{self.kwargs['pk']}"

    def get_index_url(self):
        return reverse(f"{NAMESPACE}:findings", args=[self.kwargs["pk"]])

    def get_index_results_url(self):
        return reverse(f"{NAMESPACE}:findings_results", args=[self.kwargs["pk"]])

    def get_queryset(self):
        self._check = get_object_or_404(ComplianceCheck, pk=self.kwargs["pk"])
        return (
            CheckFinding.objects.filter(check_run=self._check)
            .select_related("worker")
            .only(*FINDING_FIELDS, "worker__reference")
            # critical, major, minor sort as their order of gravity
            .order_by("severity", "code", "scope", "start", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for finding in rows:
            finding.worker_reference = _worker_reference(finding)
            finding.period = f"{finding.start} – {finding.end}"
            finding.figures_text = "; ".join(f"{k}: {v}" for k, v in finding.figures.items())
            finding.evidence_urls = " ".join(item["url"] for item in finding.evidence)
        return rows


# What the findings' pages read: never the worker's identity fields.
FINDING_FIELDS = (
    "pk",
    "check_run_id",
    "code",
    "severity",
    "scope",
    "worker_id",
    "start",
    "end",
    "detail",
    "missing_data",
    "figures",
    "evidence",
)


def finding_view(request, pk, finding):
    if not request.user.has_perm(READ_FINDINGS):
        raise PermissionDenied
    item = get_object_or_404(
        CheckFinding.objects.select_related("worker", "check_run").only(
            *FINDING_FIELDS,
            "worker__reference",
            "check_run__scope_kind",
            "check_run__scope_slug",
            "check_run__start",
            "check_run__end",
        ),
        pk=finding,
        check_run_id=pk,
    )
    return TemplateResponse(
        request,
        "compliance/checks/finding.html",
        {
            "finding": item,
            "worker_reference": _worker_reference(item),
            "page_title": _("Finding %(code)s") % {"code": item.code},
            "header_icon": "tick-inverse",
            "findings_url": reverse(f"{NAMESPACE}:findings", args=[pk]),
            "check_url": reverse(f"{NAMESPACE}:inspect", args=[pk]),
        },
    )


class CheckIndexView(ScopedIndexView):
    add_item_label = gettext_lazy("Run a check")


class ComplianceCheckViewSet(InCompliance, ModelViewSet):
    model = ComplianceCheck
    icon = "tick-inverse"
    menu_label = gettext_lazy("Compliance checks")
    index_view_class = CheckIndexView
    add_view_class = RunCheckView
    inspect_view_class = CheckInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["scope_kind", "start", "end"]
    list_display = ["requested_at", "scope", "start", "end", "requested_by", "findings_count"]
    list_filter = ["scope_kind"]
    add_to_admin_menu = False

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        register_permission_policy(ComplianceCheck, CheckPolicy(ComplianceCheck), exact_class=True)

    def get_queryset(self, request):
        return ComplianceCheck.objects.select_related("requested_by", "job")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/findings/", FindingsView.as_view(), name="findings"),
            path(
                "<int:pk>/findings/results/",
                FindingsView.as_view(results_only=True),
                name="findings_results",
            ),
            path("<int:pk>/findings/<int:finding>/", finding_view, name="finding"),
        ]
