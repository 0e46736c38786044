"""Background jobs: long work (a pay run of 100,000 workers, verifying the whole ledger) runs as a
django-tasks task instead of inside a web request, and a ``Job`` row says who asked for it, how
far it has got, and what came of it, in words.

    start_job(task, *, kind, subject, user) -> (Job, created)
        one active job per kind and subject: a second request while one is queued or running
        returns that one (``created`` False); the database holds the rule
    fail_job(job_id, *, reason) -> Job | None    by hand, for a job whose worker was killed
    run_job(job_id, work) -> Job      inside the task: claims the job, runs ``work(job, progress)``
        and keeps its result, or its refusal in words, or a generic message for an error it logs
    subject_of(instance) -> str       "app_label.model:pk", what a job is about

The task itself carries only the job's id (the database backend stores its arguments as JSON),
and a job runs at most once: claiming it is one conditional update from queued to running, so a
task delivered twice, or run again after it finished, does nothing. The apps define the tasks
and the work; core knows nothing of what the work is.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

logger = logging.getLogger(__name__)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(
        _("about"), max_length=200, help_text=_("What the job works on, e.g. wages.payrun:17.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("of"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["subject", "kind"], name="job_subject_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_kind_and_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["succeeded", "failed"], finished_at__isnull=False)
                | Q(status__in=["queued", "running"], finished_at__isnull=True),
                name="job_finished_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(self.done * 100 // self.total, 100)


def subject_of(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def active_job(*, kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject, status__in=Job.ACTIVE).first()


def start_job(task, *, kind: str, subject: str, user) -> tuple[Job, bool]:
    """Record a job and enqueue ``task(job_id=…)`` in one transaction, so the database backend's
    worker never sees a task without its job. With the immediate backend (the demo, the tests)
    the work is done before this returns. A job already queued or running for the same kind and
    subject is returned instead of a second one (a double click, two officers at once)."""
    if (existing := _active_or_abandoned(task, kind, subject)) is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, subject=subject, requested_by=user)
            enqueued = task.enqueue(job_id=job.pk)
            Job.objects.filter(pk=job.pk).update(task_id=str(enqueued.id)[:64])
    except IntegrityError:  # another request started one between the look and the insert
        if (existing := active_job(kind=kind, subject=subject)) is not None:
            return existing, False
        raise
    job.refresh_from_db()
    return job, True


def _active_or_abandoned(task, kind: str, subject: str) -> Job | None:
    """The active job, unless its task has finished without finishing the job (the worker
    stopped between the two) or is gone: then the job is failed in words, and a new one may
    start."""
    job = active_job(kind=kind, subject=subject)
    backend = task.get_backend()
    if job is None or not job.task_id or not backend.supports_get_result:
        return job
    try:
        status = backend.get_result(job.task_id).status
    except TaskResultDoesNotExist:
        status = TaskResultStatus.FAILED
    if status not in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return job
    _finish(job, Job.Status.FAILED, error=str(_("The worker stopped before finishing this.")))
    return None


class _Progress:
    """The ``progress(done, total=None)`` callback handed to the work. Inside a transaction on
    PostgreSQL the count is written through a second connection, so the page sees it before the
    work commits; elsewhere through the job's own connection (SQLite has one writer at a time)."""

    def __init__(self, job: Job):
        self.job = job
        self.side = None
        self.written = (-1, None)

    def __call__(self, done: int, total: int | None = None) -> None:
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        shown = (job.percent if job.total else job.done, job.total)
        if shown == self.written:
            return
        self.written = shown
        if connection.in_atomic_block and connection.vendor == "postgresql":
            with self._side().cursor() as cursor:
                cursor.execute(
                    "UPDATE core_job SET done = %s, total = %s WHERE id = %s",
                    [job.done, job.total, job.pk],
                )
        else:
            Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total)

    def _side(self):
        """The second connection, made once. Its writes do not wait for the disk: a count lost
        in a crash costs nothing, and each write takes a tenth of the time (0.6 ms, not 7)."""
        if self.side is None:
            self.side = connection.copy()
            with self.side.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        return self.side

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


GENERIC_ERROR = _(
    "The work stopped on an unexpected error. It has been logged for the administrators; "
    "nothing was changed by this attempt."
)


def run_job(job_id: int, work) -> Job | None:
    """Claim the job and do ``work(job, progress)``; ``progress(done, total=None)`` records how
    far it has got. The work's return value (a JSON object) is kept as the result. A
    ``ValidationError`` or ``PermissionDenied`` fails the job with its own words; any other error
    is logged with its traceback and fails the job with a generic message, since its text may
    hold what staff should not read. ``None`` when the job was not queued (already claimed,
    finished, or gone): a task run twice does nothing the second time."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    progress = _Progress(job)
    try:
        result = work(job, progress)
    except ValidationError as refused:
        _finish(job, Job.Status.FAILED, error=" ".join(refused.messages))
    except PermissionDenied as refused:
        _finish(job, Job.Status.FAILED, error=str(refused) or str(_("You may not do this.")))
    except Exception:
        logger.exception("Background job %s (%s, %s) failed", job.pk, job.kind, job.subject)
        _finish(job, Job.Status.FAILED, error=str(GENERIC_ERROR))
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})
    finally:
        progress.close()
    return job


def fail_job(job_id: int, *, reason: str) -> Job | None:
    """Fail a queued or running job by hand (``manage.py fail_job``): a worker killed in the
    middle leaves its job running, and the same work cannot be asked for again until it ends.
    ``None`` when the job has already finished. If the work is in fact still running, it cannot
    overwrite this (a job finishes once), and the operations refuse doing a step twice."""
    job = Job.objects.get(pk=job_id)
    error = _("Stopped by an administrator: %(reason)s") % {"reason": reason.strip()}
    return job if _finish(job, Job.Status.FAILED, error=str(error)) else None


def _finish(job: Job, status: str, *, result=None, error: str = "") -> bool:
    """Only an active job finishes, once; whether this call finished it. It keeps how far the
    work got as well: a count written through the second connection is lost when the job's own
    row is not yet committed (the immediate backend runs the work inside ``start_job``)."""
    job.status, job.finished_at = status, timezone.now()
    job.result, job.error = result if result is not None else {}, error
    return bool(
        Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE).update(
            status=job.status,
            finished_at=job.finished_at,
            result=job.result,
            error=job.error,
            done=job.done,
            total=job.total,
        )
    )
