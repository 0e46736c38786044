"""Posting pay runs beside other journals on real PostgreSQL connections: a run posted beside a
journal to the same account neither deadlocks nor loses a cent, and the runs of two prisons posted
at once share the wages accounts, or make them when they are the first.
"""

import threading
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection, transaction

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.payrun_builders import (
    CHAIN,
    LAST_DAY,
    POSTED_BALANCES,
    approved_run,
    approved_south_run,
    build_payroll,
    build_south,
)
from tests.postgres.payrun_checks import (
    account,
    after,
    at_statement,
    balances,
    until_a_connection_waits_on_this_one,
    wait_for,
)
from wages.ledger import open_chain, post_journal, verify_ledger
from wages.models import Account, Chain, Checkpoint, PayRun
from wages.payruns import post_pay_run
from workshops.models import Contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


# Posting beside other journals


def canteen_journal():
    """A journal of the shop's day chain that debits the same wages-expense account."""
    return post_journal(
        key="canteen-2026-11-08",
        on=LAST_DAY,
        lines=[(account("wages-expense"), Decimal("5.00")), (account("bank"), Decimal("-5.00"))],
        memo="Canteen wages",
        chain=open_chain("shop:2026-11-08"),
    )


def held_until_the_other_waits(call, done: threading.Event):
    def run():
        with transaction.atomic():
            result = call()
            done.set()
            until_a_connection_waits_on_this_one()
        return result

    return run


@at_once
@pytest.mark.parametrize("first", ["journal", "pay-run"])
def test_a_run_posted_beside_a_journal_to_the_same_account_neither_deadlocks(payroll, first):
    """One transaction holds the wages-expense row until the other is seen waiting on it; then
    both commit, in either order, and every balance is the sum of its entries."""
    account("wages-expense")
    account("bank")
    run = approved_run(payroll)
    wrote = threading.Event()
    posting = partial(post_pay_run, run, user=payroll.poster)

    if first == "journal":
        outcomes = race(held_until_the_other_waits(canteen_journal, wrote), after(wrote, posting))
        journal, posted = outcomes
    else:
        outcomes = race(held_until_the_other_waits(posting, wrote), after(wrote, canteen_journal))
        posted, journal = outcomes

    assert (journal.key, posted.status) == ("canteen-2026-11-08", PayRun.Status.POSTED)
    assert balances() == sorted(
        [
            ("bank", Decimal("-5.00")),
            *[(c, b + 5 if c == "wages-expense" else b) for c, b in POSTED_BALANCES],
        ]
    )
    assert sorted(Chain.objects.values_list("name", "length")) == [
        (CHAIN, 2),
        ("shop:2026-11-08", 1),
    ]
    assert list(Checkpoint.objects.values_list("sequence", "chain_name")) == [(1, CHAIN)]
    assert verify_ledger() == []


# The first runs of two prisons, posted at once


SOUTH_CHAIN = "payrun:PR-south-prison-2026-11-02"


def both_posted_balances(partner):
    """The balances once both weeks are posted: the shared accounts hold both runs' sums."""
    south = {
        f"partner:{partner}:labour": Decimal("32.50"),
        "wages-expense": Decimal("8.00"),
        "wages-expense:back-wages": Decimal("1.00"),
        "deduction:victims-fund": Decimal("-2.02"),
        "worker:W-000100:family": Decimal("-3.25"),
        "worker:W-000100:own-spending": Decimal("-27.63"),
        "worker:W-000101:family": Decimal("-0.80"),
        "worker:W-000101:own-spending": Decimal("-6.80"),
        "worker:W-000101:back-wages": Decimal("-1.00"),
    }
    both = dict(POSTED_BALANCES)
    for code, amount in south.items():
        both[code] = both.get(code, Decimal(0)) + amount
    return sorted(both.items())


@at_once
def test_two_prisons_runs_posted_at_once_share_the_wages_accounts(payroll):
    """Both runs post to wages-expense, the back-wages expense and the victims' fund, which
    exist already: each run locks them in primary-key order, and the checkpoints follow."""
    south = build_south(payroll)
    partner = Contract.objects.get().partner_id
    for code, kind in (
        ("wages-expense", "expense"),
        ("wages-expense:back-wages", "expense"),
        ("deduction:victims-fund", "liability"),
        (f"partner:{partner}:labour", "asset"),
    ):
        Account.objects.create(code=code, name=code, kind=kind, currency="EUR")
    north_run, south_run = approved_run(payroll), approved_south_run(payroll, south)

    outcomes = race(
        partial(post_pay_run, north_run, user=payroll.poster),
        partial(post_pay_run, south_run, user=payroll.approver),
    )

    assert [outcome.status for outcome in outcomes] == [PayRun.Status.POSTED] * 2
    assert balances() == both_posted_balances(partner)
    assert sorted(Checkpoint.objects.values_list("chain_name", "sequence")) in (
        [(CHAIN, 1), (SOUTH_CHAIN, 2)],
        [(CHAIN, 2), (SOUTH_CHAIN, 1)],
    )
    assert verify_ledger() == []


@at_once
def test_the_first_runs_of_two_prisons_posted_at_once_make_their_shared_accounts(
    payroll, monkeypatch
):
    """A batch of accounts per line (``LINE_BATCH`` = 1) stands for runs of more than 2,000
    workers. South's first line (partner work) makes the victims' fund; North's first line
    makes wages-expense, then waits on South for the victims' fund; South's second line then
    needs wages-expense."""
    monkeypatch.setattr("wages.payruns.operations.LINE_BATCH", 1)
    south = build_south(payroll)
    partner = Contract.objects.get().partner_id
    north_run, south_run = approved_run(payroll), approved_south_run(payroll, south)
    made, north_done = threading.Event(), threading.Event()
    first = [True]

    def after_the_first_accounts():
        if first:
            first.clear()
            made.set()
            until_a_connection_waits_on_this_one(unless=north_done)

    def post_south():
        gate = at_statement("INSERT INTO wages_account", after=after_the_first_accounts)
        with connection.execute_wrapper(gate):
            return post_pay_run(south_run, user=payroll.approver)

    def post_north():
        wait_for(made, "made its first accounts")
        try:
            return post_pay_run(north_run, user=payroll.poster)
        finally:
            north_done.set()

    outcomes = race(post_north, post_south)

    assert [outcome.status for outcome in outcomes] == [PayRun.Status.POSTED] * 2
    assert balances() == both_posted_balances(partner)
    assert verify_ledger() == []
