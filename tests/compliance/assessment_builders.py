"""What the tests of the assessments' back office build: an assessment in progress whose check has
already run, with as many findings as a test asks for (critical, major and minor in turn, over
two rules), stored directly so that the screens are tested apart from the rules."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.models import Assessment, CheckFinding, ComplianceCheck

D = datetime.date
START, END = D(2026, 2, 1), D(2026, 2, 28)
SEVERITIES = ("critical", "major", "minor")
PDF_BYTES = b"%PDF-1.7\nassessment evidence\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n...."

_references = itertools.count(1)


def pdf(name="visit.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def build_findings(check: ComplianceCheck, count: int, *, worker=None) -> list[CheckFinding]:
    """``count`` findings: critical, major, minor in turn, under rules RULE_A and RULE_B; each
    cites a production record and names ``worker`` by reference."""
    return [
        CheckFinding.objects.create(
            check_run=check,
            code="RULE_A" if i % 2 == 0 else "RULE_B",
            severity=SEVERITIES[i % 3],
            scope=check.scope,
            worker=worker,
            start=check.start,
            end=check.end,
            detail=f"finding number {i + 1} of the test",
            figures={"hours": str(9 + i), "limit": "8"},
            evidence=[
                {
                    "model": "workshops.productionrecord",
                    "id": 1000 + i,
                    "url": f"/admin/workshops/productionrecord/inspect/{1000 + i}/",
                }
            ],
        )
        for i in range(count)
    ]


def build_assessment(
    auditor, partner, *, findings: int = 3, worker=None, start=START, end=END
) -> Assessment:
    """An assessment of ``partner`` in progress by ``auditor``, its check finished with
    ``findings`` findings."""
    check = ComplianceCheck.objects.create(
        scope_kind="partner",
        scope_slug=partner.slug,
        start=start,
        end=end,
        requested_by=auditor,
        finished_at=timezone.now(),
        findings_count=findings,
    )
    build_findings(check, findings, worker=worker)
    return Assessment.objects.create(
        reference=f"AS-TEST-{next(_references):04d}",
        kind=Assessment.Kind.PARTNER,
        partner=partner,
        start=start,
        end=end,
        check_run=check,
        auditor=auditor,
    )
