"""The task of a compliance check: the rules run outside the request, their progress ("n of N
rules") kept in the check's job, and the findings stored once, when all have run."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from compliance.models import CheckFinding, ComplianceCheck
from compliance.rules.engine import run_check
from core.jobs import Job, run_job, start_job, subject_of
from workshops.models import Worker

CHECK_KIND = "compliance.run_check"


def start_check_job(check: ComplianceCheck, user) -> Job:
    """Queued in the transaction that records the check (``start_job``'s own, nested), so a
    worker never sees one without the other."""
    job, _created = start_job(run, kind=CHECK_KIND, subject=subject_of(check), user=user)
    ComplianceCheck.objects.filter(pk=check.pk).update(job=job)
    return job


def _run(job: Job, progress) -> dict:
    from compliance.checks.operations import check_scopes

    check = ComplianceCheck.objects.get(pk=int(job.subject.rpartition(":")[2]))
    ComplianceCheck.objects.filter(pk=check.pk, job__isnull=True).update(job=job)
    findings = run_check(check_scopes(check), check.start, check.end, progress=progress)
    workers = dict(
        Worker.objects.filter(reference__in={f.worker for f in findings if f.worker}).values_list(
            "reference", "pk"
        )
    )
    with transaction.atomic():
        CheckFinding.objects.bulk_create(
            CheckFinding(
                check_run=check,
                code=f.code,
                severity=f.severity,
                scope=f.scope,
                worker_id=workers.get(f.worker),
                start=f.start,
                end=f.end,
                detail=f.detail,
                missing_data=f.missing_data,
                figures=f.as_json()["figures"],
                evidence=[item.as_json() for item in f.evidence],
            )
            for f in findings
        )
        ComplianceCheck.objects.filter(pk=check.pk).update(
            finished_at=timezone.now(), findings_count=len(findings)
        )
    return {"findings": len(findings)}


@task()
def run(*, job_id: int) -> None:
    run_job(job_id, _run)
