"""The back-office steps of a pay run (``wages.payruns.views``): creating it, calculating,
approving and posting it, and cancelling it with a reason.

Every refused request is checked to leave every row as it was (``everything()``); the runs are
those of ``tests.wages.payrun_builders`` (``tests.wages.payrun_screens`` says what they hold).
"""

import pytest
from django.utils.html import escape

from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    WEEK_1,
    D,
    approved,
    calculated,
    draft,
    everything,
    locks,
    record,
)
from tests.wages.payrun_screens import (
    OWN_NOTE,
    RUN_1,
    RUNS,
    page_url,
    rows,
    shown,
    signed_in,
    status_of,
    step_url,
    steps,
    week_of_work,
)
from wages.models import PayRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


# Creating a run


def test_a_finance_officer_creates_a_run_and_is_taken_to_its_page(client, pay_world):
    signed_in(client, pay_world.calculator)

    response = client.post(
        f"{RUNS}new/",
        {"prison": pay_world.prison.pk, "period_start": "2026-11-02", "period_end": "2026-11-08"},
        follow=True,
    )

    run = PayRun.objects.get()
    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} created: calculate it next."]
    assert (run.reference, run.status, run.period_start, run.period_end, run.created_by) == (
        RUN_1,
        "draft",
        *WEEK_1,
        pay_world.calculator,
    )
    assert steps(response) == ["calculate", "cancel"]
    assert rows(response) == []


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (
            "2026-11-08",
            "2026-11-14",
            f"Pay run {RUN_1} already covers Nov 2, 2026 to Nov 8, 2026 for North Prison: "
            "cancel it or choose another period.",
        ),
        ("2026-11-14", "2026-11-09", "A pay run's last day is on or after its first."),
    ],
)
def test_a_period_overlapping_another_run_or_out_of_order_is_refused_on_the_form(
    client, pay_world, start, end, error
):
    draft(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(
        f"{RUNS}new/", {"prison": pay_world.prison.pk, "period_start": start, "period_end": end}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [error]
    assert escape(error) in response.text
    assert everything() == before


# Calculating, approving and posting


def test_calculating_shows_each_workers_pay_with_warnings_first_and_in_words(client, pay_world):
    week_of_work(pay_world)
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)

    response = client.post(step_url(run, "calculate"), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} calculated: 2 workers."]
    assert status_of(run) == "calculated"
    # Worker, hours, gross, own spending (what is left after family, release savings and
    # victims' fund), warnings: what fits a 1024 px tablet; the rest is on each line's page.
    assert rows(response) == [
        [
            "W-000001",
            "13.00",
            "€43.20",
            "€28.08",
            "Below the wage floor (own workshops): €1.80 an hour against €2.25; €4.05 owed as "
            "back wages. | Below the market wage for Bakery (Acme): €6.75 an hour against "
            "€7.00; €1.00 owed as back wages. | Hours over the working-time limits on 1 day(s).",
        ],
        ["W-000000", "6.00", "€17.00", "€11.05", ""],
    ]
    assert (
        "Gross pay</dt><dd>€60.20</dd>" in response.text
    )  # money with its currency (core.formatting)
    assert OWN_NOTE in response.text
    assert steps(response) == ["calculate", "cancel"]
    assert ">Recalculate</button>" in response.text


def test_lines_with_warnings_come_first_each_in_worker_order(client, pay_world):
    first, second = pay_world.workers
    record(pay_world, first, pay_world.crew, D(2026, 11, 2), "8")  # below the floor: own
    record(pay_world, second, pay_world.bakery, D(2026, 11, 3), "10")  # below it: the partner
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(page_url(run))

    assert [(row[0], row[-1][:27]) for row in rows(response)] == [
        ("W-000000", "Below the wage floor (own w"),
        ("W-000001", "Below the market wage for B"),
    ]


def test_another_finance_officer_sees_approve_and_no_note(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(page_url(run))

    assert response.status_code == 200
    assert steps(response) == ["calculate", "approve", "cancel"]
    assert OWN_NOTE not in response.text


def test_the_officer_who_calculated_a_run_is_refused_approving_it(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(step_url(run, "approve"), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [
        "You calculated this pay run: another finance officer must approve it."
    ]
    assert status_of(run) == "calculated"
    assert everything() == before


def test_another_officer_approves_then_posts_and_no_step_is_left(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    approving = client.post(step_url(run, "approve"), follow=True)
    approved_status = status_of(run)
    posting = client.post(step_url(run, "post"), follow=True)

    assert approving.redirect_chain == [(page_url(run), 302)]
    assert shown(approving) == [f"Pay run {RUN_1} approved: it can be posted."]
    assert approved_status == "approved"
    assert steps(approving) == ["post", "cancel"]
    assert ">Post to the ledger</button>" in approving.text
    assert posting.redirect_chain == [(page_url(run), 302)]
    assert shown(posting) == [f"Pay run {RUN_1} posted to the ledger."]
    run.refresh_from_db()
    assert (run.status, run.approved_by, run.posted_by, run.chain.name) == (
        "posted",
        pay_world.approver,
        pay_world.approver,
        f"payrun:{RUN_1}",
    )
    assert steps(posting) == []
    assert "Cancel this pay run" not in posting.text
    assert len(rows(posting)) == 2


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("draft", "approve", f"Pay run {RUN_1} is draft: only a calculated run is approved."),
        ("calculated", "post", f"Pay run {RUN_1} is calculated: only an approved run is posted."),
        (
            "approved",
            "calculate",
            f"Pay run {RUN_1} is approved: only a draft or calculated run is calculated.",
        ),
    ],
)
def test_a_step_the_runs_state_does_not_allow_is_refused_with_the_reason(
    client, pay_world, state, action, message
):
    week_of_work(pay_world)
    run = {"draft": draft, "calculated": calculated, "approved": approved}[state](pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    response = client.post(step_url(run, action), follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [message]
    assert everything() == before


# Cancelling


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_cancelling_without_a_reason_is_refused(client, pay_world, data):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.calculator)
    before = everything()

    response = client.post(step_url(run, "cancel"), data, follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == ["Say why the pay run is cancelled."]
    assert everything() == before


def test_cancelling_with_a_reason_frees_the_records(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    locked = set(locks().values())
    signed_in(client, pay_world.calculator)

    response = client.post(step_url(run, "cancel"), {"reason": "Wrong week"}, follow=True)

    assert response.redirect_chain == [(page_url(run), 302)]
    assert shown(response) == [f"Pay run {RUN_1} cancelled; its records are free again."]
    run.refresh_from_db()
    assert (run.status, run.cancelled_by, run.cancel_reason) == (
        "cancelled",
        pay_world.calculator,
        "Wrong week",
    )
    assert (locked, set(locks().values())) == ({RUN_1}, {None})
    assert ": Wrong week</dd>" in response.text
    assert steps(response) == []
