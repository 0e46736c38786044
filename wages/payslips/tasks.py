"""Generating payslips in the background, never in a request (``wages.jobs`` says why and how).

    start_generation(run, *, user) -> (Job, created)
    after_posting(run, user)        the ``bridgework_pay_run_posted`` hook: starts the job once
                                    the posting commits

The work calls ``generate_payslips``, told the slips made so far; a job started again after a
failure carries on from the slips already stored.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import Job, run_job, start_job, subject_of
from wages.jobs import latest_job, require
from wages.models import PayRun
from wages.payslips.generation import GENERATE, generate_payslips, require_posted

GENERATE_KIND = "wages.generate_payslips"

__all__ = ["GENERATE_KIND", "after_posting", "latest_generation", "start_generation"]


def start_generation(run: PayRun, *, user) -> tuple[Job, bool]:
    """Queue the slips' job; refused in words, before anything is queued, for a user who may
    not generate them or a run that is not posted."""
    require(user, GENERATE, _("You may not generate payslips."))
    require_posted(run)
    return start_job(generate, kind=GENERATE_KIND, subject=subject_of(run), user=user)


def latest_generation(run: PayRun) -> Job | None:
    return latest_job(subject_of(run), (GENERATE_KIND,))


def after_posting(run: PayRun, user=None, **kwargs) -> None:
    """Once the posting commits, start the slips' job as the officer who posted (who may
    generate them: finance officers do both). ``BRIDGEWORK_PAYSLIPS_AFTER_POSTING`` off (the
    payroll benchmark) leaves them to the *Generate payslips* button."""
    if user is None or not getattr(settings, "BRIDGEWORK_PAYSLIPS_AFTER_POSTING", True):
        return
    run_id, user_id = run.pk, user.pk
    transaction.on_commit(lambda: _start(run_id, user_id))


def _start(run_id: int, user_id: int) -> None:
    user = get_user_model().objects.get(pk=user_id)
    if user.has_perm(GENERATE):
        start_generation(PayRun.objects.get(pk=run_id), user=user)


def _generate(job: Job, progress) -> dict:
    run = PayRun.objects.get(pk=int(job.subject.rpartition(":")[2]))
    made = generate_payslips(run, user=job.requested_by, progress=progress)
    return {"reference": run.reference, "made": made}


@task()
def generate(*, job_id: int) -> None:
    run_job(job_id, _generate)
