"""Calculating and posting a pay run, and verifying the ledger, in the background (issue 16,
item 8): a run of 100,000 workers or a ledger of millions of journals takes longer than a web
request may. The back office starts a job and shows its progress; a task backend's worker does
the work (``manage.py db_worker`` in production, at once in the demo and the tests).

    start_calculation(run, *, user) -> (Job, created)
    start_posting(run, *, user) -> (Job, created)
    start_verification(*, user) -> (Job, created)
    latest_job(subject, kinds) -> Job | None      the newest job about a run or the ledger

Each refuses a user without the operation's permission before anything is queued; the work
calls the operation itself (``wages.payruns``, ``wages.ledger``), which checks the permission
again, as the user who asked, fetched afresh when the work starts, and reports how far it has
got (workers calculated, journals posted, journals verified) a batch at a time. The operations
stay callable directly; nothing here changes what they do.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import Job, run_job, start_job, subject_of
from wages import payruns
from wages.ledger import record_verification
from wages.models import PayRun

CALCULATE_KIND = "wages.calculate_pay_run"
POST_KIND = "wages.post_pay_run"
VERIFY_KIND = "wages.verify_ledger"
PAY_RUN_KINDS = (CALCULATE_KIND, POST_KIND)
LEDGER = "wages.ledger"  # the subject of a verification: the whole ledger
VERIFY = "wages.verify_ledger"


def _require(user, permission: str, message: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(message)


def start_calculation(run: PayRun, *, user) -> tuple[Job, bool]:
    _require(user, payruns.CALCULATE, _("You may not do this to pay runs."))
    return start_job(calculate, kind=CALCULATE_KIND, subject=subject_of(run), user=user)


def start_posting(run: PayRun, *, user) -> tuple[Job, bool]:
    _require(user, payruns.POST, _("You may not do this to pay runs."))
    return start_job(post, kind=POST_KIND, subject=subject_of(run), user=user)


def start_verification(*, user) -> tuple[Job, bool]:
    _require(user, VERIFY, _("You may not verify the ledger."))
    return start_job(verify, kind=VERIFY_KIND, subject=LEDGER, user=user)


def latest_job(subject: str, kinds) -> Job | None:
    return (
        Job.objects.filter(subject=subject, kind__in=kinds)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )


def _run_of(job: Job) -> PayRun:
    return PayRun.objects.get(pk=int(job.subject.rpartition(":")[2]))


def _calculate(job: Job, progress) -> dict:
    """``calculate_pay_run``, told the count of workers calculated so far."""
    run = payruns.calculate_pay_run(_run_of(job), user=job.requested_by, progress=progress)
    return {
        "reference": run.reference,
        "workers": run.workers,
        "gross": f"{run.gross}",
        "warnings": run.warnings,
    }


def _post(job: Job, progress) -> dict:
    """``post_pay_run``, told the count of journals posted so far: its journals are unseen from
    outside until it commits, the count is not (``core.jobs``)."""
    run = payruns.post_pay_run(_run_of(job), user=job.requested_by, progress=progress)
    return {"reference": run.reference, "chain": run.chain.name if run.chain else ""}


def _verify(job: Job, progress) -> dict:
    """``record_verification``, told the count of journals checked so far."""
    user = job.requested_by
    _require(user, VERIFY, _("You may not verify the ledger."))
    verification = record_verification(user=user, progress=progress)
    return {"verification": verification.pk, "problems": len(verification.problems)}


@task()
def calculate(*, job_id: int) -> None:
    run_job(job_id, _calculate)


@task()
def post(*, job_id: int) -> None:
    run_job(job_id, _post)


@task()
def verify(*, job_id: int) -> None:
    run_job(job_id, _verify)
