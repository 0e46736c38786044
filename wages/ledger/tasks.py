"""Verifying the ledger in the background (``wages.jobs`` says why and how).

    start_verification(*, user) -> (Job, created)

Refuses a user who may not verify the ledger before anything is queued; the work calls
``record_verification``, told the journals checked so far.
"""

from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import Job, run_job, start_job
from wages.jobs import latest_job, require
from wages.ledger.verification import record_verification

VERIFY_KIND = "wages.verify_ledger"
LEDGER = "wages.ledger"  # the subject of a verification: the whole ledger
VERIFY = "wages.verify_ledger"

__all__ = ["LEDGER", "VERIFY", "VERIFY_KIND", "latest_job", "start_verification"]


def start_verification(*, user) -> tuple[Job, bool]:
    require(user, VERIFY, _("You may not verify the ledger."))
    return start_job(verify, kind=VERIFY_KIND, subject=LEDGER, user=user)


def _verify(job: Job, progress) -> dict:
    """``record_verification``, told the count of journals checked so far."""
    user = job.requested_by
    require(user, VERIFY, _("You may not verify the ledger."))
    verification = record_verification(user=user, progress=progress)
    return {"verification": verification.pk, "problems": len(verification.problems)}


@task()
def verify(*, job_id: int) -> None:
    run_job(job_id, _verify)
