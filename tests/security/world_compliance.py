"""The compliance records of the permission matrix's world: one of each kind of compliance data,
and a finished check with a finding about W-TEST01 citing its production record, so the detail
urls have objects; and the auditor's assessment in progress of the partner, its own check with two
findings (one with a corrective action answered by a response), and an observation with a PDF
attachment."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import (
    Assessment,
    CheckFinding,
    ComplianceCheck,
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    Observation,
    Response,
    SafetyInspection,
)
from compliance.models.assessments import CorrectiveAction
from compliance.rules.evidence import evidence_of
from core.private_files import store_private_file
from core.uploads import PDF
from workshops.models import ProductionRecord

D = datetime.date


def build_compliance_records(users, ids: dict) -> dict:
    inspection = SafetyInspection.objects.create(
        partner_id=ids["partner"],
        inspected_on=D(2026, 1, 5),
        inspector="Labour inspectorate",
        result="passed",
    )
    cover = InsuranceCover.objects.create(
        partner_id=ids["partner"],
        insurer="Mutual",
        policy_number="POL-1",
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    declaration = InterestDeclaration.objects.create(
        staff=users["supervisor"], partner_id=ids["partner"], declared_on=D(2025, 12, 1)
    )
    grievance = Grievance.objects.create(
        worker_id=ids["worker"],
        partner_id=ids["partner"],
        received_on=D(2026, 2, 1),
        subject="Overtime not paid",
        category="pay",
    )
    thresholds = ComplianceThresholds.objects.create(effective_from=D(2025, 1, 1))
    check = ComplianceCheck.objects.create(
        scope_kind="partner",
        scope_slug="acme",
        start=D(2026, 1, 1),
        end=D(2026, 2, 28),
        requested_by=users["auditor"],
        finished_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
        findings_count=1,
    )
    finding = CheckFinding.objects.create(
        check_run=check,
        code="HOURS_DAY",
        severity="major",
        scope="partner:acme",
        worker_id=ids["worker"],
        start=D(2026, 2, 2),
        end=D(2026, 2, 2),
        detail="7 h worked, over the limit of 6 h",
        figures={"hours": "7", "limit": "6"},
        evidence=[e.as_json() for e in evidence_of(ProductionRecord, [ids["record"]])],
    )
    assert finding.figures["hours"] == str(Decimal(7))
    return {
        **build_assessment(users, ids),
        "inspection": inspection.pk,
        "insurance": cover.pk,
        "declaration": declaration.pk,
        "grievance": grievance.pk,
        "thresholds": thresholds.pk,
        "check": check.pk,
        "finding": finding.pk,
    }


def build_assessment(users, ids: dict) -> dict:
    auditor = users["auditor"]
    check = ComplianceCheck.objects.create(
        scope_kind="partner",
        scope_slug="acme",
        start=D(2026, 1, 1),
        end=D(2026, 2, 28),
        requested_by=auditor,
        finished_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
        findings_count=2,
    )
    answered, unanswered = (
        CheckFinding.objects.create(
            check_run=check,
            code=code,
            severity=severity,
            scope="partner:acme",
            worker_id=ids["worker"],
            start=D(2026, 2, 2),
            end=D(2026, 2, 2),
            detail=detail,
            figures={"hours": "7", "limit": "6"},
            evidence=[e.as_json() for e in evidence_of(ProductionRecord, [ids["record"]])],
        )
        for code, severity, detail in (
            ("HOURS_DAY", "major", "7 h worked, over the limit of 6 h"),
            ("REST_DAY", "minor", "no rest day in the week"),
        )
    )
    assessment = Assessment.objects.create(
        reference="AS-2026-0001",
        kind="partner",
        partner_id=ids["partner"],
        start=D(2026, 1, 1),
        end=D(2026, 2, 28),
        check_run=check,
        auditor=auditor,
    )
    # started on a fixed day, so that the matrix's responses may be dated after it
    Assessment.objects.filter(pk=assessment.pk).update(
        started_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    )
    attachment = store_private_file(
        SimpleUploadedFile("visit.pdf", b"%PDF-1.7\nSECRET-VISIT-8842\n%%EOF\n"),
        purpose="assessment",
        allowed=(PDF,),
        user=auditor,
    )
    observation = Observation.objects.create(
        assessment=assessment,
        kind="site_visit",
        observed_on=D(2026, 3, 2),
        text="Site visited",
        recorded_by=auditor,
    )
    observation.attachments.add(attachment)
    action = CorrectiveAction.objects.create(
        assessment=assessment,
        finding=answered,
        what="Cap the shifts at 6 h",
        owner="Workshop manager",
        set_on=D(2026, 3, 2),
        due_on=D(2026, 4, 30),
        set_by=auditor,
    )
    response = Response.objects.create(
        assessment=assessment,
        action=action,
        received_on=D(2026, 3, 9),
        responder="Acme",
        text="Shifts are capped",
        recorded_by=auditor,
    )
    return {
        "assessment": assessment.pk,
        "assessed_finding": answered.pk,
        "open_finding": unanswered.pk,
        "observation": observation.pk,
        "correctiveaction": action.pk,
        "response": response.pk,
        "assessmentfile": attachment.pk,
    }
