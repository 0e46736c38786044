"""What wages does when the register moves a worker (``wages.releases.handlers``), driven through
the register's own operations and screens: a release opens the settlement, waiting for the final
pay or ready; a transfer carries the same accounts and balances to the new prison."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from tests.brand.builders import build_home
from tests.wages.payrun_builders import WEEK_1, WEEK_2, D, build_rate, draft, posted, record
from tests.wages.payrun_screens import signed_in
from tests.wages.release_builders import (
    WEEK_1_BALANCES,
    build_released,
    released,
    week_1_worked,
)
from tests.workshops.builders import build_workshop
from wages.ledger.worker_accounts import balances, sub_accounts
from wages.models import PayRun, ReleaseSettlement
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from wages.releases.payouts import release_payout
from wages.releases.unpaid import unpaid_work
from workshops.models import Prison, Region, Worker
from workshops.register.assignments import assign_worker, release_worker, transfer_worker

pytestmark = pytest.mark.django_db


def test_the_release_screen_opens_the_settlement(client, pay_world):
    build_home()
    week_1_worked(pay_world)
    posted(pay_world)
    manager = pay_world.calculator
    manager.groups.add(sync_roles()["programme"])
    signed_in(client, manager)
    worker = pay_world.workers[0]

    response = client.post(f"/admin/register/workers/{worker.pk}/release/", {"on": "2026-11-08"})

    assert response.status_code == 302
    settlement = ReleaseSettlement.objects.get(worker=worker)
    assert (settlement.released_on, settlement.status, settlement.currency) == (
        D(2026, 11, 8),
        "ready",
        "EUR",
    )
    assert ModelLogEntry.objects.filter(
        action="wagtail.create", object_id=str(settlement.pk)
    ).exists()


def test_a_release_inside_an_open_run_waits_for_it_and_the_run_picks_the_worker_up(pay_world):
    week_1_worked(pay_world)
    run = draft(pay_world, WEEK_1)
    settlement = released(pay_world, on=D(2026, 11, 5))

    assert settlement.status == "waiting"
    [unpaid] = unpaid_work(pay_world.workers[0])
    assert (unpaid.records, unpaid.sessions, unpaid.open_run) == (2, 1, run)
    assert (unpaid.first_day, unpaid.last_day, unpaid.hours) == (
        D(2026, 11, 2),
        D(2026, 11, 4),
        Decimal("10.00"),
    )

    run = calculate_pay_run(run, user=pay_world.calculator)
    run = approve_pay_run(run, user=pay_world.approver)
    post_pay_run(run, user=pay_world.approver)

    settlement.refresh_from_db()
    assert settlement.status == "ready"
    assert balances(pay_world.workers[0]) == WEEK_1_BALANCES


def test_without_an_open_run_the_prisons_next_run_ending_on_the_release_day_pays_it(pay_world):
    settlement = build_released(pay_world)  # week 1 posted
    worker = pay_world.workers[0]
    release_worker(worker=worker, on=D(2026, 11, 11), user=pay_world.calculator)  # corrected
    record(pay_world, worker, pay_world.tailoring, D(2026, 11, 10), "4")
    settlement.refresh_from_db()
    assert [u.open_run for u in unpaid_work(worker)] == [None]

    posted(pay_world, (D(2026, 11, 9), D(2026, 11, 11)))  # a part-period: the final pay

    settlement.refresh_from_db()
    assert (settlement.released_on, settlement.status) == (D(2026, 11, 11), "ready")
    assert balances(worker)["own_spending"] == Decimal("14.95") + Decimal("5.20")


def test_a_worker_paid_out_is_not_released_again(pay_world):
    settlement = build_released(pay_world)
    release_payout(settlement=settlement, method="cash", user=pay_world.approver)
    worker = Worker.objects.get(pk=pay_world.workers[0].pk)

    with pytest.raises(ValidationError, match="a release is settled once"):
        release_worker(worker=worker, on=D(2026, 11, 20), user=pay_world.calculator)

    worker.refresh_from_db()
    assert worker.release_date == D(2026, 11, 8)


def test_a_transfer_carries_the_same_accounts_and_the_new_prisons_runs_pay_into_them(pay_world):
    week_1_worked(pay_world)
    posted(pay_world)
    worker = pay_world.workers[0]
    accounts = {kind: account.pk for kind, account in sub_accounts(worker).items() if account}
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=Region.objects.get(), population="mixed"
    )
    joinery = build_workshop("joinery-south", prison=south)
    build_rate(workshop=joinery, hourly="2.00")

    transfer_worker(worker=worker, to_prison=south, on=D(2026, 11, 9), user=pay_world.calculator)
    assign_worker(worker=worker, workshop=joinery, start=D(2026, 11, 9))
    # 5 h at 2.00 = 10.00: own 6.50, family 1.00, savings 2.00, victims' fund 0.50; below the
    # floor of 2.25 an hour, so 1.25 of back wages owed by the administration
    record(pay_world, worker, joinery, D(2026, 11, 10), "5")
    south_run = PayRun.objects.create(
        reference="PR-south",
        prison=south,
        period_start=WEEK_2[0],
        period_end=WEEK_2[1],
        currency="EUR",
        created_by=pay_world.calculator,
    )
    post_pay_run(
        approve_pay_run(
            calculate_pay_run(south_run, user=pay_world.calculator), user=pay_world.approver
        ),
        user=pay_world.approver,
    )

    carried = ModelLogEntry.objects.get(action="bridgework.balances_carried")
    assert carried.data == {
        "to_prison": "south-prison",
        "on": "2026-11-09",
        "balances": {k: f"{v:.2f}" for k, v in WEEK_1_BALANCES.items()},
        "accounts": sorted(accounts.values()),
    }
    assert {k: a.pk for k, a in sub_accounts(worker).items() if k in accounts} == accounts
    assert balances(worker) == {
        "own_spending": Decimal("21.45"),
        "family": Decimal("3.30"),
        "release_savings": Decimal("6.60"),
        "back_wages": Decimal("1.25"),
    }
    assert ReleaseSettlement.objects.count() == 0
