"""The count a background job shows while it runs: the page of a pay run being
calculated says how many workers are calculated, of how many, and being posted how many
journals are posted; the ledger's page how many journals are checked. ``core/job.js`` fetches
the same page every few seconds and puts its job section in place, so what is tested here is
what the officer sees. The work's own counting is tested in ``test_progress``."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import jobs
from core.jobs import Job
from tests.brand.builders import build_home
from tests.wages.payrun_builders import approved, build_pay_world, draft, record
from tests.wages.payrun_screens import page_url, signed_in, step_url, week_of_work
from tests.wages.task_checks import DUMMY, auditor, job_section, section_time
from wages.ledger import bulk_posting, close_chain, open_chain, post_journal
from wages.models import Account
from wages.payruns import calculation as payrun_calculation
from wages.payruns import tasks

pytestmark = pytest.mark.django_db

# The page of a run: the session (read and saved: 4), the user, their second factor, permissions
# and profile (5), the run and its prison (2), its lines counted and a page of them (2), partners,
# trades, the policy and the own-spending category named (4), the job and who asked (1), the lock
# and what it holds (3), the admin's locales and permissions (4) and who created, calculated and
# approved the run (3). None of them grows with the run.
RUN_PAGE_QUERIES = 28
# The ledger's page: the session, the user, their second factor, permissions and profile, the
# verifications kept, the job and who asked (one query), the journals and checkpoints counted,
# and the admin's locales and permissions.
VERIFY_PAGE_QUERIES = 17
AFTER = "This page updates itself every 5 seconds and shows the result when the work is done."


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def queued_only(settings):
    settings.TASKS = DUMMY


def running(job: Job, done: int, total: int) -> None:
    """The job as a worker leaves it part of the way through."""
    Job.objects.filter(pk=job.pk).update(
        status="running", started_at=job.requested_at, done=done, total=total
    )


def count_of(response) -> str:
    """The job's count and its progress bar, as the page has them."""
    bar = re.search(r"<progress [^>]*>[^<]*</progress>", response.text)
    count = re.search(r'<p class="bw-job-count">([^<]*)</p>', response.text)
    return f"{bar.group() if bar else ''} {count.group(1) if count else ''}".strip()


def test_a_running_calculation_shows_the_workers_calculated_of_all(client, pay_world, queued_only):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"))
    job = Job.objects.get()
    running(job, 1, 2)

    response = client.get(page_url(run))

    assert job_section(response) == (
        f"Calculating Running since {section_time(job.requested_at)}; asked for by calculator. "
        f"50 % 1 of 2 workers (50 %) {AFTER}"
    )
    assert count_of(response) == (
        '<progress class="bw-job-progress" aria-label="Calculating" max="2" value="1">50 %'
        "</progress> 1 of 2 workers (50 %)"
    )


def test_a_running_posting_shows_the_journals_posted_of_all(client, pay_world, queued_only):
    week_of_work(pay_world)
    run = approved(pay_world)
    signed_in(client, pay_world.approver)
    client.post(step_url(run, "post"))
    job = Job.objects.get()
    running(job, 1, 2)

    response = client.get(page_url(run))

    assert job_section(response) == (
        f"Posting to the ledger Running since {section_time(job.requested_at)}; asked for by "
        f"approver. 50 % 1 of 2 journals (50 %) {AFTER}"
    )
    assert count_of(response) == (
        '<progress class="bw-job-progress" aria-label="Posting to the ledger" max="2" '
        'value="1">50 %</progress> 1 of 2 journals (50 %)'
    )


def test_the_page_fetched_while_the_worker_calculates_shows_each_count(
    client, pay_world, queued_only, monkeypatch
):
    """What ``core/job.js`` fetches between two batches of the work (on SQLite the count is
    written on the work's own connection; on PostgreSQL through a second one,
    ``tests/postgres/test_jobs_database.py``)."""
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"))
    job = Job.objects.get()
    monkeypatch.setattr(payrun_calculation, "PROGRESS_EVERY", 1)
    seen = []
    told = jobs._Progress.__call__

    def told_and_looked(progress, done, total=None):
        told(progress, done, total)
        seen.append(count_of(client.get(page_url(run))).rpartition("</progress> ")[2])

    monkeypatch.setattr(jobs._Progress, "__call__", told_and_looked)
    tasks.calculate.call(job_id=job.pk)

    job.refresh_from_db()
    assert seen == ["0 of 2 workers (0 %)", "1 of 2 workers (50 %)", "2 of 2 workers (100 %)"]
    assert (job.status, job.done, job.total) == ("succeeded", 2, 2)


def test_the_worker_keeps_the_count_of_journals_posted(client, pay_world, queued_only):
    week_of_work(pay_world)
    run = approved(pay_world)
    signed_in(client, pay_world.approver)
    client.post(step_url(run, "post"))
    job = Job.objects.get()

    tasks.post.call(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("succeeded", 2, 2)


def test_the_page_polled_while_posting_makes_as_many_queries_for_10_workers_as_for_2(
    client, queued_only
):
    pay = build_pay_world(workers=10)
    weeks = ((datetime.date(2026, 11, 2), 2), (datetime.date(2026, 11, 9), 10))
    runs = []
    for monday, workers in weeks:
        for worker in pay.workers[:workers]:
            record(pay, worker, pay.tailoring, monday, "6", 40)
        runs.append(approved(pay, (monday, monday + datetime.timedelta(days=6))))
    signed_in(client, pay.approver)
    for run in runs:
        client.post(step_url(run, "post"))
    for job in Job.objects.all():
        running(job, 1, 2)
    small, large = runs
    client.get(page_url(small))
    client.get(page_url(large))

    with CaptureQueriesContext(connection) as for_2:
        two = client.get(page_url(small))
    with CaptureQueriesContext(connection) as for_10:
        ten = client.get(page_url(large))

    assert count_of(two).endswith("1 of 2 journals (50 %)")
    assert count_of(ten).endswith("1 of 2 journals (50 %)")
    assert (len(for_2.captured_queries), len(for_10.captured_queries)) == (RUN_PAGE_QUERIES,) * 2
    jobs_read = [q["sql"] for q in for_2.captured_queries if '"core_job"' in q["sql"]]
    assert len(jobs_read) == 1  # the run's latest job and who asked, in one query


@pytest.fixture
def journals():
    """A ledger of ``count`` journals in one closed chain."""

    def build(count: int) -> None:
        bank = Account.objects.create(code="bank", name="Bank", kind="asset", currency="EUR")
        wages = Account.objects.create(code="wages", name="Wages", kind="expense", currency="EUR")
        chain = open_chain("run-1")
        for n in range(1, count + 1):
            post_journal(
                key=f"j-{n}",
                on=datetime.date(2026, 10, 30) + datetime.timedelta(days=n),
                lines=[(wages, "10.00"), (bank, "-10.00")],
                memo=f"Pay {n}",
                chain=chain,
            )
        close_chain(chain)

    return build


@pytest.mark.parametrize("count", [2, 12])
def test_the_ledger_page_polled_while_verifying_makes_the_same_queries_for_any_ledger(
    client, journals, queued_only, count, django_assert_num_queries
):
    journals(count)
    auditor(client)
    client.post(reverse("ledger_verify"))
    running(Job.objects.get(), 1, count)
    client.get(reverse("ledger_verify"))

    with django_assert_num_queries(VERIFY_PAGE_QUERIES):
        response = client.get(reverse("ledger_verify"))

    assert count_of(response).endswith(f"1 of {count} journals ({100 // count} %)")


def test_posting_batches_are_counted_on_the_job_as_the_worker_posts_them(
    client, pay_world, queued_only, monkeypatch
):
    week_of_work(pay_world)
    run = approved(pay_world)
    signed_in(client, pay_world.approver)
    client.post(step_url(run, "post"))
    job = Job.objects.get()
    monkeypatch.setattr(bulk_posting, "POSTING_BATCH", 1)
    seen = []
    told = jobs._Progress.__call__

    def told_and_read(progress, done, total=None):
        told(progress, done, total)
        seen.append(Job.objects.values_list("done", "total").get(pk=job.pk))

    monkeypatch.setattr(jobs._Progress, "__call__", told_and_read)
    tasks.post.call(job_id=job.pk)

    assert seen == [(0, 2), (1, 2), (2, 2)]
