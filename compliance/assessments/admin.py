"""The back office's assessments (*Compliance → Assessments*), for auditors and programme managers
(``compliance.view_assessment``):

    the assessments                    listing: reference, subject, period, auditor, status,
                                       outcome, signed; filtered by status, outcome and kind
    Start an assessment                a partner or a workshop and a period (``start_assessment``)
    an assessment's page               its state and the outcome its open findings give; the
                                       summary; the findings by severity then rule, each with its
                                       figures, evidence and corrective action; observations with
                                       their attachments; responses; the sign-off; the report

Each form of the page posts to a URL of its own, whose view calls one operation of
``compliance.assessments.operations``: success returns to the page, a refusal comes back on the
form in words with nothing changed. Whoever may not work on the assessment (another auditor) sees
no form and is refused any POST with 403, the page showing why. A signed assessment shows only the
follow-up forms (closing corrective actions, recording responses). No assessment is ever edited or
deleted through Wagtail's generic views (``ReadOnlyPolicy``: view and add only).

Findings name their worker by the pseudonymous reference only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import Media
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from compliance.assessments import forms
from compliance.assessments import operations as ops
from compliance.assessments.charts import charts_for
from compliance.checks.admin import FINDING_FIELDS, READ_FINDINGS, REFRESH_SECONDS
from compliance.checks.admin import NAMESPACE as CHECKS
from compliance.models import (
    Assessment,
    CheckFinding,
    CorrectiveAction,
    Observation,
    Outcome,
    Response,
)
from compliance.models.checks import SEVERITY_ORDER, Severity
from compliance.viewsets import InCompliance
from core.columns import DateColumn
from core.formatting import format_day, person_name
from core.permissions import register_read_only
from core.viewsets import InspectView, OperationCreateView, ScopedIndexView

NAMESPACE = "compliance_assessment"
ASSESSMENT_FILES = "assessment"  # the purpose the operations store attachments under


def assessment_file_access(user):
    """Who reads assessments reads their attachments and closure evidence (core.private_files)."""
    if user.has_perm("compliance.view_assessment"):
        return Q(purpose=ASSESSMENT_FILES)
    return None


class StartAssessmentView(OperationCreateView):
    permission_required = "add"
    page_title = gettext_lazy("Start an assessment")
    submit_button_label = gettext_lazy("Start the assessment")
    submit_button_active_label = gettext_lazy("Starting…")

    def get_form_class(self):
        return forms.StartAssessmentForm

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)

    def run_operation(self, data):
        kind = data["kind"]
        return ops.start_assessment(
            user=self.request.user,
            kind=kind,
            slug=data[kind].slug,
            start=data["start"],
            end=data["end"],
        )

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_message(self, instance):
        return _("Assessment %(reference)s of %(subject)s has started.") % {
            "reference": instance.reference,
            "subject": instance.subject,
        }


# The page's forms: who may use each (besides reading the assessment), whether it closes with the
# sign-off, and the operation it calls with the cleaned data.
def _may_sign(user, assessment) -> bool:
    return assessment.auditor_id == user.pk and user.has_perm(ops.SIGN)


def _refusal(assessment) -> str:
    return _("Assessment %(reference)s is %(auditor)s's: you may read it, not change it.") % {
        "reference": assessment.reference,
        "auditor": assessment.auditor,
    }


def _save_summary(view, form):
    ops.update_summary(
        user=view.request.user, assessment=view.object, summary=form.cleaned_data["summary"]
    )
    return _("The summary is saved.")


def _add_observation(view, form):
    data = form.cleaned_data
    ops.add_observation(
        user=view.request.user,
        assessment=view.object,
        kind=data["kind"],
        observed_on=data["observed_on"],
        text=data["text"],
        files=data["files"],
    )
    return _("The observation is recorded.")


def _set_action(view, form):
    data = form.cleaned_data
    ops.set_corrective_action(
        user=view.request.user,
        assessment=view.object,
        finding=view.finding,
        what=data["what"],
        owner=data["owner"],
        due_on=data["due_on"],
        set_on=data["set_on"],
    )
    return _("The corrective action for %(code)s is set.") % {"code": view.finding.code}


def _close_action(view, form):
    data = form.cleaned_data
    ops.close_action(
        user=view.request.user,
        action=view.action,
        closed_on=data["closed_on"],
        note=data["note"],
        files=data["files"],
    )
    return _("The corrective action for %(code)s is closed.") % {"code": view.action.finding.code}


def _record_response(view, form):
    data = form.cleaned_data
    ops.record_response(
        user=view.request.user,
        assessment=view.object,
        received_on=data["received_on"],
        responder=data["responder"],
        text=data["text"],
        action=data["action"],
        document=data["document"],
    )
    return _("The response is recorded.")


def _sign(view, form):
    assessment = ops.sign_assessment(
        user=view.request.user,
        assessment=view.object,
        outcome=form.cleaned_data["outcome"],
        reason=form.cleaned_data["reason"],
    )
    return _("Assessment %(reference)s is signed: %(outcome)s.") % {
        "reference": assessment.reference,
        "outcome": assessment.get_outcome_display(),
    }


FORMS = {
    # name: (form class, may use, only while in progress, operation)
    "summary": (forms.SummaryForm, ops.may_work_on, True, _save_summary),
    "observation": (forms.ObservationForm, ops.may_work_on, True, _add_observation),
    "set_action": (forms.CorrectiveActionForm, ops.may_work_on, True, _set_action),
    "close_action": (forms.CloseActionForm, ops.may_follow_up, False, _close_action),
    "response": (forms.ResponseForm, ops.may_follow_up, False, _record_response),
    "sign": (forms.SignForm, _may_sign, True, _sign),
}


def _findings(assessment) -> list[CheckFinding]:
    """The snapshot's findings, the most serious first, then by rule."""
    rows = (
        CheckFinding.objects.filter(check_run_id=assessment.check_run_id)
        .select_related("worker")
        .only(*FINDING_FIELDS, "worker__reference")
    )
    return sorted(
        rows, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.start, f.scope, f.pk)
    )


def _by_severity_and_rule(findings) -> list[dict]:
    groups = []
    for finding in findings:
        if not groups or groups[-1]["severity"] != finding.severity:
            groups.append(
                {
                    "severity": finding.severity,
                    "label": capfirst(Severity(finding.severity).label),
                    "rules": [],
                }
            )
        rules = groups[-1]["rules"]
        if not rules or rules[-1]["code"] != finding.code:
            rules.append({"code": finding.code, "findings": []})
        rules[-1]["findings"].append(finding)
    return groups


class AssessmentView(InspectView):
    """An assessment's page; with ``form_name``, the URL its form of that name posts to."""

    template_name = "compliance/assessments/inspect.html"
    page_title = gettext_lazy("Assessment")
    form_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Assessment.objects.select_related(
                "partner",
                "workshop",
                "auditor",
                "signed_by",
                "supersedes",
                "check_run__job__requested_by",
            ),
            pk=self.pk,
        )

    def get_fields(self):
        return []

    def get_page_subtitle(self):
        return f"{self.object.reference} · {self.object.subject}"

    def get(self, request, *args, **kwargs):
        if self.form_name is not None:
            return HttpResponseNotAllowed(["POST"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.form_name is None:
            return HttpResponseNotAllowed(["GET"])
        _form_class, may_use, _open_only, operation = FORMS[self.form_name]
        assessment = self.object
        prefix = None
        if self.form_name == "set_action":
            self.finding = get_object_or_404(
                CheckFinding, pk=self.kwargs["finding"], check_run_id=assessment.check_run_id
            )
            prefix = f"finding-{self.finding.pk}"
        elif self.form_name == "close_action":
            self.action = get_object_or_404(
                CorrectiveAction.objects.select_related("finding"),
                pk=self.kwargs["action"],
                assessment=assessment,
            )
            prefix = f"close-{self.action.pk}"
        key = prefix or self.form_name
        if not may_use(request.user, assessment):
            return self.refused(key, None, _refusal(assessment), status=403)
        form = self.build_form(self.form_name, prefix, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.refused(key, form, None)
        try:
            message = operation(self, form)
        except PermissionDenied as refused:
            return self.refused(key, form, str(refused), status=403)
        except ValidationError as refused:
            form.add_error(None, refused.messages)
            return self.refused(key, form, None)
        messages.success(request, message)
        return redirect(f"{NAMESPACE}:inspect", assessment.pk)

    def refused(self, key, form, message, status=200):
        """The page again, the posted form bound with its errors; a 403 shows the refusal alone
        (the page's findings and charts are not for someone refused)."""
        if status == 403:
            return TemplateResponse(
                self.request,
                "compliance/assessments/refused.html",
                {
                    "refusal": message,
                    "assessment": self.object,
                    "back": reverse(f"{NAMESPACE}:inspect", args=[self.object.pk]),
                },
                status=403,
            )
        self.bound = {key: form} if form is not None else {}
        self.refusal = message
        self.refused_form = key
        context = self.get_context_data(**self.kwargs)
        return self.render_to_response(context, status=status)

    @cached_property
    def judgement(self):
        return ops.outcome_of(self.object)

    def build_form(self, name, prefix=None, **kwargs):
        form_class = FORMS[name][0]
        if name == "response":
            kwargs["actions"] = CorrectiveAction.objects.filter(
                assessment=self.object
            ).select_related("finding")
        if name == "summary":
            kwargs.setdefault("initial", {"summary": self.object.summary})
        if name == "sign":
            kwargs.setdefault("initial", {"outcome": self.judgement.outcome})
        return form_class(prefix=prefix, **kwargs)

    def form(self, name, prefix=None):
        """The page's form ``name`` if the reader may use it now, else None."""
        _form_class, may_use, open_only, _operation = FORMS[name]
        assessment = self.object
        bound = getattr(self, "bound", {})
        if (prefix or name) in bound:  # posted and refused: shown with its errors
            return bound[prefix or name]
        if open_only and assessment.is_signed:
            return None
        if not may_use(self.request.user, assessment):
            return None
        return self.build_form(name, prefix)

    def get_context_data(self, **kwargs):
        assessment, user = self.object, self.request.user
        context = super().get_context_data(**kwargs)
        findings = _findings(assessment)
        context["charts"] = charts_for(assessment)
        actions = {
            action.finding_id: action
            for action in CorrectiveAction.objects.filter(assessment=assessment)
            .select_related("set_by")
            .prefetch_related("closure_evidence")
        }
        today = timezone.localdate()
        may_read_findings = user.has_perm(READ_FINDINGS)
        for finding in findings:
            finding.worker_reference = finding.worker.reference if finding.worker_id else ""
            finding.page_url = (
                reverse(f"{CHECKS}:finding", args=[finding.check_run_id, finding.pk])
                if may_read_findings
                else ""
            )
            finding.action = action = actions.get(finding.pk)
            finding.action_form = None
            if action is None:
                finding.action_form = self.form("set_action", f"finding-{finding.pk}")
                finding.action_url = reverse(
                    f"{NAMESPACE}:set_action", args=[assessment.pk, finding.pk]
                )
            else:
                action.finding = finding
                action.overdue = action.state == CorrectiveAction.State.OPEN and (
                    action.due_on < today
                )
                action.close_form = (
                    self.form("close_action", f"close-{action.pk}")
                    if action.state == CorrectiveAction.State.OPEN
                    else None
                )
                action.close_url = reverse(
                    f"{NAMESPACE}:close_action", args=[assessment.pk, action.pk]
                )
        observations = (
            Observation.objects.filter(assessment=assessment)
            .prefetch_related("attachments")
            .select_related("recorded_by")
        )
        responses = Response.objects.filter(assessment=assessment).select_related(
            "document", "action__finding", "recorded_by"
        )
        check = assessment.check_run
        judgement = self.judgement
        shown = [self.form(name) for name in ("summary", "observation", "response", "sign")]
        media = Media()
        for form in shown:
            if form is not None:
                media += form.media
        for finding in findings:
            for form in (finding.action_form, getattr(finding.action, "close_form", None)):
                if form is not None:
                    media += form.media
        summary_form, observation_form, response_form, sign_form = shown
        context.update(
            assessment=assessment,
            check=check,
            job=check.job if check.finished_at is None else None,
            job_label=_("Running the rules"),
            job_unit=_("rules"),
            refresh_seconds=REFRESH_SECONDS,
            judgement=judgement,
            default_outcome_label=capfirst(Outcome(judgement.outcome).label),
            without_action_codes=sorted({f.code for f in judgement.without_action}),
            groups=_by_severity_and_rule(findings),
            findings_count=len(findings),
            open_actions=sum(1 for a in actions.values() if a.state == CorrectiveAction.State.OPEN),
            overdue_actions=sum(1 for a in actions.values() if getattr(a, "overdue", False)),
            observations=observations,
            responses=responses,
            summary_form=summary_form,
            observation_form=observation_form,
            response_form=response_form,
            sign_form=sign_form,
            form_media=media,
            may_work_on=ops.may_work_on(user, assessment) and not assessment.is_signed,
            refusal=getattr(self, "refusal", None),
            refused_form=getattr(self, "refused_form", None),
            auditor_name=person_name(assessment.auditor),
            signed_by_name=person_name(assessment.signed_by),
            period=f"{format_day(assessment.start)} – {format_day(assessment.end)}",
            check_url=reverse(f"{CHECKS}:inspect", args=[check.pk])
            if user.has_perm("compliance.view_compliancecheck")
            else "",
            report_url=reverse(f"{NAMESPACE}:report", args=[assessment.pk]),
            urls={
                name: reverse(f"{NAMESPACE}:{name}", args=[assessment.pk])
                for name in ("summary", "observation", "response", "sign")
            },
        )
        return context


def report_view_proxy(request, pk):
    """The assessment's PDF report (``compliance.assessments.report``), imported when asked for so
    that its PDF machinery loads only then."""
    if not request.user.has_perm("compliance.view_assessment"):
        return permission_denied(request)
    from compliance.assessments.report import report_view

    return report_view(request, pk)


class AssessmentIndexView(ScopedIndexView):
    add_item_label = gettext_lazy("Start an assessment")


def _period(assessment) -> str:
    return f"{format_day(assessment.start)} – {format_day(assessment.end)}"


class AssessmentViewSet(InCompliance, ModelViewSet):
    model = Assessment
    icon = "clipboard-list"
    menu_label = gettext_lazy("Assessments")
    index_view_class = AssessmentIndexView
    add_view_class = StartAssessmentView
    inspect_view_class = AssessmentView
    inspect_template_name = "compliance/assessments/inspect.html"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["kind", "start", "end"]
    list_display = [
        "reference",
        Column("subject", label=gettext_lazy("Partner or workshop")),
        Column("period", label=gettext_lazy("Period"), accessor=_period, classname="bw-nowrap"),
        "auditor",
        "status",
        "outcome",
        DateColumn("signed_at", label=gettext_lazy("Signed")),
    ]
    list_filter = ["status", "outcome", "kind"]
    add_to_admin_menu = False

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        register_read_only(Assessment, also=("add",))

    def get_queryset(self, request):
        return Assessment.objects.select_related("partner", "workshop", "auditor")

    def form_view(self, name, **kwargs):
        return self.construct_view(
            AssessmentView, **self.get_inspect_view_kwargs(), form_name=name, **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/summary/", self.form_view("summary"), name="summary"),
            path("<int:pk>/observations/", self.form_view("observation"), name="observation"),
            path(
                "<int:pk>/findings/<int:finding>/action/",
                self.form_view("set_action"),
                name="set_action",
            ),
            path(
                "<int:pk>/actions/<int:action>/close/",
                self.form_view("close_action"),
                name="close_action",
            ),
            path("<int:pk>/responses/", self.form_view("response"), name="response"),
            path("<int:pk>/sign/", self.form_view("sign"), name="sign"),
            path("<int:pk>/report.pdf", report_view_proxy, name="report"),
        ]
