"""Calculating and posting pay runs in the background (``wages.payruns.tasks``), as the back
office shows them: the request only queues the work, the page shows it waiting or running (and
updates itself meanwhile), then the result, or the refusal in words; a second click queues
nothing more, and a user refused before anything is queued.
"""

import pytest
from django.core.exceptions import PermissionDenied

from core.jobs import Job
from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    approved,
    build_finance_officer,
    calculated,
    draft,
    everything,
)
from tests.wages.payrun_screens import (
    RUN_1,
    page_url,
    rows,
    shown,
    signed_in,
    step_url,
    steps,
    week_of_work,
)
from tests.wages.task_checks import REFRESH, job_section, job_time, jobs, section_time, the_job
from wages.models import PayRun
from wages.payruns import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    return build_home()


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
