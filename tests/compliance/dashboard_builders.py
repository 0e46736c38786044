"""What the compliance dashboard's tests build: assessments written straight to the database (a
finished check, its findings, the assessment in the state wanted, its corrective actions), so a
test sets exactly the counts it then reads back; and grievances against the thresholds."""

import datetime

from django.utils import timezone

from compliance.models import (
    Assessment,
    CheckFinding,
    ComplianceCheck,
    ComplianceThresholds,
    CorrectiveAction,
    Grievance,
)
from tests.workshops.builders import build_partner, build_worker, build_workshop

D = datetime.date
DAY = datetime.timedelta(days=1)


def build_assessment(
    subject,
    *,
    auditor,
    reference: str,
    findings=(),
    status=Assessment.Status.SIGNED,
    outcome="",
    days_ago: int = 0,
):
    """An assessment of a partner or workshop begun ``days_ago`` (and signed that day unless in
    progress), whose snapshot holds ``findings``: ``(code, severity)`` pairs. Returns the
    assessment and its findings in that order."""
    kind = "partner" if subject._meta.model_name == "partner" else "workshop"
    when = timezone.now() - datetime.timedelta(days=days_ago)
    check = ComplianceCheck.objects.create(
        scope_kind=kind,
        scope_slug=subject.slug,
        start=D(2026, 1, 1),
        end=D(2026, 1, 31),
        requested_by=auditor,
        finished_at=when,
        findings_count=len(findings),
    )
    stored = [
        CheckFinding.objects.create(
            check_run=check,
            code=code,
            severity=severity,
            scope=f"{kind}:{subject.slug}",
            start=D(2026, 1, 5),
            end=D(2026, 1, 5),
            detail=f"{code} found",
        )
        for code, severity in findings
    ]
    assessment = Assessment.objects.create(
        reference=reference,
        kind=kind,
        **{kind: subject},
        start=D(2026, 1, 1),
        end=D(2026, 1, 31),
        check_run=check,
        auditor=auditor,
        summary="Seen.",
    )
    # begun and signed in one change while in progress: PostgreSQL's trigger freezes it after
    signed = {}
    if status != Assessment.Status.IN_PROGRESS:
        signed = {
            "status": status,
            "default_outcome": outcome,
            "outcome": outcome,
            "signed_by": auditor,
            "signed_at": when,
        }
    Assessment.objects.filter(pk=assessment.pk).update(started_at=when, **signed)
    assessment.refresh_from_db()
    return assessment, stored


def build_action(assessment, finding, *, auditor, due_in: int, closed: bool = False):
    """A corrective action set 30 days ago, due ``due_in`` days from today (negative: past)."""
    today = timezone.localdate()
    return CorrectiveAction.objects.create(
        assessment=assessment,
        finding=finding,
        what="Put it right",
        owner="Site manager",
        set_on=today - 30 * DAY,
        due_on=today + due_in * DAY,
        state=CorrectiveAction.State.CLOSED if closed else CorrectiveAction.State.OPEN,
        closed_on=today - DAY if closed else None,
        closure_note="Done" if closed else "",
        set_by=auditor,
    )


def build_grievance(worker, *, days_ago: int, partner=None, workshop=None, answered=False):
    today = timezone.localdate()
    received = today - days_ago * DAY
    return Grievance.objects.create(
        worker=worker,
        partner=partner,
        workshop=workshop,
        received_on=received,
        subject="Overtime",
        category=Grievance.Category.HOURS,
        answered_on=received + DAY if answered else None,
        outcome="Answered" if answered else "",
    )


def build_thresholds(answer_days: int = 30):
    return ComplianceThresholds.objects.create(
        effective_from=D(2025, 1, 1), grievance_answer_days=answer_days
    )


def build_dashboard_world(auditor) -> dict:
    """Two partners and a workshop:

    - Acme, suspended: AS-A1 (superseded: 1 critical, 2 major) then AS-A2 (signed: HOURS_DAY
      2 critical, one of them closed; WAGE_FLOOR major, its action 10 days overdue; GRIEVANCES
      major, its action due in 5 days; REST_DAY minor) — open: 1 critical, 2 major, 1 minor;
    - Fairco, compliant: AS-F1 (signed: one REST_DAY minor, open);
    - the bakery workshop: AS-W1 in progress (FITNESS, 2 major), so still "not yet assessed".

    Grievances (30 days to answer): one about Acme unanswered for 45 days (15 late), one for 10
    days (in time), one answered.
    """
    acme = build_partner("acme", fairness="suspended")
    fairco = build_partner("fairco", fairness="compliant")
    workshop = build_workshop("bakery-north")
    build_thresholds(30)
    worker = build_worker("W-000001")
    build_assessment(
        acme,
        auditor=auditor,
        reference="AS-A1",
        findings=[("HOURS_DAY", "critical"), ("WAGE_FLOOR", "major"), ("REST_DAY", "major")],
        status=Assessment.Status.SUPERSEDED,
        outcome="suspended",
        days_ago=200,
    )
    a2, (hours_1, hours_2, wage, grievances, _rest) = build_assessment(
        acme,
        auditor=auditor,
        reference="AS-A2",
        findings=[
            ("HOURS_DAY", "critical"),
            ("HOURS_DAY", "critical"),
            ("WAGE_FLOOR", "major"),
            ("GRIEVANCES", "major"),
            ("REST_DAY", "minor"),
        ],
        outcome="suspended",
        days_ago=40,
    )
    build_action(a2, hours_1, auditor=auditor, due_in=-20, closed=True)
    build_action(a2, hours_2, auditor=auditor, due_in=7)
    overdue = build_action(a2, wage, auditor=auditor, due_in=-10)
    build_action(a2, grievances, auditor=auditor, due_in=5)
    f1, _ = build_assessment(
        fairco,
        auditor=auditor,
        reference="AS-F1",
        findings=[("REST_DAY", "minor")],
        outcome="compliant",
        days_ago=20,
    )
    w1, _ = build_assessment(
        workshop,
        auditor=auditor,
        reference="AS-W1",
        findings=[("FITNESS", "major"), ("FITNESS", "major")],
        status=Assessment.Status.IN_PROGRESS,
        days_ago=3,
    )
    late = build_grievance(worker, days_ago=45, partner=acme)
    build_grievance(worker, days_ago=10, partner=acme)
    build_grievance(worker, days_ago=90, workshop=workshop, answered=True)
    return {
        "acme": acme,
        "fairco": fairco,
        "workshop": workshop,
        "a2": a2,
        "f1": f1,
        "w1": w1,
        "overdue": overdue,
        "late": late,
        "worker": worker,
    }


def build_more_partners(auditor, count: int, *, start: int = 0) -> None:
    """``count`` more partners, each with a workshop, two assessments (one superseded), findings,
    an overdue corrective action and a late grievance: what grows with the country."""
    for number in range(start, start + count):
        slug = f"partner-{number}"
        partner = build_partner(slug, fairness="action_required")
        workshop = build_workshop(f"workshop-{number}")
        worker = build_worker(f"W-9{number:05d}")
        build_assessment(
            partner,
            auditor=auditor,
            reference=f"AS-P{number}-1",
            findings=[("HOURS_DAY", "major")] * 3,
            status=Assessment.Status.SUPERSEDED,
            outcome="action_required",
            days_ago=100,
        )
        assessment, found = build_assessment(
            partner,
            auditor=auditor,
            reference=f"AS-P{number}-2",
            findings=[("HOURS_DAY", "major"), ("REST_DAY", "minor"), ("FITNESS", "critical")],
            outcome="action_required",
            days_ago=50,
        )
        build_action(assessment, found[0], auditor=auditor, due_in=-3)
        build_action(assessment, found[2], auditor=auditor, due_in=-1, closed=True)
        build_assessment(
            workshop,
            auditor=auditor,
            reference=f"AS-P{number}-W",
            findings=[("FITNESS", "minor")],
            outcome="compliant",
            days_ago=10,
        )
        build_grievance(worker, days_ago=60, workshop=workshop)
