"""The demo's assessments (``brand.demo.assessments``; README, "Compliance checks"): the unfair
partner's earlier assessment signed "action required" with its reason and superseded by one
signed "suspended", with corrective actions on every critical and major finding (some overdue,
one closed), a site visit with its PDF and the partner's response; the fair partner signed
"compliant"; a workshop's assessment in progress. All made by the demo's auditor."""

import datetime

import pytest
from django.utils import timezone

from brand.demo import assessments as demo
from brand.demo import register_content as data
from compliance.models import Assessment, CorrectiveAction, Observation, Response
from workshops.models import Partner

pytestmark = pytest.mark.django_db

OVERDUE_NOW = (
    10  # SAFETY_COVER 4, NO_STAFF_BENEFIT 2, GRIEVANCES 2, STAFF_SUPERVISION 3, less 1 closed
)
OVERDUE_EARLIER = 9  # SAFETY_COVER 3, NO_STAFF_BENEFIT 2, GRIEVANCES 2, STAFF_SUPERVISION 2


def overdue(**filters) -> int:
    return CorrectiveAction.objects.filter(
        state=CorrectiveAction.State.OPEN, due_on__lt=timezone.localdate(), **filters
    ).count()


def test_the_demo_holds_three_signed_assessments_one_superseded_and_one_in_progress(
    demo_database,
):
    rows = list(
        Assessment.objects.order_by("pk").values_list(
            "reference", "kind", "start", "end", "status", "default_outcome", "outcome"
        )
    )
    year = timezone.localdate().year
    start, end, earlier_end = (
        datetime.date(2026, 8, 3),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 9, 30),
    )
    assert rows == [
        (
            f"AS-{year}-0001",
            "partner",
            start,
            earlier_end,
            "superseded",
            "suspended",
            "action_required",
        ),
        (f"AS-{year}-0002", "partner", start, end, "signed", "suspended", "suspended"),
        (f"AS-{year}-0003", "partner", start, end, "signed", "compliant", "compliant"),
        (f"AS-{year}-0004", "workshop", start, end, "in_progress", "", ""),
    ]
    earlier, now, fair, running = Assessment.objects.order_by("pk")
    assert (earlier.partner.slug, now.partner.slug, fair.partner.slug, running.workshop.slug) == (
        "quickfix-assembly",
        "quickfix-assembly",
        "atlas-textiles",
        "wadi-sahel-building-crew",
    )
    assert now.supersedes == earlier
    assert earlier.override_reason == demo.EARLIER_REASON
    assert (now.override_reason, fair.override_reason) == ("", "")
    assert {a.auditor.username for a in (earlier, now, fair, running)} == {"auditor"}
    assert {a.signed_by.username for a in (earlier, now, fair)} == {"auditor"}
    assert (earlier.summary, now.summary, fair.summary, running.summary) == (
        demo.EARLIER_SUMMARY,
        demo.CURRENT_SUMMARY,
        demo.FAIR_SUMMARY,
        "",
    )
    assert dict(Partner.objects.values_list("slug", "fairness")) == {
        "quickfix-assembly": "suspended",
        "atlas-textiles": "compliant",
    }


def test_the_unfair_partner_has_an_action_on_every_serious_finding_some_overdue_one_closed(
    demo_database,
):
    earlier, now = Assessment.objects.filter(partner__slug="quickfix-assembly").order_by("pk")
    for assessment, serious in ((earlier, 81 + 79), (now, 102 + 120)):
        findings = assessment.check_run.findings.filter(severity__in=["critical", "major"])
        assert findings.count() == serious
        assert assessment.actions.count() == serious
        assert set(assessment.actions.values_list("finding_id", flat=True)) == set(
            findings.values_list("pk", flat=True)
        )
    assert set(now.actions.values_list("set_on", flat=True)) == {data.DEMO_TODAY}
    assert set(earlier.actions.values_list("set_on", flat=True)) == {datetime.date(2026, 10, 5)}
    assert overdue(assessment=now) == OVERDUE_NOW
    assert overdue(assessment=earlier) == OVERDUE_EARLIER
    assert overdue() == OVERDUE_NOW + OVERDUE_EARLIER
    assert (
        set(
            now.actions.filter(due_on__lt=timezone.localdate()).values_list(
                "finding__code", flat=True
            )
        )
        == demo.URGENT
    )
    wage = now.actions.filter(finding__code="WAGE_FLOOR").first()
    assert (wage.what, wage.owner) == demo.ACTIONS["WAGE_FLOOR"][:2]
    assert wage.due_on == timezone.localdate() + datetime.timedelta(days=30)

    [closed] = CorrectiveAction.objects.filter(state=CorrectiveAction.State.CLOSED)
    assert (closed.assessment, closed.finding.code, closed.closed_on, closed.closure_note) == (
        now,
        "STAFF_SUPERVISION",
        datetime.date(2026, 11, 11),
        demo.CLOSURE_NOTE,
    )

    [visit] = now.observations.all()
    assert (visit.kind, visit.observed_on, visit.text) == (
        Observation.Kind.SITE_VISIT,
        datetime.date(2026, 10, 13),
        demo.SITE_VISIT,
    )
    [notes] = visit.attachments.all()
    assert (notes.purpose, notes.content_type, notes.original_name) == (
        "assessment",
        "application/pdf",
        "site-visit-quickfix-placement.pdf",
    )
    with notes.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"

    [response] = Response.objects.all()
    assert (response.assessment, response.action.finding.code, response.responder) == (
        now,
        "WAGE_FLOOR",
        demo.RESPONDER,
    )
    assert response.received_on == timezone.localdate()
    assert list(earlier.observations.all()) == list(earlier.responses.all()) == []


def test_the_fair_partner_has_only_minor_findings_and_the_workshop_its_assessment_underway(
    demo_database,
):
    fair = Assessment.objects.get(partner__slug="atlas-textiles")
    assert set(fair.check_run.findings.values_list("severity", flat=True)) == {"minor"}
    assert fair.check_run.findings.count() == 23
    assert fair.actions.count() == 0

    running = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    [action] = running.actions.all()
    assert (action.finding.code, action.set_on, action.state) == (
        "GENDER_ACCESS",
        datetime.date(2026, 11, 5),
        "open",
    )
    assert action.due_on > timezone.localdate()
    [interview] = running.observations.all()
    assert (interview.kind, interview.text) == (Observation.Kind.INTERVIEW, demo.INTERVIEW)
    assert interview.attachments.count() == 0
