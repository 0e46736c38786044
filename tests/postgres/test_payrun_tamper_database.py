"""What only someone with the triggers switched off could do to a posted pay run, and how
``verify_ledger`` finds it: an amount altered or moved between accounts, the run's whole chain
deleted, and the gap that leaves in the checkpoints.
"""

from decimal import Decimal

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import raw, triggers_off
from tests.postgres.payrun_builders import CHAIN, POSTED_BALANCES, build_payroll, posted_run
from tests.postgres.payrun_checks import account, entry_of, journal_key
from tests.workshops.production_builders import day
from wages.ledger import close_chain, open_chain, post_journal, verify_ledger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


# verify_ledger finds what only someone past the triggers could do


def test_verify_finds_a_pay_run_amount_altered_with_the_triggers_disabled(payroll):
    posted_run(payroll)
    entry = entry_of("W-000000", "worker:W-000000:own-spending")

    with triggers_off("wages_entry"):
        assert raw("UPDATE wages_entry SET amount = -13.45 WHERE id = %s", entry.pk) == 1

    assert verify_ledger() == [
        f"journal {journal_key('W-000000')}: does not balance",
        f"journal {journal_key('W-000000')}: its content does not match its hash",
        "account worker:W-000000:own-spending (EUR): balance -14.45, entries sum to -13.45",
    ]


def test_verify_finds_a_pay_run_amount_moved_between_accounts_with_the_journal_balanced(payroll):
    """A euro moved from the worker's own spending to the family: the journal still balances,
    its hash and the two balances do not."""
    posted_run(payroll)
    own = entry_of("W-000000", "worker:W-000000:own-spending")
    family = entry_of("W-000000", "worker:W-000000:family")

    with triggers_off("wages_entry"):
        assert raw("UPDATE wages_entry SET amount = -13.45 WHERE id = %s", own.pk) == 1
        assert raw("UPDATE wages_entry SET amount = -2.70 WHERE id = %s", family.pk) == 1

    assert verify_ledger() == [
        f"journal {journal_key('W-000000')}: its content does not match its hash",
        "account worker:W-000000:family (EUR): balance -1.70, entries sum to -2.70",
        "account worker:W-000000:own-spending (EUR): balance -14.45, entries sum to -13.45",
    ]


def erase_the_run(run) -> None:
    """Every trace of a posted run: its lines and row (the row names the chain), the entries
    and journals of its chain, the chain and its checkpoint."""
    tables = ("wages_payrunline", "wages_payrun", "wages_entry", "wages_journal")
    with triggers_off(*tables, "wages_checkpoint", "wages_chain"):
        assert raw("DELETE FROM wages_payrunline WHERE run_id = %s", run.pk) == 3
        assert raw("DELETE FROM wages_payrun WHERE id = %s", run.pk) == 1
        assert (
            raw(
                "DELETE FROM wages_entry WHERE journal_id IN "
                "(SELECT id FROM wages_journal WHERE chain_id = %s)",
                run.chain_id,
            )
            == 10
        )
        assert raw("DELETE FROM wages_journal WHERE chain_id = %s", run.chain_id) == 2
        assert raw("DELETE FROM wages_checkpoint WHERE chain_name = %s", CHAIN) == 1
        assert raw("DELETE FROM wages_chain WHERE id = %s", run.chain_id) == 1


ERASED_BALANCES = [
    f"account {code} (EUR): balance {balance:.2f}, entries sum to 0.00"
    for code, balance in POSTED_BALANCES
]


def test_verify_finds_a_pay_runs_whole_chain_deleted_with_the_triggers_disabled(payroll):
    """Its checkpoint was the last one: the balances still remember the journals."""
    erase_the_run(posted_run(payroll))

    assert verify_ledger() == ERASED_BALANCES


def test_verify_finds_the_gap_a_pay_runs_deleted_chain_leaves_in_the_checkpoints(payroll):
    run = posted_run(payroll)
    shop = open_chain("shop:2026-11-09")
    post_journal(
        key="shop-1",
        on=day(7),
        lines=[(account("bank"), Decimal("12.00")), (account("sales"), Decimal("-12.00"))],
        memo="A bowl sold",
        chain=shop,
    )
    close_chain(shop)

    erase_the_run(run)

    assert verify_ledger() == [
        *ERASED_BALANCES,
        "checkpoint 1 is missing",
        "checkpoint 2: does not follow the one before it",
    ]
