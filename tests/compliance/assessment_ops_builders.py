"""What the tests of the assessment operations build: a partner (acme) with a workshop under
contract and a worker, the staff who act on assessments (two auditors, a programme manager, a
supervisor), small fake rules giving one finding of a chosen severity each in place of the real
18, an assessment started over February 2026, and the files an auditor attaches."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from compliance.assessments.operations import (
    set_corrective_action,
    sign_assessment,
    start_assessment,
    update_summary,
)
from compliance.models import Assessment, CheckFinding
from compliance.rules.base import CRITICAL, MAJOR, MINOR, Rule
from tests.compliance.office_builders import build_partner_world, staff
from workshops.models import Partner, Worker, Workshop

D = datetime.date
FEBRUARY = (D(2026, 2, 1), D(2026, 2, 28))
PDF_BYTES = b"%PDF-1.7\nsite visit\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


class OneFinding(Rule):
    """One finding of ``severity`` for the scope, with its figures."""

    title = "A fake rule"
    source = "Tests"

    def __init__(self, code: str, severity: str):
        self.code = code
        self.severity = severity

    def check(self, context):
        yield self.finding(
            context, detail=f"{self.code.lower()} found", figures={"hours": "9.5", "limit": "8"}
        )


def fake_rules(monkeypatch, *specs: tuple[str, str]) -> dict:
    """Only the rules of ``specs`` ((code, severity) pairs) registered, for the test's duration."""
    import compliance.rules.base
    import compliance.rules.engine

    rules = {code: OneFinding(code, severity) for code, severity in specs}
    monkeypatch.setattr(compliance.rules.base, "RULES", rules)
    monkeypatch.setattr(compliance.rules.engine, "RULES", rules)
    return rules


CRITICAL_A = ("CRIT_A", CRITICAL)
CRITICAL_B = ("CRIT_B", CRITICAL)
MAJOR_C = ("MAJOR_C", MAJOR)
MINOR_D = ("MINOR_D", MINOR)


@dataclass
class World:
    partner: Partner
    workshop: Workshop
    worker: Worker
    auditor: User
    other_auditor: User
    programme: User
    supervisor: User


def build_world() -> World:
    partner, workshop, worker = build_partner_world()
    return World(
        partner=partner,
        workshop=workshop,
        worker=worker,
        auditor=staff("auditor"),
        other_auditor=staff("auditor", "auditor-2"),
        programme=staff("programme"),
        supervisor=staff("supervisor"),
    )


def start(world: World, *, user=None, **fields) -> Assessment:
    """An assessment of acme over February 2026, started by the world's auditor."""
    fields = {"kind": "partner", "slug": "acme", "start": FEBRUARY[0], "end": FEBRUARY[1]} | fields
    return start_assessment(user=user or world.auditor, **fields)


def finding(assessment: Assessment, code: str) -> CheckFinding:
    return CheckFinding.objects.get(check_run=assessment.check_run_id, code=code)


def act_on(assessment: Assessment, code: str, *, user=None, due_on=None, set_on=None):
    """A corrective action for the finding ``code``, set by the assessment's auditor."""
    return set_corrective_action(
        user=user or assessment.auditor,
        assessment=assessment,
        finding=finding(assessment, code),
        what=f"Fix {code}",
        owner="Workshop manager",
        due_on=due_on or D(2026, 12, 31),
        set_on=set_on or D(2026, 3, 2),
    )


def signed(assessment: Assessment, *, outcome=None, reason="") -> Assessment:
    """Every open critical or major finding given an action, the summary written, signed by its
    auditor."""
    for found in CheckFinding.objects.filter(check_run=assessment.check_run_id).exclude(
        severity=MINOR
    ):
        if not found.actions.filter(assessment=assessment).exists():
            act_on(assessment, found.code)
    update_summary(user=assessment.auditor, assessment=assessment, summary="Seen in February.")
    return sign_assessment(
        user=assessment.auditor, assessment=assessment, outcome=outcome, reason=reason
    )


def pdf(name: str = "visit.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES)


def logged(instance) -> list[tuple[str, str, dict]]:
    """The audit log of ``instance``: (action, username, data), oldest first."""
    return list(
        ModelLogEntry.objects.for_instance(instance)
        .order_by("timestamp", "pk")
        .values_list("action", "user__username", "data")
    )


def stored_blobs() -> int:
    """How many files the private storage holds on disk (a refused upload leaves none)."""
    from pathlib import Path

    from django.conf import settings

    return sum(1 for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file())


def snapshot(assessment: Assessment) -> dict:
    """Everything about ``assessment`` an operation could change, to compare before and after a
    refusal."""
    from core.private_files import PrivateFile

    fresh = Assessment.objects.get(pk=assessment.pk)
    return {
        "assessment": {
            field.attname: getattr(fresh, field.attname)
            for field in Assessment._meta.concrete_fields
        },
        "observations": list(fresh.observations.values()),
        "attachments": list(
            fresh.observations.values_list("pk", "attachments").order_by("pk", "attachments")
        ),
        "actions": list(fresh.actions.values().order_by("pk")),
        "evidence": list(
            fresh.actions.values_list("pk", "closure_evidence").order_by("pk", "closure_evidence")
        ),
        "responses": list(fresh.responses.values().order_by("pk")),
        "assessments": Assessment.objects.count(),
        "private_files": PrivateFile.objects.count(),
        "stored_blobs": stored_blobs(),
        "fairness": list(Partner.objects.order_by("pk").values_list("pk", "fairness")),
        "log": ModelLogEntry.objects.count(),
    }
