"""Back wages paid out once received (``wages.payruns.back_wages_payouts``): a run pays what
posted runs owe each worker, up to what the payer's receipts hold and earlier runs have not
paid out; pro rata with the largest remainder when the pool is short; once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    approved,
    build_pay_world,
    calculated,
    everything,
    journal_entries,
    line_of,
    posted,
    record,
)
from wages.ledger import open_chain, verify_ledger
from wages.ledger.worker_accounts import BACK_WAGES_OWED, OWN_SPENDING, balances
from wages.models import PayRun, PayRunLine, ReleaseSettlement
from wages.payruns import post_pay_run
from wages.payruns.back_wages_payouts import owed_by_payer, pools
from wages.payruns.back_wages_receipts import record_back_wages_receipt
from workshops.models import Prison, Stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay_world():
    """Week 1 posted: crew pays 1.80 an hour against a floor of 2.25, so the administration owes
    W-000000 (8 h) 3.60, W-000001 (4 h) 1.80 and W-000002 (8 h, released on the 8th) 3.60."""
    pay = build_pay_world(workers=3)
    for worker, hours in zip(pay.workers, ("8", "4", "8"), strict=True):
        record(pay, worker, pay.crew, D(2026, 11, 3), hours)
    posted(pay, WEEK_1)
    Stay.objects.filter(worker=pay.workers[2]).update(end=D(2026, 11, 8))
    return pay


def receive(pay, amount: str, key: str, payer="own"):
    return record_back_wages_receipt(
        payer=payer,
        amount=Decimal(amount),
        on=D(2026, 11, 9),
        source="Budget release",
        key=key,
        user=pay.calculator,
    )


def paid(run) -> dict:
    return dict(
        PayRunLine.objects.filter(run=run, back_wages_paid__gt=0)
        .order_by("worker__reference")
        .values_list("worker__reference", "back_wages_paid_by_payer")
    )


def test_nothing_is_paid_out_before_money_is_received(pay_world):
    run = calculated(pay_world, WEEK_2)
    assert paid(run) == {}
    assert owed_by_payer()[pay_world.workers[0].pk] == {"own": Decimal("3.60")}


def test_a_short_pool_is_split_pro_rata_and_a_later_receipt_pays_the_rest(pay_world):
    first, second, released = pay_world.workers
    receive(pay_world, "5.00", "budget-1")
    # Owed 3.60 and 1.80 (the released worker is the release settlement's): 5.40 > 5.00.
    # Pro rata: 5.00 × 3.60/5.40 = 3.3333, × 1.80/5.40 = 1.6667; rounded down 3.33 + 1.66 = 4.99,
    # the cent left to the larger remainder (0.0067): 3.33 and 1.67. Neither worked in week 2:
    # each gets a line with only the payout.
    run = posted(pay_world, WEEK_2)
    assert paid(run) == {"W-000000": {"own": "3.33"}, "W-000001": {"own": "1.67"}}
    assert run.back_wages_paid == Decimal("5.00")
    line = line_of(run, second)
    assert (line.gross, line.own_spending, line.back_wages_paid) == (0, 0, Decimal("1.67"))
    assert journal_entries(f"payrun:{run.reference}:W-000001:back-wages-paid") == [
        ("worker:W-000001:back-wages", Decimal("1.67")),
        ("worker:W-000001:own-spending", Decimal("-1.67")),
    ]
    assert balances(second)[BACK_WAGES_OWED] == Decimal("0.13")
    assert balances(released)[BACK_WAGES_OWED] == Decimal("3.60")
    assert pools("EUR") == {}
    # A receipt of 10.00 later: W-000000 is owed 0.27, W-000001 0.13; both paid in full.
    receive(pay_world, "10.00", "budget-2")
    later = posted(pay_world, WEEK_3)
    assert paid(later) == {"W-000000": {"own": "0.27"}, "W-000001": {"own": "0.13"}}
    assert pools("EUR") == {"own": Decimal("9.60")}
    assert balances(first)[BACK_WAGES_OWED] == 0
    assert balances(first)[OWN_SPENDING] == Decimal("9.36") + Decimal("3.60")  # wages + paid out
    assert verify_ledger() == []


def test_back_wages_are_paid_out_once(pay_world):
    receive(pay_world, "50.00", "budget-1")
    first = posted(pay_world, WEEK_2)
    assert paid(first) == {"W-000000": {"own": "3.60"}, "W-000001": {"own": "1.80"}}
    again = posted(pay_world, WEEK_3)
    assert paid(again) == {}
    assert post_pay_run(first, user=pay_world.approver) == first  # posting twice posts once
    assert pools("EUR") == {"own": Decimal("44.60")}


def test_a_receipt_of_another_payer_pays_nothing_owed_by_the_administration(pay_world):
    receive(pay_world, "50.00", "acme-1", payer=pay_world.payer)
    assert paid(calculated(pay_world, WEEK_2)) == {}


def test_posting_refuses_when_another_run_paid_out_of_the_pool_meanwhile(pay_world):
    receive(pay_world, "5.40", "budget-1")
    run = approved(pay_world, WEEK_2)
    assert paid(run) == {"W-000000": {"own": "3.60"}, "W-000001": {"own": "1.80"}}
    _posted_elsewhere(pay_world, "2.00")  # another prison's run paid 2.00 of the pool
    before = everything()
    with pytest.raises(ValidationError, match=r"5\.40 of back wages owed by own, but only 3\.40"):
        post_pay_run(run, user=pay_world.approver)
    assert everything() == before


def _posted_elsewhere(pay, amount: str) -> PayRun:
    """A posted run of another prison whose one line paid ``amount`` out of the pool."""
    prison = Prison.objects.create(
        name="East Prison", slug="east", region=pay.prison.region, population="men"
    )
    run = PayRun.objects.create(
        reference="PR-east-2026-11-09",
        prison=prison,
        period_start=WEEK_2[0],
        period_end=WEEK_2[1],
        status=PayRun.Status.POSTED,
        currency="EUR",
        created_by=pay.calculator,
        chain=open_chain("payrun:PR-east-2026-11-09"),
        approved_hash="0" * 64,
    )
    other = PayRunLine.objects.create(
        run=run,
        worker=pay.workers[2],
        gross=0,
        own_spending=0,
        back_wages_paid=Decimal(amount),
        back_wages_paid_by_payer={"own": amount},
    )
    return other


def test_what_a_release_paid_out_of_a_receipt_no_run_pays_again(pay_world):
    """A release payout and a pay run pay out of the same receipts: 3.60 of a 5.00 receipt paid
    to the released W-000002 at release leaves 1.40 for the run, split 3.60 : 1.80 between the
    others: 1.40 × 3.60/5.40 = 0.9333 → 0.93, × 1.80/5.40 = 0.4667 → 0.46; the cent left goes to
    the larger remainder (0.0067 against 0.0033): 0.93 and 0.47."""
    released = pay_world.workers[2]
    receive(pay_world, "5.00", "budget-1")
    ReleaseSettlement.objects.create(
        worker=released,
        released_on=D(2026, 11, 8),
        currency="EUR",
        back_wages_by_payer={"own": "3.60"},
    )
    assert pools("EUR") == {"own": Decimal("1.40")}
    assert released.pk not in owed_by_payer([released.pk])
    run = posted(pay_world, WEEK_2)
    assert paid(run) == {"W-000000": {"own": "0.93"}, "W-000001": {"own": "0.47"}}
