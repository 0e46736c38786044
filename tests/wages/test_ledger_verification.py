"""``verify_ledger`` (``wages.ledger.verification``) finds what was changed behind the ledger's back:
an amount or memo altered, a journal or a whole chain removed, a checkpoint altered or deleted,
and a balance changed by hand.
"""

from decimal import Decimal

import pytest

from core.testing.database import triggers_off
from tests.wages.ledger_builders import pay
from wages.ledger import close_chain, open_chain, verify_ledger
from wages.models import Account, Chain, Checkpoint, Entry, Journal

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# verify_ledger finds tampering


@pytest.fixture
def closed_chains(ledger):
    """run-1 (j-1, j-2, j-3), run-2 (j-4) and run-3 (j-5), closed in that order: checkpoints
    1, 2 and 3."""
    for name, keys in [("run-1", [1, 2, 3]), ("run-2", [4]), ("run-3", [5])]:
        chain = open_chain(name)
        for n in keys:
            pay(ledger, chain, key=f"j-{n}", amount=f"{n}0.00")
        close_chain(chain)
    assert verify_ledger() == []
    return ledger


def test_verify_finds_an_altered_amount(closed_chains):
    with triggers_off("wages_entry"):
        Entry.objects.filter(journal__key="j-2", account=closed_chains.wages).update(
            amount=Decimal("25.00")
        )

    assert verify_ledger() == [
        "journal j-2: does not balance",
        "journal j-2: its content does not match its hash",
        "account wages (EUR): balance 150.00, entries sum to 155.00",
    ]


def test_verify_finds_an_altered_memo(closed_chains):
    with triggers_off("wages_journal"):
        Journal.objects.filter(key="j-2").update(memo="Bonus")

    assert verify_ledger() == ["journal j-2: its content does not match its hash"]


def test_verify_finds_a_journal_removed_from_the_middle_of_a_chain(closed_chains):
    with triggers_off("wages_entry", "wages_journal"):
        Entry.objects.filter(journal__key="j-2").delete()
        Journal.objects.filter(key="j-2").delete()

    assert verify_ledger() == [
        "chain run-1: journal 2 is missing",
        "journal j-3: does not follow the journal before it",
        "account bank (EUR): balance -150.00, entries sum to -130.00",
        "account wages (EUR): balance 150.00, entries sum to 130.00",
    ]


def test_verify_finds_a_whole_chain_deleted_after_its_checkpoint(closed_chains):
    with triggers_off("wages_entry", "wages_journal", "wages_chain"):
        Entry.objects.filter(journal__chain__name="run-2").delete()
        Journal.objects.filter(chain__name="run-2").delete()
        Chain.objects.filter(name="run-2").delete()

    assert verify_ledger() == [
        "account bank (EUR): balance -150.00, entries sum to -110.00",
        "account wages (EUR): balance 150.00, entries sum to 110.00",
        "chain run-2 of checkpoint 2 is missing",
    ]


ALTERED_CHECKPOINTS = {
    "head": (
        2,
        {"head": "0" * 64},
        [
            "checkpoint 2: its content does not match its hash",
            "checkpoint 2: its signature does not match its content",
            "chain run-2: does not match its checkpoint",
        ],
    ),
    "length": (
        2,
        {"length": 7},
        [
            "checkpoint 2: its content does not match its hash",
            "checkpoint 2: its signature does not match its content",
            "chain run-2: does not match its checkpoint",
        ],
    ),
    "hash": (
        1,
        {"hash": "0" * 64},
        [
            "checkpoint 1: its content does not match its hash",
            "checkpoint 2: does not follow the one before it",
        ],
    ),
}


@pytest.mark.parametrize("field", ALTERED_CHECKPOINTS)
def test_verify_finds_an_altered_checkpoint(closed_chains, field):
    sequence, change, problems = ALTERED_CHECKPOINTS[field]
    with triggers_off("wages_checkpoint"):
        Checkpoint.objects.filter(sequence=sequence).update(**change)

    assert verify_ledger() == problems


DELETED_CHECKPOINTS = [
    pytest.param(
        2,
        [
            "checkpoint 2 is missing",
            "checkpoint 3: does not follow the one before it",
            "chain run-2: closed without a checkpoint",
        ],
        id="in-the-middle",
    ),
    pytest.param(3, ["chain run-3: closed without a checkpoint"], id="the-last"),
    pytest.param(
        1,
        [
            "checkpoint 1 is missing",
            "checkpoint 2: does not follow the one before it",
            "chain run-1: closed without a checkpoint",
        ],
        id="the-first",
    ),
]


@pytest.mark.parametrize(("sequence", "problems"), DELETED_CHECKPOINTS)
def test_verify_finds_a_deleted_checkpoint(closed_chains, sequence, problems):
    with triggers_off("wages_checkpoint"):
        Checkpoint.objects.filter(sequence=sequence).delete()

    assert verify_ledger() == problems


def test_verify_finds_a_balance_changed_by_hand(closed_chains):
    Account.objects.filter(pk=closed_chains.bank.pk).update(balance=Decimal("0.00"))

    assert verify_ledger() == ["account bank (EUR): balance 0.00, entries sum to -150.00"]
