"""The ledger on real PostgreSQL connections at the same moment: one journal posted at once posts
once and every caller gets it, journals of one chain and checkpoints of chains closed at once are
numbered without gaps, and one key posted into two chains at once posts once or is refused as
reused.
"""

from decimal import Decimal
from functools import partial

import pytest

from core.testing.database import race
from tests.postgres.ledger_checks import ON, pay
from wages.ledger import (
    JournalKeyReused,
    Posting,
    close_chain,
    open_chain,
    post_journals,
    verify_ledger,
)
from wages.models import Account, Chain, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


# Many connections at once


@at_once
def test_the_same_journal_posted_at_once_posts_once(ledger):
    chain = open_chain("run-1")

    race(*(partial(pay, ledger, chain, "j-1") for _ in range(10)))

    assert list(Journal.objects.values_list("key", "sequence")) == [("j-1", 1)]
    assert Entry.objects.count() == 2
    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal("-10.50")),
        ("usd-bank", Decimal("0.00")),
        ("usd-sales", Decimal("0.00")),
        ("wages", Decimal("10.50")),
    ]
    assert Chain.objects.values_list("length").get() == (1,)
    assert verify_ledger() == []


@at_once
def test_every_caller_of_a_journal_posted_at_once_gets_the_journal(ledger):
    chain = open_chain("run-1")

    outcomes = race(*(partial(pay, ledger, chain, "j-1") for _ in range(10)))

    journal = Journal.objects.get()
    assert [getattr(outcome, "pk", outcome) for outcome in outcomes] == [journal.pk] * 10


@at_once
def test_journals_posted_at_once_into_one_chain_are_numbered_without_gaps(ledger):
    chain = open_chain("run-1")

    outcomes = race(*(partial(pay, ledger, chain, f"j-{n}", f"{n}.00") for n in range(1, 11)))

    assert all(isinstance(outcome, Journal) for outcome in outcomes)
    journals = list(
        Journal.objects.order_by("sequence").values_list("sequence", "previous", "hash")
    )
    assert [sequence for sequence, _previous, _hash in journals] == list(range(1, 11))
    assert [previous for _sequence, previous, _hash in journals] == [
        "",
        *(digest for _sequence, _previous, digest in journals[:-1]),
    ]
    assert Chain.objects.values_list("length", "head").get() == (10, journals[-1][2])
    assert Entry.objects.count() == 20
    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal("-55.00")),
        ("usd-bank", Decimal("0.00")),
        ("usd-sales", Decimal("0.00")),
        ("wages", Decimal("55.00")),
    ]
    assert verify_ledger() == []


CHAINS_AT_ONCE = 8


def chains_closed_at_once(ledger):
    chains = [open_chain(f"run-{n}") for n in range(1, CHAINS_AT_ONCE + 1)]
    for n, chain in enumerate(chains, start=1):
        pay(ledger, chain, f"j-{n}")
    return chains, race(*(partial(close_chain, chain) for chain in chains))


@at_once
def test_chains_closed_at_once_leave_checkpoints_without_gaps(ledger):
    """Whatever else happens, the checkpoint numbers that exist run 1, 2, 3… and verify."""
    chains_closed_at_once(ledger)

    numbers = list(Checkpoint.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert verify_ledger() == []


@at_once
def test_every_chain_closed_at_once_gets_the_next_checkpoint(ledger):
    chains, outcomes = chains_closed_at_once(ledger)

    assert [type(outcome) for outcome in outcomes] == [Checkpoint] * CHAINS_AT_ONCE
    assert sorted(outcome.sequence for outcome in outcomes) == list(range(1, CHAINS_AT_ONCE + 1))
    assert sorted(Checkpoint.objects.values_list("chain_name", flat=True)) == sorted(
        chain.name for chain in chains
    )
    assert verify_ledger() == []


# The same key at the same moment, into two chains (item 12)


def post_into(ledger, name, key, amount):
    return partial(pay, ledger, Chain.objects.get(name=name), key, amount)


def post_many_into(ledger, name, key, amount):
    def post():
        return post_journals(
            [
                Posting(
                    key=key,
                    on=ON,
                    memo="Pay",
                    lines=[(ledger["wages"], Decimal(amount)), (ledger["bank"], -Decimal(amount))],
                )
            ],
            chain=Chain.objects.get(name=name),
        )

    return post


@at_once
@pytest.mark.parametrize(
    "poster", [post_into, post_many_into], ids=["post_journal", "post_journals"]
)
def test_one_key_posted_at_once_into_two_chains_with_the_same_lines_posts_once(ledger, poster):
    open_chain("run-1"), open_chain("run-2")

    outcomes = race(
        *(poster(ledger, name, "j-1", "10.50") for name in ("run-1", "run-2") for _ in range(3))
    )

    journal = Journal.objects.get()
    if poster is post_into:
        assert [outcome.pk for outcome in outcomes] == [journal.pk] * 6
    else:
        assert sorted(outcomes) == [0, 0, 0, 0, 0, 1]
    assert Entry.objects.count() == 2
    assert sorted(Chain.objects.values_list("length", flat=True)) == [0, 1]
    assert verify_ledger() == []


@at_once
@pytest.mark.parametrize(
    "poster", [post_into, post_many_into], ids=["post_journal", "post_journals"]
)
def test_one_key_posted_at_once_into_two_chains_with_other_lines_is_reused(ledger, poster):
    open_chain("run-1"), open_chain("run-2")

    outcomes = race(
        poster(ledger, "run-1", "j-1", "10.50"),
        poster(ledger, "run-2", "j-1", "99.00"),
        expected=(JournalKeyReused,),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, JournalKeyReused)]
    assert len(refused) == 1
    assert refused[0].messages == ["The journal key j-1 was used before with other lines."]
    assert Journal.objects.count() == 1
    assert Entry.objects.count() == 2
    assert sorted(Chain.objects.values_list("length", flat=True)) == [0, 1]
    assert verify_ledger() == []
