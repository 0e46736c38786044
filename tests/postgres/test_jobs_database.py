"""Background jobs in the production arrangement: the web process queues a pay run's calculation,
its posting and a verification of the ledger into PostgreSQL, and a separate ``db_worker``
process (django-tasks-db) does the work as the officer who asked. The count of work done is seen
from other connections while the work's own transaction is still open, and two requests at the
same moment start one job."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from brand.demo.seed import ensure_wagtail_roots
from brand.roles import sync_roles
from core import jobs
from core.jobs import Job, run_job, start_job
from core.testing.database import race
from tests.core.test_jobs import work
from tests.postgres.payrun_builders import (
    CHAIN,
    LINES,
    REFERENCE,
    build_finance_officer,
    build_payroll,
    calculated_run,
    week_run,
)
from wages.ledger import tasks as ledger_tasks
from wages.models import Journal, LedgerVerification, PayRun, PayRunLine
from wages.payruns import approve_pay_run, tasks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """Tasks wait in PostgreSQL for the worker (django-tasks resets its backends when TASKS
    changes); a transactional test empties the database, Wagtail's locales included."""
    ensure_wagtail_roots()
    settings.TASKS = DATABASE_TASKS


def db_worker() -> subprocess.CompletedProcess:
    """``manage.py db_worker`` in its own process, until the queue is empty."""
    database = connection.settings_dict
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brand.settings.dev",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "TASKS_BACKEND": "database",
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr
    return worker


def job_row(job) -> tuple:
    job.refresh_from_db()
    return (job.kind, job.status, job.requested_by.username, job.result, job.error)


def test_the_worker_calculates_posts_and_verifies_as_the_officers_who_asked():
    payroll = build_payroll()
    run = week_run(payroll)

    calculating, created = tasks.start_calculation(run, user=payroll.calculator)
    waiting = (
        PayRun.objects.get().status,
        DBTaskResult.objects.get(id=calculating.task_id).status,
        calculating.status,
    )
    db_worker()
    calculated = job_row(calculating)
    run = approve_pay_run(PayRun.objects.get(), user=payroll.approver)
    posting, _ = tasks.start_posting(run, user=payroll.poster)
    verifying, _ = ledger_tasks.start_verification(user=build_auditor())
    db_worker()

    assert (created, waiting) == (True, ("draft", "READY", "queued"))
    assert calculated == (
        "wages.calculate_pay_run",
        "succeeded",
        "finance-calculates",
        {"reference": REFERENCE, "workers": 3, "gross": "29.00", "warnings": 1},
        "",
    )
    assert job_row(posting) == (
        "wages.post_pay_run",
        "succeeded",
        "finance-posts",
        {"reference": REFERENCE, "chain": CHAIN},
        "",
    )
    run.refresh_from_db()
    assert (run.status, run.calculated_by, run.posted_by, run.chain.name) == (
        "posted",
        payroll.calculator,
        payroll.poster,
        CHAIN,
    )
    assert list(
        PayRunLine.objects.order_by("worker__reference").values_list("worker__reference", "gross")
    ) == [(reference, gross) for reference, _h, _p, gross, _o, _b in LINES]
    journals = Journal.objects.count()
    verification = LedgerVerification.objects.get()
    assert job_row(verifying) == (
        "wages.verify_ledger",
        "succeeded",
        "auditor",
        {"verification": verification.pk, "problems": 0},
        "",
    )
    assert (verifying.done, verifying.total, verification.journals, verification.problems) == (
        journals,
        journals,
        journals,
        [],
    )
    assert sorted(
        DBTaskResult.objects.filter(task_path__startswith="wages.").values_list(
            "task_path", "status"
        )
    ) == [
        ("wages.ledger.tasks.verify", "SUCCESSFUL"),
        ("wages.payruns.tasks.calculate", "SUCCESSFUL"),
        ("wages.payruns.tasks.post", "SUCCESSFUL"),
        # posting queued the run's payslips once it committed, and the worker made them
        ("wages.payslips.tasks.generate", "SUCCESSFUL"),
    ]


def build_auditor() -> User:
    user = User.objects.create_user("auditor", password="x")
    user.groups.add(sync_roles()["auditor"])
    return user


def test_a_refusal_in_the_worker_is_kept_in_words_and_changes_nothing():
    payroll = build_payroll()
    run = week_run(payroll)  # a draft: posting refuses it

    job, _ = tasks.start_posting(run, user=payroll.poster)
    db_worker()

    assert job_row(job) == (
        "wages.post_pay_run",
        "failed",
        "finance-posts",
        {},
        f"Pay run {REFERENCE} is draft: only an approved run is posted.",
    )
    assert (PayRun.objects.get().status, Journal.objects.count()) == ("draft", 0)


def test_progress_made_inside_a_transaction_is_seen_by_other_connections_before_it_commits():
    """A page reading the job while the work's transaction is still open sees the count."""
    user = build_finance_officer("officer")
    job = Job.objects.create(kind="counting", subject="wages.ledger", requested_by=user)
    seen = []

    def counting_in_a_transaction(job, progress):
        with transaction.atomic():
            progress(5, 10)
            other = connection.copy()
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT done, total FROM core_job WHERE id = %s", [job.pk])
                    seen.append(cursor.fetchone())
            finally:
                other.close()
        return {}

    run_job(job.pk, counting_in_a_transaction)

    job.refresh_from_db()
    assert (seen, job.status, job.done, job.total) == ([(5, 10)], "succeeded", 5, 10)


def test_two_requests_at_the_same_moment_start_one_job():
    first, second = build_finance_officer("first"), build_finance_officer("second")

    outcomes = race(
        lambda: start_job(work, kind="counting", subject="wages.payrun:1", user=first),
        lambda: start_job(work, kind="counting", subject="wages.payrun:1", user=second),
    )

    [(job_a, created_a), (job_b, created_b)] = outcomes
    assert job_a.pk == job_b.pk
    assert sorted([created_a, created_b]) == [False, True]
    assert (
        Job.objects.count(),
        DBTaskResult.objects.filter(task_path__startswith="tests.").count(),
    ) == (1, 1)


def test_a_reader_sees_each_count_of_journals_posted_while_the_posting_is_uncommitted(
    monkeypatch,
):
    """The page's request, on its own connection, polls the job while ``post_pay_run`` holds
    its transaction open: it sees 0, 1 and 2 of 2 journals posted, while the journals and the
    run's new status stay unseen until the commit. The work waits at each count until the
    reader has seen it, so no count is missed by timing."""
    payroll = build_payroll()
    run = approve_pay_run(calculated_run(payroll), user=payroll.approver)
    job = Job.objects.create(
        kind=tasks.POST_KIND, subject=f"wages.payrun:{run.pk}", requested_by=payroll.poster
    )
    monkeypatch.setattr("wages.ledger.bulk_posting.POSTING_BATCH", 1)
    seen, turn = [], threading.Condition()

    def reader():
        try:
            while True:
                with connection.cursor() as cursor:  # one statement: one snapshot
                    cursor.execute(
                        "SELECT status, done, total, (SELECT count(*) FROM wages_journal), "
                        "(SELECT status FROM wages_payrun) FROM core_job WHERE id = %s",
                        [job.pk],
                    )
                    state = cursor.fetchone()
                with turn:
                    if not seen or seen[-1] != state:
                        seen.append(state)
                        turn.notify_all()
                if state[0] in ("succeeded", "failed"):
                    return
                time.sleep(0.01)
        finally:
            connection.close()

    told = jobs._Progress.__call__

    def told_and_waited(progress, done, total=None):
        told(progress, done, total)
        with turn:
            assert turn.wait_for(lambda: seen and seen[-1][1:3] == (done, total), timeout=20)

    monkeypatch.setattr(jobs._Progress, "__call__", told_and_waited)
    polling = threading.Thread(target=reader)
    polling.start()
    tasks.post.call(job_id=job.pk)
    polling.join(timeout=20)

    # Before the count (queued, then claimed) and between the commit and the job's end, the
    # reader may see more states; these it sees for certain, in this order.
    assert [state for state in seen if state[2] is not None and state[4] == "approved"] == [
        ("running", 0, 2, 0, "approved"),
        ("running", 1, 2, 0, "approved"),
        ("running", 2, 2, 0, "approved"),
    ]
    assert seen[-1] == ("succeeded", 2, 2, 2, "posted")


def test_a_job_run_at_once_keeps_its_count_though_its_row_was_not_yet_committed(settings):
    """The immediate backend runs the work inside ``start_job``'s transaction, where the second
    connection cannot see the new job's row: the count is kept when the job finishes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    payroll = build_payroll()
    run = approve_pay_run(calculated_run(payroll), user=payroll.approver)

    job, created = tasks.start_posting(run, user=payroll.poster)

    job.refresh_from_db()
    assert (created, job.status, job.done, job.total) == (True, "succeeded", 2, 2)


def test_the_count_is_written_without_waiting_for_the_disk():
    """A count lost in a crash costs nothing; waiting for the disk made each write ten times
    longer (7 ms against 0.6 ms, measured on the shared development machine)."""
    job = Job.objects.create(
        kind="counting", subject="wages.ledger", requested_by=build_finance_officer("officer")
    )
    progress = jobs._Progress(job)
    try:
        with transaction.atomic():
            progress(1, 2)
            with progress.side.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                side = cursor.fetchone()[0]
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                own = cursor.fetchone()[0]
    finally:
        progress.close()

    assert (side, own, Job.objects.values_list("done", "total").get()) == ("off", "on", (1, 2))
