"""The world of the assessment report's tests, on the pay rules' world
(``tests.compliance.pay_builders``):

- a pay policy with a minimum wage of 6.00 and a floor of 40 %: 2.40 an hour for own work;
- tailoring (own work) paid 2.10 an hour, so every worker is 0.30 an hour below the floor;
- each worker 8 h in tailoring on Monday 2 November 2026 and 8 h in the partner's bakery on the
  3rd, posted (pay run of week 1); the first worker also trains 1 h on the 2nd;
- workers alternately women and men; thresholds: training share 10 %;
- an assessment of the tailoring workshop for November 2026 whose check found ``FINDINGS``
  (written as rows: the report prints a snapshot, whatever the rules would say today).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brand.roles import sync_roles
from compliance.models import (
    Assessment,
    CheckFinding,
    ComplianceCheck,
    ComplianceThresholds,
    CorrectiveAction,
    Observation,
    Outcome,
    Response,
)
from core.private_files import PrivateFile, store_private_file
from core.uploads import PDF
from tests.compliance.pay_builders import JANUARY_1, NOVEMBER, build_rules_world, work_week_1
from tests.wages.payrun_builders import D, attend
from workshops.models import Worker

FLOOR_DETAIL = (
    "effective pay €2.10/h below the floor €2.40/h (40% of the minimum wage €6.00/h) for 8 hours "
    "of the administration's own work in pay run PR-north-prison-2026-11-02"
)
HOURS_DETAIL = "9.00 hours occupied on Nov 2, 2026, over the limit of 8.00 hours a day."
OVERRIDE_REASON = "The partner paid the shortfall on 20 November; the auditor saw the transfer."


def build_auditor(username: str = "auditor") -> User:
    user = User.objects.create_user(username, password="x", first_name="Ada", last_name="Audit")
    user.groups.add(sync_roles()["auditor"])
    return user


def build_reader_without_permission() -> User:
    return User.objects.create_user("nobody", password="x")


def build_pay_of(workers: int):
    """The paid world of the module's docstring, with ``workers`` workers."""
    pay = build_rules_world(
        workers=workers, own_hourly="2.10", minimum_wage="6.00", floor_share="40"
    )
    for index, worker in enumerate(pay.workers):
        worker.sex = Worker.Sex.FEMALE if index % 2 == 0 else Worker.Sex.MALE
    Worker.objects.bulk_update(pay.workers, ["sex"])
    ComplianceThresholds.objects.create(effective_from=JANUARY_1, training_share=Decimal(10))
    work_week_1(pay)
    attend(pay, pay.workers[0], D(2026, 11, 2), "1")
    return pay


def build_assessment(pay, auditor, *, reference="AS-2026-0001", period=NOVEMBER) -> Assessment:
    check = ComplianceCheck.objects.create(
        scope_kind="workshop",
        scope_slug=pay.tailoring.slug,
        start=period[0],
        end=period[1],
        requested_by=auditor,
        finished_at=timezone.now(),
    )
    return Assessment.objects.create(
        reference=reference,
        kind=Assessment.Kind.WORKSHOP,
        workshop=pay.tailoring,
        start=period[0],
        end=period[1],
        check_run=check,
        auditor=auditor,
        summary="Own work is paid below the floor.",
    )


def add_findings(assessment, pay) -> dict[str, CheckFinding]:
    """A critical WAGE_FLOOR finding of the first worker and a major HOURS_DAY one."""
    worker = pay.workers[0]
    scope = f"workshop:{pay.tailoring.slug}"
    record = pay.records[worker.pk][0]
    floor = CheckFinding.objects.create(
        check_run=assessment.check_run,
        code="WAGE_FLOOR",
        severity="critical",
        scope=scope,
        worker=worker,
        start=D(2026, 11, 2),
        end=D(2026, 11, 8),
        detail=FLOOR_DETAIL,
        figures={"effective_hourly": "2.1000", "floor_hourly": "2.4000", "shortfall": "2.40"},
        evidence=[
            {
                "model": "wages.payrun",
                "id": pay.run.pk,
                "url": f"/admin/wages/payrun/inspect/{pay.run.pk}/",
            },
            {
                "model": "workshops.productionrecord",
                "id": record.pk,
                "url": f"/admin/workshops/productionrecord/inspect/{record.pk}/",
            },
        ],
    )
    hours = CheckFinding.objects.create(
        check_run=assessment.check_run,
        code="HOURS_DAY",
        severity="major",
        scope=scope,
        worker=worker,
        start=D(2026, 11, 2),
        end=D(2026, 11, 2),
        detail=HOURS_DETAIL,
        figures={"hours": "9.00", "limit": "8.00"},
        evidence=[],
    )
    return {"floor": floor, "hours": hours}


def add_follow_up(assessment, findings, auditor):
    """An overdue action on the floor finding, a closed one on the hours finding, an observation
    with two attachments, and a response."""
    overdue = CorrectiveAction.objects.create(
        assessment=assessment,
        finding=findings["floor"],
        what="Raise the tailoring rate to the floor and pay the back wages.",
        owner="Workshop manager",
        set_on=D(2026, 11, 27),
        due_on=D(2026, 11, 30),
        set_by=auditor,
    )
    closed = CorrectiveAction.objects.create(
        assessment=assessment,
        finding=findings["hours"],
        what="Schedule training outside the working day.",
        owner="Training officer",
        set_on=D(2026, 11, 27),
        due_on=D(2026, 12, 31),
        state=CorrectiveAction.State.CLOSED,
        closed_on=D(2026, 12, 1),
        closure_note="New timetable in force since 1 December.",
        set_by=auditor,
    )
    observation = Observation.objects.create(
        assessment=assessment,
        kind=Observation.Kind.SITE_VISIT,
        observed_on=D(2026, 11, 27),
        text="The rate sheet on the wall still shows 2.10.",
        recorded_by=auditor,
    )
    observation.attachments.set([document("rate-sheet.pdf"), document("visit-notes.pdf")])
    closed.closure_evidence.set([document("timetable.pdf")])
    Response.objects.create(
        assessment=assessment,
        action=overdue,
        received_on=D(2026, 12, 2),
        responder="Tailoring workshop manager",
        text="The new rate applies from the next pay run.",
        recorded_by=auditor,
    )
    return overdue, closed


def document(name: str) -> PrivateFile:
    return store_private_file(
        SimpleUploadedFile(name, b"%PDF-1.7\nevidence\n%%EOF\n"),
        purpose="assessment",
        allowed=(PDF,),
    )


def sign(assessment, auditor, *, outcome=Outcome.ACTION_REQUIRED, reason=OVERRIDE_REASON):
    """Signed as rows: the default outcome suspended (an open critical finding), overridden."""
    assessment.status = Assessment.Status.SIGNED
    assessment.default_outcome = Outcome.SUSPENDED
    assessment.outcome = outcome
    assessment.override_reason = reason
    assessment.signed_by = auditor
    assessment.signed_at = datetime.datetime(2026, 12, 3, 10, 30, tzinfo=datetime.UTC)
    assessment.save()
    return assessment


def grant(user, codename: str, app_label: str = "compliance") -> User:
    user.user_permissions.add(
        Permission.objects.get(codename=codename, content_type__app_label=app_label)
    )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def add_finding_and_action_for_each_worker(assessment, pay, auditor):
    """A minor TRAINING_SHARE finding of every worker, each with an open action and a response."""
    for worker in pay.workers:
        finding = CheckFinding.objects.create(
            check_run=assessment.check_run,
            code="TRAINING_SHARE",
            severity="minor",
            scope=f"workshop:{pay.tailoring.slug}",
            worker=worker,
            start=D(2026, 11, 1),
            end=D(2026, 11, 30),
            detail=f"too little training for {worker.reference}",
        )
        action = CorrectiveAction.objects.create(
            assessment=assessment,
            finding=finding,
            what="Enrol on the course.",
            owner="Training officer",
            set_on=D(2026, 11, 27),
            due_on=D(2026, 12, 31),
            set_by=auditor,
        )
        Response.objects.create(
            assessment=assessment,
            action=action,
            received_on=D(2026, 12, 2),
            responder="Training officer",
            text="Enrolled.",
            recorded_by=auditor,
        )
