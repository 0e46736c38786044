"""The compliance records of the permission matrix's world: one of each kind of compliance data,
and a finished check with a finding about W-TEST01 citing its production record, so the detail
urls have objects."""

import datetime
from decimal import Decimal

from compliance.models import (
    CheckFinding,
    ComplianceCheck,
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.rules.evidence import evidence_of
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
        "inspection": inspection.pk,
        "insurance": cover.pk,
        "declaration": declaration.pk,
        "grievance": grievance.pk,
        "thresholds": thresholds.pk,
        "check": check.pk,
        "finding": finding.pk,
    }
