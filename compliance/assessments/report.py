"""An assessment's report as a PDF (WeasyPrint, ``core.pdf``), in the reader's language.

    report_context(assessment, *, today=None) -> dict     what the template shows
    render_report(assessment, *, user, language) -> bytes
    report_view(request, pk)                              the download (login and
                                                          ``compliance.view_assessment``)

The report holds the summary and the outcome (with the outcome the findings gave and the reason
for another one), every finding of the snapshot grouped by severity then rule with its figures
and evidence references, the charts drawn as inline SVG (``compliance.assessments.charts``), the
auditor's observations, the corrective actions and their state, the responses, and the
sign-off; an unsigned assessment is marked as a draft on every page, a superseded one says by
which.

Workers appear by their pseudonymous reference only, whoever reads the report, even a reader
with ``workshops.view_worker_identity``: the issue allows a legal name only where the auditor's
work needs it, and nothing in a report does (findings, charts and actions are about what the
records show for a reference; whoever must act on a worker's case looks the reference up in the
register, where their permission is checked). A report is also a file that travels: a name in it
would outlive the permission of whoever downloaded it.
"""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.models import Assessment, CheckFinding, CorrectiveAction, Observation, Response
from compliance.models.checks import SEVERITY_ORDER, Severity
from compliance.rules import RULES
from core.i18n import active_language, check_language
from core.pdf import render_pdf
from core.private_files import PrivateFile

from .charts import charts_for

VIEW = "compliance.view_assessment"
TEMPLATE = "compliance/assessments/report.html"


def _findings(assessment):
    findings = sorted(
        CheckFinding.objects.filter(check_run_id=assessment.check_run_id).select_related("worker"),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.start, f.pk),
    )
    groups = []
    for severity, of_severity in groupby(findings, key=lambda f: f.severity):
        rules = [
            {"code": code, "title": _rule_title(code), "findings": list(of_rule)}
            for code, of_rule in groupby(of_severity, key=lambda f: f.code)
        ]
        groups.append({"severity": Severity(severity), "rules": rules})
    return findings, groups


def _by_name():
    return PrivateFile.objects.order_by("original_name", "created_at")


def _rule_title(code: str) -> str:
    rule = RULES.get(code)
    return str(rule.title) if rule is not None else ""


def _state(action: CorrectiveAction, today) -> str:
    if action.state == CorrectiveAction.State.CLOSED:
        return _("closed")
    return _("overdue") if action.due_on < today else _("open")


def report_context(assessment: Assessment, *, today=None) -> dict:
    """What the report shows; ``today`` decides which open actions are overdue. A fixed number
    of queries whatever the number of findings, actions and responses."""
    today = today or timezone.localdate()
    assessment = Assessment.objects.select_related(
        "partner", "workshop", "auditor", "signed_by", "supersedes", "check_run"
    ).get(pk=assessment.pk)
    superseded_by = Assessment.objects.filter(supersedes=assessment).first()
    findings, groups = _findings(assessment)
    actions = list(
        CorrectiveAction.objects.filter(assessment=assessment)
        .select_related("finding__worker")
        .prefetch_related(Prefetch("closure_evidence", queryset=_by_name()))
        .order_by("due_on", "pk")
    )
    for action in actions:
        action.shown_state = _state(action, today)
    by_finding = {action.finding_id: action for action in actions}
    for finding in findings:
        finding.action = by_finding.get(finding.pk)
        finding.figure_list = [
            (name.replace("_", " "), value)
            for name, value in sorted((finding.figures or {}).items())
        ]
    return {
        "assessment": assessment,
        "subject": assessment.subject,
        "superseded_by": superseded_by,
        "finding_count": len(findings),
        "groups": groups,
        "charts": charts_for(assessment),
        "observations": list(
            Observation.objects.filter(assessment=assessment)
            .prefetch_related(Prefetch("attachments", queryset=_by_name()))
            .order_by("observed_on", "pk")
        ),
        "actions": actions,
        "responses": list(
            Response.objects.filter(assessment=assessment)
            .select_related("action__finding", "document")
            .order_by("received_on", "pk")
        ),
        "today": today,
    }


def render_report(assessment: Assessment, *, user, language: str, today=None) -> bytes:
    """The report as PDF bytes, in ``language`` (one of the deployment's, else
    ``UnknownLanguage``): its words, numbers, dates and charts."""
    if user is None or not user.has_perm(VIEW):
        raise PermissionDenied(_("You may not read assessments."))
    language = check_language(language)
    with translation.override(language):
        context = report_context(assessment, today=today)
        return render_pdf(TEMPLATE, context, language=language)


@login_required
def report_view(request, pk):
    """The report as a download, in the reader's language; never cached (it is confidential)."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    assessment = get_object_or_404(Assessment, pk=pk)
    pdf = render_report(assessment, user=request.user, language=active_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"assessment-{assessment.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
