"""Who may do what on the pay runs' back-office screens (``wages.payruns.admin``): an auditor
sees and is refused every step, other roles are refused everything, a finance officer needs the
second factor, and steps are only posted, to a run that exists, never edits or deletes.

Every refused request is checked to leave every row as it was (``everything()``).
"""

import pytest

from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    build_finance_officer,
    calculated,
    everything,
)
from tests.wages.payrun_screens import (
    NOT_ALLOWED,
    OWN_NOTE,
    RUNS,
    page_url,
    rows,
    shown,
    signed_in,
    step_url,
    steps,
    week_of_work,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


# Who may do what


def test_an_auditor_sees_the_runs_and_is_refused_every_step(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("reader", "auditor"))
    before = everything()

    listing = client.get(RUNS)
    page = client.get(page_url(run))
    answers = {
        action: client.post(step_url(run, action), {"reason": "Audit"}, follow=True)
        for action in ("calculate", "approve", "post", "cancel")
    }
    adding = client.get(f"{RUNS}new/")

    assert (listing.status_code, page.status_code) == (200, 200)
    assert f'{page_url(run)}"' in listing.text
    assert (steps(page), len(rows(page))) == ([], 2)
    assert OWN_NOTE not in page.text
    assert {
        action: (answer.redirect_chain, shown(answer)) for action, answer in answers.items()
    } == {
        action: ([("/admin/", 302)], [NOT_ALLOWED])
        for action in ("calculate", "approve", "post", "cancel")
    }
    assert (adding.status_code, adding.url) == (302, "/admin/")
    assert everything() == before


@pytest.mark.parametrize("role", ["supervisor", "programme", "editor", "fulfilment"])
def test_roles_without_pay_runs_are_refused_the_list_the_page_and_the_steps(
    client, pay_world, role
):
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("other", role))
    before = everything()

    listing = client.get(RUNS, follow=True)
    page = client.get(page_url(run))
    cancelling = client.post(step_url(run, "cancel"), {"reason": "No"})

    assert (listing.redirect_chain, shown(listing)) == ([("/admin/", 302)], [NOT_ALLOWED])
    assert (page.status_code, page.url) == (302, "/admin/")
    assert (cancelling.status_code, cancelling.url) == (302, "/admin/")
    assert everything() == before


def test_a_finance_officer_without_the_second_factor_is_sent_to_enrol(client, pay_world):
    run = calculated(pay_world)
    client.force_login(pay_world.approver)
    before = everything()

    response = client.post(step_url(run, "approve"))

    assert (response.status_code, response.url) == (
        302,
        f"/admin/2fa/setup/?next=%2Fadmin%2Fwages%2Fpayrun%2F{run.pk}%2Fapprove%2F",
    )
    assert everything() == before


def test_an_unknown_step_is_refused(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    response = client.post(step_url(run, "delete"), follow=True)

    assert (response.redirect_chain, shown(response)) == ([("/admin/", 302)], [NOT_ALLOWED])
    assert everything() == before


def test_steps_are_only_posted_and_only_to_a_run_that_exists(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    getting = client.get(step_url(run, "approve"))
    missing = client.post(f"{RUNS}{run.pk + 1}/approve/", follow=True)

    assert getting.status_code == 405
    # Django's LocaleMiddleware tries the language's prefix before answering "not found".
    assert (missing.redirect_chain, missing.status_code) == (
        [(f"/en{RUNS}{run.pk + 1}/approve/", 302)],
        404,
    )
    assert everything() == before


def test_runs_are_never_edited_or_deleted_on_the_admin_screens(client, pay_world):
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    before = everything()

    answers = [
        (response.status_code, response.url)
        for response in (
            client.get(f"{RUNS}edit/{run.pk}/"),
            client.post(f"{RUNS}edit/{run.pk}/", {"period_end": "2026-11-09"}),
            client.post(f"{RUNS}delete/{run.pk}/"),
        )
    ]

    assert answers == [(302, "/admin/")] * 3
    assert everything() == before
