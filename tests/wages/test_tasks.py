"""Calculating and posting pay runs and verifying the ledger in the background
(``wages.payruns.tasks``, ``wages.ledger.tasks``),
as the back office shows them: the request only queues the work, the page shows it waiting or
running (and updates itself meanwhile), then the result, or the refusal in words.

The dummy task backend keeps a task queued, as the database backend does until ``db_worker``
takes it; the test then runs the task itself (``task.call``), as the worker would. The immediate
backend (the tests' default, and the demo's) runs it at once, within the request.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from brand.roles import sync_roles
from core.jobs import Job
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    approved,
    build_finance_officer,
    calculated,
    draft,
    everything,
)
from tests.wages.test_payrun_admin import (
    RUN_1,
    page_url,
    rows,
    shown,
    signed_in,
    step_url,
    steps,
    week_of_work,
)
from wages.ledger import close_chain, open_chain, post_journal
from wages.ledger import tasks as ledger_tasks
from wages.models import Account, LedgerVerification, PayRun
from wages.payruns import tasks

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
REFRESH = 'data-job-refresh="5"'


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def queued_only(settings):
    """Tasks wait in the queue until the test runs them."""
    settings.TASKS = DUMMY


def jobs() -> list[tuple]:
    return list(
        Job.objects.order_by("pk").values_list(
            "kind", "subject", "status", "requested_by__username", "result", "error"
        )
    )


def the_job() -> Job:
    return Job.objects.get()


def job_section(response) -> str:
    """The text of the job's section of a page, in single spaces; empty when there is none."""
    found = re.search(r'<section class="bw-job.*?</section>', response.text, re.S)
    if not found:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", found.group()).split())


# Pay runs


def test_calculating_only_queues_the_work_and_the_page_shows_it_waiting(
    client, pay_world, queued_only
):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(step_url(run, "calculate"), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [
        f"Pay run {RUN_1} is being calculated in the background: this page shows the result "
        "when it is done."
    ]
    assert everything() == before  # nothing calculated in the request
    assert jobs() == [
        ("wages.calculate_pay_run", f"wages.payrun:{run.pk}", "queued", "calculator", {}, "")
    ]
    job = the_job()
    assert job_section(response) == (
        f"Calculating Waiting for a worker since {section_time(job.requested_at)}; asked for by "
        "calculator. This page updates itself every 5 seconds and shows the result when the work is done."
    )
    assert REFRESH in response.text
    assert '<progress class="bw-job-progress" aria-label="Calculating"></progress>' in response.text
    assert steps(response) == []  # no second step while the work is queued


def job_time(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def section_time(moment) -> str:
    """``job_time`` as ``job_section`` reads it: its spaces single (English writes a narrow
    no-break space before "PM")."""
    return " ".join(job_time(moment).split())


def test_once_the_worker_has_calculated_the_run_the_page_shows_its_lines(
    client, pay_world, queued_only
):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"))
    job = the_job()

    tasks.calculate.call(job_id=job.pk)
    response = client.get(page_url(run))

    job.refresh_from_db()
    assert (job.status, job.result, job.error) == (
        "succeeded",
        {"reference": RUN_1, "workers": 2, "gross": "60.20", "warnings": 3},
        "",
    )
    assert PayRun.objects.get().status == "calculated"
    assert job_section(response) == ""
    assert REFRESH not in response.text
    assert steps(response) == ["calculate", "cancel"]
    assert len(rows(response)) == 2


def test_a_running_calculation_is_shown_running_until_its_count_is_known(
    client, pay_world, queued_only
):
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"))
    job = the_job()
    Job.objects.filter(pk=job.pk).update(status="running", started_at=job.requested_at)

    response = client.get(page_url(run))

    assert job_section(response).startswith(
        f"Calculating Running since {section_time(job.requested_at)}; asked for by calculator."
    )
    assert REFRESH in response.text


def test_a_second_click_while_the_work_waits_queues_nothing_more(client, pay_world, queued_only):
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"), follow=True)
    job = the_job()

    again = client.post(step_url(run, "calculate"), follow=True)

    assert shown(again) == [
        f"calculator asked for it at {job_time(job.requested_at)}: pay run {RUN_1} is already "
        "being calculated."
    ]
    assert [pk for pk in Job.objects.values_list("pk", flat=True)] == [job.pk]


def test_posting_in_the_background_posts_the_run_once_and_keeps_the_result(
    client, pay_world, queued_only
):
    week_of_work(pay_world)
    run = approved(pay_world)
    signed_in(client, pay_world.approver)

    queued = client.post(step_url(run, "post"), follow=True)
    status_while_queued = PayRun.objects.get().status
    job = the_job()
    tasks.post.call(job_id=job.pk)
    tasks.post.call(job_id=job.pk)  # delivered twice: the second does nothing
    done = client.get(page_url(run))

    assert shown(queued) == [
        f"Pay run {RUN_1} is being posted in the background: this page shows the result when it "
        "is done."
    ]
    assert job_section(queued).startswith("Posting to the ledger Waiting for a worker since")
    assert status_while_queued == "approved"
    run.refresh_from_db()
    assert (run.status, run.posted_by, run.chain.name) == (
        "posted",
        pay_world.approver,
        f"payrun:{RUN_1}",
    )
    assert jobs() == [
        (
            "wages.post_pay_run",
            f"wages.payrun:{run.pk}",
            "succeeded",
            "approver",
            {"reference": RUN_1, "chain": f"payrun:{RUN_1}"},
            "",
        )
    ]
    assert (job_section(done), steps(done)) == ("", [])


def test_a_refused_background_step_is_said_and_shown_on_the_page_until_the_run_moves_on(
    client, pay_world
):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()
    refusal = f"Pay run {RUN_1} is calculated: only an approved run is posted."

    refused = client.post(step_url(run, "post"), follow=True)
    after_refusal = everything()
    client.post(step_url(run, "approve"))
    approved_page = client.get(page_url(run))

    assert shown(refused) == [refusal]
    assert job_section(refused).startswith(f"Posting failed {refusal} Asked for by approver;")
    assert REFRESH not in refused.text
    assert steps(refused) == ["calculate", "approve", "cancel"]
    assert after_refusal == before
    assert [(kind, status, error) for kind, _s, status, _u, _r, error in jobs()] == [
        ("wages.post_pay_run", "failed", refusal)
    ]
    assert job_section(approved_page) == ""


def test_a_user_who_lost_the_permission_before_the_work_started_is_refused_in_words(
    client, pay_world, queued_only
):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    client.post(step_url(run, "calculate"))
    before = everything()
    pay_world.calculator.groups.clear()  # the user is fetched afresh when the work starts
    job = the_job()

    tasks.calculate.call(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "You may not do this to pay runs.")
    assert everything() == before


def test_an_auditor_is_refused_before_anything_is_queued(client, pay_world, queued_only):
    run = calculated(pay_world)
    auditor = build_finance_officer("reader", "auditor")
    signed_in(client, auditor)
    before = everything()

    answer = client.post(step_url(run, "calculate"))
    with pytest.raises(PermissionDenied, match=r"You may not do this to pay runs\."):
        tasks.start_calculation(run, user=auditor)
    with pytest.raises(PermissionDenied, match=r"You may not do this to pay runs\."):
        tasks.start_posting(run, user=auditor)

    assert (answer.status_code, answer.url) == (302, "/admin/")
    assert (jobs(), everything()) == ([], before)


# The ledger


@pytest.fixture
def ledger():
    bank = Account.objects.create(code="bank", name="Bank", kind="asset", currency="EUR")
    wages = Account.objects.create(code="wages", name="Wages", kind="expense", currency="EUR")
    chain = open_chain("run-1")
    for n, amount in enumerate(["120.00", "80.50"], start=1):
        post_journal(
            key=f"j-{n}",
            on=pay_day(n),
            lines=[(wages, amount), (bank, f"-{amount}")],
            memo=f"Pay {n}",
            chain=chain,
        )
    close_chain(chain)


def pay_day(n):
    return datetime.date(2026, 10, 31) + datetime.timedelta(days=n - 1)


def auditor(client) -> User:
    user = User.objects.create_user("auditor", password="a-long-test-password-1")
    user.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, user)
    return user


def verifications() -> list[tuple]:
    return list(LedgerVerification.objects.values_list("run_by__username", "journals", "problems"))


def test_verifying_shows_the_count_of_journals_checked_then_keeps_the_result(
    client, ledger, queued_only
):
    auditor(client)

    queued = client.post(reverse("ledger_verify"), follow=True)
    job = the_job()
    Job.objects.filter(pk=job.pk).update(
        status="running", started_at=job.requested_at, done=1, total=2
    )
    running = client.get(reverse("ledger_verify"))
    Job.objects.filter(pk=job.pk).update(status="queued", started_at=None, done=0, total=None)
    ledger_tasks.verify.call(job_id=job.pk)
    done = client.get(reverse("ledger_verify"))

    assert shown(queued) == [
        "The ledger is being verified in the background: this page shows how far it has got."
    ]
    assert job_section(queued).startswith("Verifying Waiting for a worker since")
    assert (REFRESH in queued.text, "Verify now" in queued.text) == (True, False)
    assert job_section(running) == (
        f"Verifying Running since {section_time(job.requested_at)}; asked for by auditor. "
        "50 % 1 of 2 journals (50 %) This page updates itself every 5 seconds and shows the "
        "result when the work is done."
    )
    assert (
        '<progress class="bw-job-progress" aria-label="Verifying" max="2" value="1">'
        in running.text
    )
    job.refresh_from_db()
    verification = LedgerVerification.objects.get()
    assert (job.status, job.done, job.total, job.result) == (
        "succeeded",
        2,
        2,
        {"verification": verification.pk, "problems": 0},
    )
    assert verifications() == [("auditor", 2, [])]
    assert (job_section(done), REFRESH in done.text, "Verify now" in done.text) == (
        "",
        False,
        True,
    )
    assert ">Intact</span>" in done.text


def test_a_second_verification_while_one_waits_queues_nothing_more(client, ledger, queued_only):
    auditor(client)
    client.post(reverse("ledger_verify"), follow=True)
    job = the_job()

    again = client.post(reverse("ledger_verify"), follow=True)

    assert shown(again) == [
        f"auditor asked for it at {job_time(job.requested_at)}: the ledger is already being "
        "verified."
    ]
    assert Job.objects.count() == 1


def test_a_verification_that_broke_is_shown_in_general_words_until_one_is_kept(
    client, ledger, monkeypatch
):
    auditor(client)

    def broken(*, user, progress=None):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(ledger_tasks, "record_verification", broken)
    failed = client.post(reverse("ledger_verify"), follow=True)
    monkeypatch.undo()
    kept = client.post(reverse("ledger_verify"), follow=True)

    generic = (
        "The work stopped on an unexpected error. It has been logged for the administrators; "
        "nothing was changed by this attempt."
    )
    assert shown(failed) == [generic]
    assert job_section(failed).startswith(f"The verification failed {generic} Asked for by")
    assert "Verify now" in failed.text
    assert shown(kept) == ["The ledger is intact."]
    assert job_section(kept) == ""
    assert verifications() == [("auditor", 2, [])]


def test_verifying_is_refused_to_a_finance_officer_before_anything_is_queued(client, ledger):
    officer = build_finance_officer("officer")
    login_with_second_factor(client, officer)

    with pytest.raises(PermissionDenied, match=r"You may not verify the ledger\."):
        ledger_tasks.start_verification(user=officer)
    answer = client.post(reverse("ledger_verify"))

    assert (answer.status_code, jobs(), verifications()) == (302, [], [])
