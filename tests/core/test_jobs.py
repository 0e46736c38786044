"""Background jobs (``core.jobs``): one active job per kind and subject, run at most once, with
its progress, its result, and its failure in words.

The tasks here are the tests' own; the immediate backend (the test settings) runs a task as it
is enqueued, the dummy backend keeps it queued, and django-tasks-db's database backend (on
SQLite here, on PostgreSQL in ``tests/postgres/test_jobs_database.py``) stores it for a worker.
"""

import io
import logging

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core.jobs import GENERIC_ERROR, Job, run_job, start_job

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
calls = []


def counting(job, progress):
    """Counts to three of four, then finishes with what it counted."""
    calls.append(job.pk)
    for done in range(1, 4):
        progress(done, 4)
    return {"counted": 3, "for": job.requested_by.username}


def refusing(job, progress):
    progress(2, 10)
    raise ValidationError(["The run is approved.", "Cancel it first."])


def forbidden(job, progress):
    raise PermissionDenied("You may not do this to pay runs.")


def breaking(job, progress):
    progress(1)
    raise KeyError("secret-account-code")


WORKS = {"counting": counting, "refusing": refusing, "forbidden": forbidden, "breaking": breaking}


@task()
def work(*, job_id: int) -> None:
    run_job(job_id, WORKS[Job.objects.get(pk=job_id).kind])


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


@pytest.fixture
def user():
    return User.objects.create_user("officer", password="x")


def jobs() -> list[tuple]:
    return list(
        Job.objects.order_by("pk").values_list("kind", "subject", "status", "done", "total")
    )


def test_a_job_runs_at_once_on_the_immediate_backend_and_keeps_its_progress_and_result(user):
    job, created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)

    assert created is True
    assert (job.status, job.done, job.total, job.result, job.error) == (
        "succeeded",
        3,
        4,
        {"counted": 3, "for": "officer"},
        "",
    )
    assert (job.requested_by, job.started_at <= job.finished_at, job.task_id != "") == (
        user,
        True,
        True,
    )
    assert calls == [job.pk]


@pytest.mark.parametrize(
    ("kind", "error", "progress"),
    [
        ("refusing", "The run is approved. Cancel it first.", (2, 10)),
        ("forbidden", "You may not do this to pay runs.", (0, None)),
    ],
)
def test_a_refusal_fails_the_job_in_its_own_words_and_keeps_how_far_it_got(
    user, kind, error, progress
):
    job, _created = start_job(work, kind=kind, subject="wages.payrun:1", user=user)

    assert (job.status, job.error, job.result) == ("failed", error, {})
    assert (job.done, job.total) == progress
    assert job.finished_at is not None


def test_an_unexpected_error_is_logged_and_the_job_failed_in_general_words(user, caplog):
    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        job, _created = start_job(work, kind="breaking", subject="wages.ledger", user=user)

    assert (job.status, job.error, job.done) == ("failed", str(GENERIC_ERROR), 1)
    assert "secret-account-code" not in job.error
    [logged] = caplog.records
    assert logged.getMessage() == f"Background job {job.pk} (breaking, wages.ledger) failed"
    assert "KeyError: 'secret-account-code'" in caplog.text


def test_a_second_request_while_one_is_queued_gets_the_first_job(user, settings):
    settings.TASKS = DUMMY  # nothing runs the task: it stays queued
    other = User.objects.create_user("second", password="x")

    first, first_created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    again, again_created = start_job(work, kind="counting", subject="wages.payrun:1", user=other)
    elsewhere, _ = start_job(work, kind="counting", subject="wages.payrun:2", user=other)

    assert (first_created, again_created, again.pk, again.requested_by) == (
        True,
        False,
        first.pk,
        user,
    )
    assert jobs() == [
        ("counting", "wages.payrun:1", "queued", 0, None),
        ("counting", "wages.payrun:2", "queued", 0, None),
    ]
    assert elsewhere.pk != first.pk
    assert calls == []


@pytest.mark.parametrize("active", ["queued", "running"])
def test_the_database_refuses_a_second_active_job_of_a_kind_and_subject(user, active):
    Job.objects.create(kind="counting", subject="wages.payrun:1", requested_by=user, status=active)
    before = jobs()

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="counting", subject="wages.payrun:1", requested_by=user)

    assert jobs() == before


def test_the_database_keeps_finished_jobs_beside_an_active_one(user):
    for status in ("succeeded", "failed"):
        Job.objects.create(
            kind="counting",
            subject="wages.payrun:1",
            requested_by=user,
            status=status,
            finished_at="2026-11-02T10:00Z",
        )
    Job.objects.create(kind="counting", subject="wages.payrun:1", requested_by=user)

    assert [status for _k, _s, status, _d, _t in jobs()] == ["succeeded", "failed", "queued"]


def test_finished_jobs_do_not_count_and_a_new_one_starts(user):
    first, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    second, created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)

    assert (created, first.pk != second.pk, calls) == (True, True, [first.pk, second.pk])


def test_a_task_run_again_after_its_job_finished_does_nothing(user):
    job, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    before = jobs()

    again = run_job(job.pk, counting)
    work.call(job_id=job.pk)

    assert again is None
    assert calls == [job.pk]
    assert jobs() == before


def test_a_job_claimed_by_one_worker_is_not_run_by_another(user, settings):
    settings.TASKS = DUMMY
    job, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    Job.objects.filter(pk=job.pk).update(status="running")  # another worker has claimed it

    assert run_job(job.pk, counting) is None
    assert calls == []


def test_a_job_whose_task_stopped_without_finishing_it_is_failed_and_another_may_start(
    user, settings
):
    """On the database backend: the worker ran the task and stopped before the job was
    finished (its task failed outside ``run_job``), so the job would stay "running" forever
    and block the run."""
    settings.TASKS = DATABASE
    stuck, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    Job.objects.filter(pk=stuck.pk).update(status="running")
    DBTaskResult.objects.filter(id=stuck.task_id).update(status="FAILED")

    new, created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == ("failed", "The worker stopped before finishing this.")
    assert (created, new.status) == (True, "queued")


def test_a_job_whose_task_is_still_waiting_is_kept(user, settings):
    settings.TASKS = DATABASE
    queued, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)

    again, created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)

    assert (created, again.pk, DBTaskResult.objects.get().status) == (False, queued.pk, "READY")
    assert jobs() == [("counting", "wages.payrun:1", "queued", 0, None)]


def test_an_administrator_fails_a_job_whose_worker_was_killed_and_the_work_may_start_again(
    user, settings
):
    settings.TASKS = DUMMY
    stuck, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    Job.objects.filter(pk=stuck.pk).update(status="running")
    out = io.StringIO()

    call_command("fail_job", stuck.pk, reason="Worker killed at 10:02", stdout=out)
    new, created = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    late = run_job(stuck.pk, counting)  # the killed worker's job never runs again

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (
        "failed",
        "Stopped by an administrator: Worker killed at 10:02",
    )
    assert out.getvalue() == f"Job {stuck.pk} (counting, wages.payrun:1) is failed.\n"
    assert (created, new.status, late, calls) == (True, "queued", None, [])


def test_failing_a_finished_or_unknown_job_is_refused_and_changes_nothing(user):
    done, _ = start_job(work, kind="counting", subject="wages.payrun:1", user=user)
    before = jobs()

    with pytest.raises(CommandError, match=rf"Job {done.pk} has already finished\."):
        call_command("fail_job", done.pk, reason="Oops")
    with pytest.raises(CommandError, match=r"There is no job 999\."):
        call_command("fail_job", 999, reason="Oops")

    assert jobs() == before
