"""End to end on the seeded demo (issue 24, "Tests that must exist"): the demo's unfair partner,
Quickfix Assembly, is assessed over the demo's production by the demo's auditor; the assessment
holds the findings its records give; a corrective action is set on each critical and major one;
signed, it supersedes the demo's own signed assessment and suspends the partner. Then the shop's
page of a product its upholstery makes shows the status and the day, and a new assignment to
that workshop is refused with the assessment named, and nothing created; the signed report's PDF
holds the outcome and the findings."""

import datetime
import subprocess

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.demo.assessments import ACTIONS, END, FALLBACK, START
from catalogue.models import ProductPage
from compliance.assessments.operations import (
    outcome_of,
    set_corrective_action,
    sign_assessment,
    start_assessment,
    update_summary,
)
from compliance.assessments.report import render_report
from compliance.models import Assessment
from core.formatting import format_day
from workshops.models import Assignment, Partner, Worker, Workshop
from workshops.register.assignments import assign_worker

pytestmark = pytest.mark.django_db

UNFAIR = "quickfix-assembly"
UPHOLSTERY = "jebel-qantar-upholstery"  # under Quickfix's contract QFX-2025-01
PRODUCT = "cafe-chair"  # made by the upholstery
CODES = {
    "BACK_WAGES",
    "CONSENT_BEFORE_WORK",
    "DEDUCTIONS_CAP",
    "GENDER_ACCESS",
    "GRIEVANCES",
    "HOURS_DAY",
    "HOURS_WEEK",
    "NO_STAFF_BENEFIT",
    "PARTNER_PAYS_FULL_WAGE",
    "REST_DAY",
    "SAFETY_COVER",
    "STAFF_SUPERVISION",
    "TRAINING_SHARE",
    "WAGE_FLOOR",
}
CRITICAL = {"CONSENT_BEFORE_WORK", "NO_STAFF_BENEFIT", "SAFETY_COVER", "WAGE_FLOOR"}
MAJOR = {
    "BACK_WAGES",
    "DEDUCTIONS_CAP",
    "GRIEVANCES",
    "PARTNER_PAYS_FULL_WAGE",
    "REST_DAY",
    "SAFETY_COVER",
    "STAFF_SUPERVISION",
    "TRAINING_SHARE",
}


def codes(assessment, *severities) -> set[str]:
    findings = assessment.check_run.findings.all()
    if severities:
        findings = findings.filter(severity__in=severities)
    return set(findings.values_list("code", flat=True))


def test_the_unfair_partner_assessed_signed_suspended_shown_in_the_shop_and_refused_work(
    demo_database, client
):
    auditor = User.objects.get(username="auditor")
    demo_signed = Assessment.objects.get(partner__slug=UNFAIR, status=Assessment.Status.SIGNED)
    today = timezone.localdate()

    assessment = start_assessment(
        user=auditor, kind=Assessment.Kind.PARTNER, slug=UNFAIR, start=START, end=END
    )

    assert (assessment.status, assessment.start, assessment.end) == ("in_progress", START, END)
    assert assessment.check_run.finished_at is not None
    assert codes(assessment) == CODES
    assert codes(assessment, "critical") == CRITICAL
    assert codes(assessment, "major") == MAJOR
    judgement = outcome_of(assessment)
    assert (judgement.outcome, judgement.open_critical, judgement.open_major) == (
        "suspended",
        102,
        120,
    )
    assert len(judgement.without_action) == 222

    # signing is refused until every serious finding has its action and the summary is written
    with pytest.raises(ValidationError) as refused:
        sign_assessment(user=auditor, assessment=assessment)
    assert refused.value.messages == [
        f"Assessment {assessment.reference} cannot be signed yet: the summary is empty; 222 open "
        "critical or major findings have no corrective action (BACK_WAGES, CONSENT_BEFORE_WORK, "
        "DEDUCTIONS_CAP, GRIEVANCES, NO_STAFF_BENEFIT, PARTNER_PAYS_FULL_WAGE, REST_DAY, "
        "SAFETY_COVER, STAFF_SUPERVISION, TRAINING_SHARE, WAGE_FLOOR)."
    ]
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"
    assert Partner.objects.get(slug=UNFAIR).fairness_assessment == demo_signed.reference

    for finding in judgement.without_action:
        what, owner, days = ACTIONS.get(finding.code, FALLBACK)
        set_corrective_action(
            user=auditor,
            assessment=assessment,
            finding=finding,
            what=what,
            owner=owner,
            due_on=today + datetime.timedelta(days=days),
        )
    update_summary(user=auditor, assessment=assessment, summary="Critical findings open.")
    signed = sign_assessment(user=auditor, assessment=assessment)

    assert (signed.status, signed.default_outcome, signed.outcome, signed.override_reason) == (
        "signed",
        "suspended",
        "suspended",
        "",
    )
    assert signed.actions.count() == 222
    assert signed.supersedes == demo_signed
    demo_signed.refresh_from_db()
    assert demo_signed.status == "superseded"
    partner = Partner.objects.get(slug=UNFAIR)
    assert (partner.fairness, partner.fairness_since, partner.fairness_assessment) == (
        "suspended",
        today,
        signed.reference,
    )

    # the shop's page of a product the partner's upholstery makes
    page = ProductPage.objects.live().get(slug=PRODUCT, locale__language_code="en")
    response = client.get(page.url)
    assert response.status_code == 200
    assert (
        f"Made under a contract with Quickfix Assembly. Its fairness assessment: suspended "
        f"({format_day(today)})." in response.content.decode()
    )

    # a new assignment to the upholstery is refused, naming the assessment; nothing is created
    upholstery = Workshop.objects.get(slug=UPHOLSTERY)
    worker = (
        Worker.objects.filter(stays__prison=upholstery.prison, stays__end__isnull=True)
        .exclude(assignments__workshop=upholstery)
        .order_by("pk")
        .first()
    )
    assignments, logged = Assignment.objects.count(), ModelLogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        assign_worker(worker=worker, workshop=upholstery, start=today, user=auditor)
    [message] = refused.value.messages
    assert message == (
        f"{upholstery} works under contract QFX-2025-01 of Quickfix Assembly, which is suspended "
        f"by assessment {signed.reference} signed {format_day(today)}: no new assignments until "
        "the partner puts things right."
    )
    assert (Assignment.objects.count(), ModelLogEntry.objects.count()) == (assignments, logged)

    # the signed report holds the outcome and the findings, read back from the PDF
    pdf = render_report(signed, user=auditor, language="en")
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert signed.reference in text
    assert "Summary Outcome: Suspended" in text
    assert all(code in text for code in CODES)
    wage_floor = signed.check_run.findings.filter(code="WAGE_FLOOR").order_by("pk").first()
    assert " ".join(wage_floor.sentence.split())[:60] in text
