"""Verifying the ledger in the background (``wages.ledger.tasks``), as the back office shows it: the
count of journals checked, then the result kept; a second verification while one waits queues
nothing more; a broken one is shown in general words; a finance officer is refused before
anything is queued.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.jobs import Job
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.wages.payrun_builders import build_finance_officer
from tests.wages.payrun_screens import shown
from tests.wages.task_checks import (
    REFRESH,
    auditor,
    job_section,
    job_time,
    jobs,
    section_time,
    the_job,
)
from wages.ledger import close_chain, open_chain, post_journal
from wages.ledger import tasks as ledger_tasks
from wages.models import Account, LedgerVerification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    return build_home()


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
