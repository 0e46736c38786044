"""What the compliance dashboard reads (``compliance.assessments.dashboard``), each in a fixed
number of queries whatever the number of partners, workshops, assessments and findings:

subjects() -> (partners, workshops)
    every partner and workshop with its fairness status, its last assessments (up to
    ``TREND_LENGTH``, ranked in the database) with their findings by severity, and the open
    findings by rule and severity of each (4 queries)
overdue_actions(today) -> [CorrectiveAction]
    open and due before today, the longest overdue first (1 query)
late_grievances(today) -> [LateGrievance]
    unanswered past the answer time of the thresholds in force when received, reckoned by the
    GRIEVANCES rule's own functions (``compliance.rules.grievances``) (2 queries)

A finding is open until its corrective action is closed (``compliance.assessments.operations``).
A partner's status is its own (``Partner.fairness``, set by signing); a workshop's is the outcome
of its signed assessment, or "not yet assessed". Workers appear by reference only.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from compliance.models import Assessment, CheckFinding, CorrectiveAction, Grievance
from compliance.models.checks import SEVERITY_ORDER, Severity
from compliance.rules.grievances import answer_limit, answer_limits, days_open
from workshops.models import Partner, Workshop

TREND_LENGTH = 5
SEVERITIES = sorted(Severity.values, key=lambda severity: SEVERITY_ORDER[severity])
NOT_ASSESSED = Partner.Fairness.NOT_ASSESSED


@dataclass
class AssessmentSummary:
    pk: int
    reference: str
    status: str
    check_run_id: int
    started_on: datetime.date
    signed_on: datetime.date | None
    outcome: str
    subject_key: str = ""  # "partner-<pk>" or "workshop-<pk>"
    by_severity: dict = field(default_factory=dict)  # every finding of its snapshot
    open: dict = field(default_factory=dict)  # (code, severity) -> open findings

    @property
    def on(self) -> datetime.date:
        """The day it was signed, or begun while in progress."""
        return self.signed_on or self.started_on

    @property
    def status_label(self) -> str:
        return Assessment.Status(self.status).label

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    def open_by_severity(self) -> dict:
        counts = dict.fromkeys(SEVERITIES, 0)
        for (_code, severity), count in self.open.items():
            counts[severity] += count
        return counts

    def open_by_rule(self) -> list[tuple[str, list[int]]]:
        """``[(code, [critical, major, minor])]``, the rules with the most serious first."""
        rules = defaultdict(lambda: dict.fromkeys(SEVERITIES, 0))
        for (code, severity), count in self.open.items():
            rules[code][severity] += count
        rows = [(code, [counts[s] for s in SEVERITIES]) for code, counts in rules.items()]
        return sorted(rows, key=lambda row: ([-count for count in row[1]], row[0]))


@dataclass
class SubjectRow:
    kind: str  # "partner" or "workshop"
    subject: Partner | Workshop
    status: str  # a Partner.Fairness value
    assessments: list = field(default_factory=list)  # newest first, up to TREND_LENGTH

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.subject.pk}"

    @property
    def status_label(self) -> str:
        return Partner.Fairness(self.status).label

    @property
    def latest(self) -> AssessmentSummary | None:
        return self.assessments[0] if self.assessments else None

    @property
    def signed(self) -> AssessmentSummary | None:
        """The signed assessment in force (a later signing supersedes it)."""
        return next((a for a in self.assessments if a.status == Assessment.Status.SIGNED), None)

    @property
    def status_since(self) -> datetime.date | None:
        signed = self.signed
        return signed.signed_on if signed else None

    @property
    def current(self) -> AssessmentSummary | None:
        """The latest assessment signed or in progress: its open findings are the ones shown."""
        return next((a for a in self.assessments if a.status != Assessment.Status.SUPERSEDED), None)

    @property
    def trend(self) -> list[AssessmentSummary]:
        return list(reversed(self.assessments))


def _last_assessments() -> list[AssessmentSummary]:
    """Each partner's and workshop's last assessments: one query, ranked in the database."""
    ranked = (
        Assessment.objects.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("partner_id"), F("workshop_id")],
                order_by=[F("started_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=TREND_LENGTH)
        .values_list(
            "pk",
            "reference",
            "status",
            "check_run_id",
            "started_at",
            "signed_at",
            "outcome",
            "partner_id",
            "workshop_id",
        )
        .order_by("-started_at", "-pk")
    )
    summaries = []
    for pk, reference, status, check, started, signed, outcome, partner, workshop in ranked:
        summary = AssessmentSummary(
            pk=pk,
            reference=reference,
            status=status,
            check_run_id=check,
            started_on=timezone.localdate(started),
            signed_on=timezone.localdate(signed) if signed else None,
            outcome=outcome,
            subject_key=f"partner-{partner}" if partner else f"workshop-{workshop}",
            by_severity=dict.fromkeys(SEVERITIES, 0),
        )
        summaries.append(summary)
    return summaries


def _count_findings(summaries: list[AssessmentSummary]) -> None:
    """Every finding by severity, and the open ones by rule and severity: one grouped query."""
    by_check = {summary.check_run_id: summary for summary in summaries}
    if not by_check:
        return
    closed = CorrectiveAction.objects.filter(
        finding=OuterRef("pk"), state=CorrectiveAction.State.CLOSED
    )
    groups = (
        CheckFinding.objects.filter(check_run_id__in=list(by_check))
        .annotate(closed=Exists(closed))
        .values_list("check_run_id", "code", "severity", "closed")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for check, code, severity, is_closed, count in groups:
        summary = by_check[check]
        summary.by_severity[severity] += count
        if not is_closed:
            summary.open[code, severity] = summary.open.get((code, severity), 0) + count


def subjects() -> tuple[list[SubjectRow], list[SubjectRow]]:
    """Every partner and every workshop, by name, with its status and last assessments."""
    summaries = _last_assessments()
    _count_findings(summaries)
    by_subject = defaultdict(list)
    for summary in summaries:
        by_subject[summary.subject_key].append(summary)
    partners = [
        SubjectRow("partner", partner, partner.fairness, by_subject[f"partner-{partner.pk}"])
        for partner in Partner.objects.only("pk", "name", "slug", "fairness").order_by("name")
    ]
    workshops = []
    for workshop in Workshop.objects.only("pk", "name", "slug").order_by("name"):
        row = SubjectRow("workshop", workshop, NOT_ASSESSED, by_subject[f"workshop-{workshop.pk}"])
        if row.signed:
            row.status = row.signed.outcome
        workshops.append(row)
    return partners, workshops


def overdue_actions(today: datetime.date) -> list[CorrectiveAction]:
    """Open corrective actions due before ``today``, the longest overdue first, each with
    ``days_overdue``."""
    actions = list(
        CorrectiveAction.objects.filter(state=CorrectiveAction.State.OPEN, due_on__lt=today)
        .select_related("assessment__partner", "assessment__workshop", "finding")
        .only(
            "pk",
            "owner",
            "due_on",
            "what",
            "assessment__reference",
            "assessment__kind",
            "assessment__check_run_id",
            "assessment__partner__name",
            "assessment__workshop__name",
            "finding__code",
            "finding__severity",
            "finding__check_run_id",
        )
        .order_by("due_on", "pk")
    )
    for action in actions:
        action.days_overdue = (today - action.due_on).days
    return actions


@dataclass
class LateGrievance:
    pk: int
    worker_reference: str
    about: str  # the partner's or workshop's name
    received_on: datetime.date
    category: str
    limit_days: int
    days_open: int
    link: str = ""  # its page, for a reader who may open it

    @property
    def days_late(self) -> int:
        return self.days_open - self.limit_days


def late_grievances(today: datetime.date) -> list[LateGrievance]:
    """Grievances not answered by ``today`` and open longer than the answer time in force when
    they were received (``compliance.rules.grievances``: the GRIEVANCES rule's own reckoning).
    One received when no thresholds were in force has no answer time: the rule reports it as
    missing data, and it is not counted late here."""
    limits = answer_limits(today)
    if not limits:
        return []
    shortest = min(days for _day, days in limits)
    grievances = (
        Grievance.objects.filter(
            Q(answered_on__isnull=True) | Q(answered_on__gt=today),
            received_on__lt=today - datetime.timedelta(days=shortest),
        )
        .select_related("worker", "partner", "workshop")
        .only(
            "pk",
            "received_on",
            "category",
            "worker__reference",
            "partner__name",
            "workshop__name",
        )
        .order_by("received_on", "pk")
    )
    late = []
    for grievance in grievances:
        limit = answer_limit(limits, grievance.received_on)
        days = days_open(grievance.received_on, None, today)
        if limit is None or days <= limit:
            continue
        about = grievance.partner or grievance.workshop
        if grievance.partner_id and grievance.workshop_id:
            about = f"{grievance.partner.name} · {grievance.workshop.name}"
        late.append(
            LateGrievance(
                pk=grievance.pk,
                worker_reference=grievance.worker.reference,
                about=str(about),
                received_on=grievance.received_on,
                category=grievance.get_category_display(),
                limit_days=limit,
                days_open=days,
            )
        )
    return sorted(late, key=lambda item: (-item.days_late, item.pk))
