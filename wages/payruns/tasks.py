"""Calculating and posting a pay run in the background (``wages.jobs`` says why and how).

    start_calculation(run, *, user) -> (Job, created)
    start_posting(run, *, user) -> (Job, created)

Each refuses a user without the operation's permission before anything is queued; the work
calls ``calculate_pay_run`` or ``post_pay_run``, told the workers calculated or the journals
posted so far.
"""

from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import Job, run_job, start_job, subject_of
from wages.jobs import latest_job, require
from wages.models import PayRun
from wages.payruns.operations import CALCULATE, POST, calculate_pay_run
from wages.payruns.posting import post_pay_run

CALCULATE_KIND = "wages.calculate_pay_run"
POST_KIND = "wages.post_pay_run"
PAY_RUN_KINDS = (CALCULATE_KIND, POST_KIND)

__all__ = ["PAY_RUN_KINDS", "latest_job", "start_calculation", "start_posting"]


def start_calculation(run: PayRun, *, user) -> tuple[Job, bool]:
    require(user, CALCULATE, _("You may not do this to pay runs."))
    return start_job(calculate, kind=CALCULATE_KIND, subject=subject_of(run), user=user)


def start_posting(run: PayRun, *, user) -> tuple[Job, bool]:
    require(user, POST, _("You may not do this to pay runs."))
    return start_job(post, kind=POST_KIND, subject=subject_of(run), user=user)


def _run_of(job: Job) -> PayRun:
    return PayRun.objects.get(pk=int(job.subject.rpartition(":")[2]))


def _calculate(job: Job, progress) -> dict:
    """``calculate_pay_run``, told the count of workers calculated so far."""
    run = calculate_pay_run(_run_of(job), user=job.requested_by, progress=progress)
    return {
        "reference": run.reference,
        "workers": run.workers,
        "gross": f"{run.gross}",
        "warnings": run.warnings,
    }


def _post(job: Job, progress) -> dict:
    """``post_pay_run``, told the count of journals posted so far: its journals are unseen from
    outside until it commits, the count is not (``core.jobs``)."""
    run = post_pay_run(_run_of(job), user=job.requested_by, progress=progress)
    return {"reference": run.reference, "chain": run.chain.name if run.chain else ""}


@task()
def calculate(*, job_id: int) -> None:
    run_job(job_id, _calculate)


@task()
def post(*, job_id: int) -> None:
    run_job(job_id, _post)
