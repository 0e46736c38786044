"""The compliance dashboard (*Compliance → Dashboard*), for auditors and programme managers
(``compliance.view_assessment``; anyone else gets 403):

- every partner and workshop with its fairness status, since when, and its latest assessment;
- the open findings of its current assessment (signed or in progress) by rule and severity;
- the corrective actions overdue, and the grievances unanswered past their time (Mandela Rules
  56-57), workers named by reference only;
- the trend of findings over its last assessments, as a small inline SVG chart.

It drills down from a partner to its latest assessment's page, from a count to the findings of
that rule and severity, and from there to a finding's page and the records behind it. The reads
are ``compliance.assessments.selectors``: a fixed number of queries whatever the size.
``compliance.wagtail_hooks`` registers ``urls`` and ``menu_item``.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from compliance.assessments import selectors
from compliance.models.checks import Severity
from core.formatting import format_day

VIEW = "compliance.view_assessment"
READ_FINDINGS = "compliance.view_checkfinding"
READ_GRIEVANCES = "compliance.view_grievance"
URL_NAME = "compliance_dashboard"
MENU_HOOK = "register_compliance_menu_item"
CHECKS = "compliance_compliancecheck"

# The bars' colours, darkest for the gravest; every value is also written as text.
COLOURS = {Severity.CRITICAL: "#a4161a", Severity.MAJOR: "#b45309", Severity.MINOR: "#52606d"}
CHART_WIDTH, CHART_HEIGHT = 240, 120
TOP, BOTTOM = 16, 22  # room for each bar's total above it and its date below


def assessment_url(pk: int, check_run_id: int) -> str:
    """The assessment's own page; until that screen is registered, its check's page."""
    try:
        return reverse("compliance_assessment:inspect", args=[pk])
    except NoReverseMatch:
        return reverse(f"{CHECKS}:inspect", args=[check_run_id])


def _describe(summary: selectors.AssessmentSummary) -> str:
    counts = summary.by_severity
    return _(
        "%(reference)s, %(day)s (%(status)s): %(critical)d critical, %(major)d major, "
        "%(minor)d minor"
    ) % {
        "reference": summary.reference,
        "day": format_day(summary.on),
        "status": summary.status_label,
        "critical": counts[Severity.CRITICAL],
        "major": counts[Severity.MAJOR],
        "minor": counts[Severity.MINOR],
    }


def trend_svg(row: selectors.SubjectRow) -> str:
    """The findings of the subject's last assessments, oldest to newest, as stacked bars (most
    serious at the bottom) with each bar's total above it and its month below. The ``<title>``
    names the chart and the ``<desc>`` gives every figure, for a screen reader."""
    trend = row.trend
    ident = f"trend-{row.key}"
    title = _("Findings of the last assessments of %(subject)s") % {"subject": row.subject}
    if trend:
        desc = "; ".join(_describe(summary) for summary in trend) + "."
    else:
        desc = _("No assessment yet.")
    slot = (CHART_WIDTH - 8) / selectors.TREND_LENGTH
    bar_width = slot * 0.55
    plot = CHART_HEIGHT - TOP - BOTTOM
    highest = max([summary.total for summary in trend] + [1])
    shapes = []
    for index, summary in enumerate(trend):
        x = 4 + index * slot + (slot - bar_width) / 2
        base = CHART_HEIGHT - BOTTOM
        for severity in selectors.SEVERITIES:
            count = summary.by_severity[severity]
            if not count:
                continue
            height = plot * count / highest
            base -= height
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                    f"{x:.1f}",
                    f"{base:.1f}",
                    f"{bar_width:.1f}",
                    f"{height:.1f}",
                    COLOURS[severity],
                )
            )
        middle = f"{x + bar_width / 2:.1f}"
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                middle,
                f"{base - 3:.1f}",
                summary.total,
            )
        )
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>',
                middle,
                CHART_HEIGHT - 6,
                f"{summary.on:%Y-%m}",
            )
        )
    axis = format_html(
        '<line x1="2" x2="{}" y1="{}" y2="{}" stroke="currentColor"></line>',
        CHART_WIDTH - 2,
        CHART_HEIGHT - BOTTOM,
        CHART_HEIGHT - BOTTOM,
    )
    return format_html(
        '<svg class="bw-trend" xmlns="http://www.w3.org/2000/svg" role="img" width="{w}" '
        'height="{h}" viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{shapes}{axis}</svg>",
        w=CHART_WIDTH,
        h=CHART_HEIGHT,
        id=ident,
        title=title,
        desc=desc,
        shapes=format_html_join("", "{}", ((shape,) for shape in shapes)),
        axis=axis,
    )


def _findings_url(summary, code, severity) -> str:
    base = reverse(f"{CHECKS}:findings", args=[summary.check_run_id])
    return f"{base}?{urlencode({'code': code, 'severity': severity})}"


def _decorate(row: selectors.SubjectRow, may_read_findings: bool) -> selectors.SubjectRow:
    row.chart = trend_svg(row)
    for summary in row.assessments:
        summary.url = assessment_url(summary.pk, summary.check_run_id)
    current = row.current
    row.open_counts = current.open_by_severity() if current else None
    row.open_rules = []
    if current:
        for code, counts in current.open_by_rule():
            cells = [
                (
                    count,
                    _findings_url(current, code, severity) if count and may_read_findings else "",
                )
                for severity, count in zip(selectors.SEVERITIES, counts, strict=True)
            ]
            row.open_rules.append((code, cells, sum(counts)))
    return row


def dashboard(request):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    may_read_findings = request.user.has_perm(READ_FINDINGS)
    partners, workshops = selectors.subjects()
    partners = [_decorate(row, may_read_findings) for row in partners]
    workshops = [_decorate(row, may_read_findings) for row in workshops]
    actions = selectors.overdue_actions(today)
    for action in actions:
        action.assessment_link = assessment_url(
            action.assessment.pk, action.assessment.check_run_id
        )
        action.finding_link = (
            reverse(f"{CHECKS}:finding", args=[action.finding.check_run_id, action.finding.pk])
            if may_read_findings
            else ""
        )
    grievances = selectors.late_grievances(today)
    may_read_grievances = request.user.has_perm(READ_GRIEVANCES)
    for grievance in grievances:
        grievance.link = (
            reverse("compliance_grievance:inspect", args=[grievance.pk])
            if may_read_grievances
            else ""
        )
    assessed = [row for row in (*partners, *workshops) if row.assessments]
    return TemplateResponse(
        request,
        "compliance/assessments/dashboard.html",
        {
            "page_title": _("Compliance dashboard"),
            "today": today,
            "partners": partners,
            "workshops": workshops,
            "assessed": assessed,
            "actions": actions,
            "grievances": grievances,
            "severities": [Severity(severity).label for severity in selectors.SEVERITIES],
            "legend": [
                (Severity(severity).label, COLOURS[severity]) for severity in selectors.SEVERITIES
            ],
            "trend_length": selectors.TREND_LENGTH,
        },
    )


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


def menu_item():
    return DashboardMenuItem(
        gettext_lazy("Dashboard"), reverse(URL_NAME), icon_name="table", order=0
    )


def urls():
    return [path("compliance/dashboard/", dashboard, name=URL_NAME)]
