"""The ledger (``wages.ledger``): journals balance in each currency and post once per key, a
refused posting changes nothing, reversals negate a journal once, chains and checkpoints link
each hash to the one before, a closed period or chain takes no posting, the trial balance adds
up, and ``verify_ledger`` names every kind of tampering. Runs on SQLite and on PostgreSQL."""

import datetime
import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from moneyed import Money

from core.money import allocate
from core.testing.database import triggers_off
from wages.ledger import (
    JournalKeyReused,
    checkpoint_hash,
    close_chain,
    close_period,
    journal_hash,
    open_chain,
    post_journal,
    reverse_journal,
    trial_balance,
    verify_ledger,
)
from wages.models import Account, Chain, Checkpoint, Entry, Journal, PeriodClose

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
ON = datetime.date(2026, 10, 31)


def days(n: int) -> datetime.date:
    return ON + datetime.timedelta(days=n)


def account(code, kind, currency):
    return Account.objects.create(code=code, name=code.title(), kind=kind, currency=currency)


@pytest.fixture
def ledger():
    return SimpleNamespace(
        bank=account("bank", "asset", "EUR"),
        wages=account("wages", "expense", "EUR"),
        usd_bank=account("bank", "asset", "USD"),
        usd_sales=account("sales", "income", "USD"),
    )


@pytest.fixture
def chain():
    return open_chain("run-1")


@pytest.fixture
def closer():
    return User.objects.create_user("closer")


def pay(ledger, chain, key="j-1", amount="10.50", *, on=ON, memo="Pay"):
    """Wages debited, the bank credited."""
    return post_journal(
        key=key,
        on=on,
        lines=[(ledger.wages, Decimal(amount)), (ledger.bank, -Decimal(amount))],
        memo=memo,
        chain=chain,
    )


def two_currencies(ledger):
    return [
        (ledger.wages, Decimal("10.50")),
        (ledger.bank, Decimal("-10.50")),
        (ledger.usd_bank, Money("7.25", "USD")),
        (ledger.usd_sales, Money("-7.25", "USD")),
    ]


def balances():
    return list(
        Account.objects.order_by("currency", "code").values_list("currency", "code", "balance")
    )


def entries(journal):
    return list(journal.entries.values_list("account__code", "currency", "amount"))


def everything():
    """Every ledger row, to show that a refused call left all of it as it was."""
    return {
        "journals": sorted(
            Journal.objects.values_list(
                "key", "on", "memo", "chain__name", "sequence", "previous", "hash", "reverses__key"
            )
        ),
        "entries": sorted(
            Entry.objects.values_list("journal__key", "account__code", "currency", "amount")
        ),
        "balances": balances(),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(Checkpoint.objects.values_list("sequence", "chain_name", "hash")),
        "periods": list(PeriodClose.objects.values_list("up_to", flat=True)),
    }


# post_journal


def test_a_journal_balances_in_each_currency(ledger, chain):
    journal = post_journal(
        key="j-1", on=ON, lines=two_currencies(ledger), memo="Pay and sell", chain=chain
    )

    assert Journal.objects.values_list(
        "key", "on", "memo", "chain__name", "sequence", "previous", "reverses"
    ).get() == ("j-1", ON, "Pay and sell", "run-1", 1, "", None)
    assert entries(journal) == [
        ("wages", "EUR", Decimal("10.50")),
        ("bank", "EUR", Decimal("-10.50")),
        ("bank", "USD", Decimal("7.25")),
        ("sales", "USD", Decimal("-7.25")),
    ]
    assert balances() == [
        ("EUR", "bank", Decimal("-10.50")),
        ("EUR", "wages", Decimal("10.50")),
        ("USD", "bank", Decimal("7.25")),
        ("USD", "sales", Decimal("-7.25")),
    ]
    assert verify_ledger() == []


REFUSED = {
    "one-currency-off": (
        lambda a: [*two_currencies(a)[:3], (a.usd_sales, Decimal("-7.24"))],
        "Pay",
        ["The journal does not balance: +0.01 USD."],
    ),
    "both-currencies-off": (
        lambda a: [
            (a.wages, Decimal("10.50")),
            (a.bank, Decimal("-10.00")),
            (a.usd_bank, Decimal("7.25")),
            (a.usd_sales, Decimal("-8.25")),
        ],
        "Pay",
        ["The journal does not balance: +0.50 EUR, -1.00 USD."],
    ),
    "currency-not-the-accounts": (
        lambda a: [(a.wages, Money("10.50", "USD")), (a.usd_sales, Money("-10.50", "USD"))],
        "Pay",
        ["wages holds EUR, not USD."],
    ),
    "zero": (
        lambda a: [(a.wages, Decimal("0.00")), (a.bank, Decimal(0))],
        "Pay",
        ["An entry's amount is a number other than zero."],
    ),
    "more-decimals-than-the-currency": (
        lambda a: [(a.wages, Decimal("10.005")), (a.bank, Decimal("-10.005"))],
        "Pay",
        ["10.005 has more decimals than EUR has: round it first."],
    ),
    "one-line": (
        lambda a: [(a.wages, Decimal("10.50"))],
        "Pay",
        ["A journal has at least two entries.", "The journal does not balance: +10.50 EUR."],
    ),
    "no-lines": (lambda a: [], "Pay", ["A journal has at least two entries."]),
    "empty-memo": (lambda a: two_currencies(a), "", ["A journal needs a memo."]),
    "blank-memo": (lambda a: two_currencies(a), "  ", ["A journal needs a memo."]),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_journal_changes_nothing(ledger, chain, case):
    lines, memo, messages = REFUSED[case]
    pay(ledger, chain)
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journal(key="j-2", on=ON, lines=lines(ledger), memo=memo, chain=chain)

    assert refused.value.messages == messages
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 2)
    assert everything() == before
    assert balances() == [
        ("EUR", "bank", Decimal("-10.50")),
        ("EUR", "wages", Decimal("10.50")),
        ("USD", "bank", Decimal("0.00")),
        ("USD", "sales", Decimal("0.00")),
    ]


def test_a_closed_chain_takes_no_journal(ledger, chain):
    pay(ledger, chain)
    close_chain(chain)
    before = everything()

    with pytest.raises(ValidationError) as refused:
        pay(ledger, chain, key="j-2")

    assert refused.value.messages == ["The chain run-1 is closed."]
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 2)
    assert everything() == before


def test_a_closed_period_takes_no_journal(ledger, chain, closer):
    pay(ledger, chain, on=days(-1))
    close_period(ON, user=closer)
    before = everything()

    with pytest.raises(ValidationError) as refused:
        pay(ledger, chain, key="j-2", on=days(-3))

    assert refused.value.messages == [
        f"The period up to {ON} is closed: no posting may be dated {days(-3)}."
    ]
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 2)
    assert everything() == before


def test_every_problem_of_a_journal_is_named_at_once(ledger, chain, closer):
    close_period(ON, user=closer)
    close_chain(chain)

    with pytest.raises(ValidationError) as refused:
        post_journal(key="j-1", on=ON, lines=[(ledger.wages, Decimal(5))], memo=" ", chain=chain)

    assert refused.value.messages == [
        "A journal has at least two entries.",
        "The journal does not balance: +5 EUR.",
        "A journal needs a memo.",
        f"The period up to {ON} is closed: no posting may be dated {ON}.",
        "The chain run-1 is closed.",
    ]
    assert (Journal.objects.count(), Entry.objects.count()) == (0, 0)


def test_the_same_key_and_lines_post_once(ledger, chain):
    journal = post_journal(key="j-1", on=ON, lines=two_currencies(ledger), memo="Pay", chain=chain)
    before = everything()

    again = post_journal(
        key="j-1", on=ON, lines=list(reversed(two_currencies(ledger))), memo="Pay", chain=chain
    )

    assert again.pk == journal.pk
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 4)
    assert everything() == before
    assert Chain.objects.values_list("length", "head").get() == (1, journal.hash)
    assert verify_ledger() == []


KEY_REUSED = {
    "another-amount": (lambda a: [(a.wages, Decimal("10.51")), (a.bank, Decimal("-10.51"))], ON),
    "another-account": (
        lambda a: [(a.wages, Decimal("10.50")), (a.usd_bank, Decimal("-10.50"))],
        ON,
    ),
    "a-line-fewer": (lambda a: two_currencies(a)[:2], ON),
    "another-date": (lambda a: two_currencies(a), days(1)),
}


@pytest.mark.parametrize("case", KEY_REUSED)
def test_the_same_key_with_other_lines_or_date_is_refused(ledger, chain, case):
    lines, on = KEY_REUSED[case]
    post_journal(key="j-1", on=ON, lines=two_currencies(ledger), memo="Pay", chain=chain)
    before = everything()

    with pytest.raises(JournalKeyReused) as refused:
        post_journal(key="j-1", on=on, lines=lines(ledger), memo="Pay", chain=chain)

    assert refused.value.messages == ["The journal key j-1 was used before with other lines."]
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 4)
    assert everything() == before


# reverse_journal


def test_a_reversal_negates_every_entry_once(ledger, chain):
    journal = post_journal(key="j-1", on=ON, lines=two_currencies(ledger), memo="Pay", chain=chain)

    reversal = reverse_journal(journal, key="j-1-undo", on=days(1), memo="Wrong run", chain=chain)

    assert Journal.objects.values_list("key", "on", "memo", "sequence", "previous").get(
        reverses=journal
    ) == ("j-1-undo", days(1), "Wrong run", 2, journal.hash)
    assert entries(reversal) == [
        ("wages", "EUR", Decimal("-10.50")),
        ("bank", "EUR", Decimal("10.50")),
        ("bank", "USD", Decimal("-7.25")),
        ("sales", "USD", Decimal("7.25")),
    ]
    assert balances() == [
        ("EUR", "bank", Decimal("0.00")),
        ("EUR", "wages", Decimal("0.00")),
        ("USD", "bank", Decimal("0.00")),
        ("USD", "sales", Decimal("0.00")),
    ]
    assert reversal.hash == journal_hash(
        key="j-1-undo",
        on=days(1),
        memo="Wrong run",
        chain="run-1",
        sequence=2,
        previous=journal.hash,
        reverses="j-1",
        entries=[
            ("wages", "EUR", Decimal("-10.50")),
            ("bank", "EUR", Decimal("10.50")),
            ("bank", "USD", Decimal("-7.25")),
            ("sales", "USD", Decimal("7.25")),
        ],
    )
    assert verify_ledger() == []


def test_a_reversal_replayed_with_its_key_is_the_same_reversal(ledger, chain):
    journal = pay(ledger, chain)
    reversal = reverse_journal(journal, key="j-1-undo", on=ON, memo="Wrong run", chain=chain)
    before = everything()

    again = reverse_journal(journal, key="j-1-undo", on=ON, memo="Wrong run", chain=chain)

    assert again.pk == reversal.pk
    assert everything() == before


def test_a_journal_is_reversed_at_most_once(ledger, chain):
    journal = pay(ledger, chain)
    reversal = reverse_journal(journal, key="j-1-undo", on=ON, memo="Wrong run", chain=chain)
    before = everything()

    with pytest.raises(ValidationError) as twice:
        reverse_journal(journal, key="j-1-undo-again", on=ON, memo="Again", chain=chain)
    with pytest.raises(ValidationError) as of_a_reversal:
        reverse_journal(reversal, key="j-1-redo", on=ON, memo="Undo the undo", chain=chain)

    assert twice.value.messages == ["This journal was already reversed."]
    assert of_a_reversal.value.messages == [
        "A reversing journal is not reversed: post a new journal."
    ]
    assert (Journal.objects.count(), Entry.objects.count()) == (2, 4)
    assert everything() == before
    assert verify_ledger() == []


# Chains and checkpoints


def test_each_journal_of_a_chain_follows_the_one_before(ledger, chain):
    for n, amount in enumerate(["10.00", "20.50", "30.25"], start=1):
        pay(ledger, chain, key=f"j-{n}", amount=amount, on=days(n))

    journals = list(Journal.objects.order_by("sequence"))
    hashes = [
        journal_hash(
            key=f"j-{n}",
            on=days(n),
            memo="Pay",
            chain="run-1",
            sequence=n,
            previous=previous,
            reverses=None,
            entries=[("wages", "EUR", Decimal(amount)), ("bank", "EUR", -Decimal(amount))],
        )
        for n, amount, previous in [
            (1, "10.00", ""),
            (2, "20.50", journals[0].hash),
            (3, "30.25", journals[1].hash),
        ]
    ]
    assert [(j.key, j.sequence, j.previous, j.hash) for j in journals] == [
        ("j-1", 1, "", hashes[0]),
        ("j-2", 2, hashes[0], hashes[1]),
        ("j-3", 3, hashes[1], hashes[2]),
    ]
    assert len(set(hashes)) == 3
    assert Chain.objects.values_list("length", "head", "closed_at").get() == (3, hashes[2], None)


def test_closed_chains_make_a_checkpoint_sequence_each_following_the_one_before(ledger):
    first, second, empty = open_chain("run-1"), open_chain("run-2"), open_chain("run-3")
    pay(ledger, first, key="j-1")
    pay(ledger, first, key="j-2")
    last = pay(ledger, second, key="j-3")
    heads = [Journal.objects.get(key="j-2").hash, last.hash, ""]

    made = [close_chain(chain) for chain in (first, second, empty)]

    expected, previous = [], ""
    for sequence, name, length, head in [
        (1, "run-1", 2, heads[0]),
        (2, "run-2", 1, heads[1]),
        (3, "run-3", 0, heads[2]),
    ]:
        digest = checkpoint_hash(
            sequence=sequence, chain=name, length=length, head=head, previous=previous
        )
        expected.append((sequence, name, length, head, previous, digest))
        previous = digest
    assert (
        list(
            Checkpoint.objects.values_list(
                "sequence", "chain_name", "length", "head", "previous", "hash"
            )
        )
        == expected
    )
    assert [checkpoint.sequence for checkpoint in made] == [1, 2, 3]
    assert Chain.objects.filter(closed_at__isnull=True).count() == 0
    assert verify_ledger() == []


def test_closing_a_chain_again_returns_its_checkpoint(ledger, chain):
    pay(ledger, chain)
    checkpoint = close_chain(chain)
    before = everything()

    again = close_chain(chain)

    assert again.pk == checkpoint.pk
    assert everything() == before
    assert Checkpoint.objects.count() == 1


def test_opening_a_chain_twice_is_the_same_chain():
    assert open_chain("run-1").pk == open_chain("run-1").pk
    assert Chain.objects.count() == 1


def test_a_journal_hash_is_sha256_of_its_canonical_json():
    """Anyone can recompute a hash without Bridgework (``wages.ledger.hashing``): form 2 names
    its form and writes each amount with its currency's decimals."""
    content = {
        "chain": "run-1",
        "entries": [["bank", "EUR", "-10.50"], ["wages", "EUR", "10.50"]],
        "form": 2,
        "key": "j-1",
        "memo": "Pay",
        "on": "2026-10-31",
        "previous": "",
        "reverses": None,
        "sequence": 1,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    assert (
        journal_hash(
            key="j-1",
            on=ON,
            memo="Pay",
            chain="run-1",
            sequence=1,
            previous="",
            reverses=None,
            entries=[("wages", "EUR", Decimal("10.5")), ("bank", "EUR", Decimal("-10.50"))],
        )
        == hashlib.sha256(canonical).hexdigest()
    )


def test_the_first_hash_form_is_the_one_published_before_form_2():
    """Journals hashed before migration 0007 keep verifying: form 1 has no ``form`` member and
    writes every amount with two decimals, whatever its currency."""
    content = {
        "chain": "run-1",
        "entries": [["bank", "TND", "-1.00"], ["wages", "TND", "1.00"]],
        "key": "j-1",
        "memo": "Pay",
        "on": "2026-10-31",
        "previous": "",
        "reverses": None,
        "sequence": 1,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    assert (
        journal_hash(
            key="j-1",
            on=ON,
            memo="Pay",
            chain="run-1",
            sequence=1,
            previous="",
            reverses=None,
            entries=[("wages", "TND", Decimal("1.000")), ("bank", "TND", Decimal("-1"))],
            form=1,
        )
        == hashlib.sha256(canonical).hexdigest()
    )


# close_period


def test_a_period_closes_only_after_the_last_close(closer):
    close_period(ON, user=closer)
    close_period(days(1), user=closer)

    for up_to in (days(1), ON, days(-5)):
        with pytest.raises(ValidationError) as refused:
            close_period(up_to, user=closer)
        assert refused.value.messages == [f"The period up to {days(1)} is already closed."]

    assert list(PeriodClose.objects.values_list("up_to", "closed_by")) == [
        (days(1), closer.pk),
        (ON, closer.pk),
    ]


def test_the_closed_day_takes_no_posting_and_the_next_day_does(ledger, chain, closer):
    close_period(ON, user=closer)

    with pytest.raises(ValidationError) as refused:
        pay(ledger, chain, key="j-1", on=ON)
    assert refused.value.messages == [
        f"The period up to {ON} is closed: no posting may be dated {ON}."
    ]
    assert Journal.objects.count() == 0

    journal = pay(ledger, chain, key="j-1", on=days(1))

    assert list(Journal.objects.values_list("key", "on")) == [("j-1", days(1))]
    assert journal.sequence == 1
    assert verify_ledger() == []


# trial_balance


def rows(balance):
    return [(r.account.currency, r.account.code, r.debit, r.credit) for r in balance.rows]


def test_the_trial_balance_on_a_day(ledger, chain):
    pay(ledger, chain, key="j-1", amount="1200.40", on=days(-20))
    post_journal(
        key="j-2",
        on=days(-10),
        lines=[(ledger.usd_bank, Decimal("310.15")), (ledger.usd_sales, Decimal("-310.15"))],
        memo="Sale",
        chain=chain,
    )
    pay(ledger, chain, key="j-3", amount="99.99", on=ON)
    pay(ledger, chain, key="j-4", amount="5000.00", on=days(1))

    on_the_day = trial_balance(ON)
    earlier = trial_balance(days(-15))

    assert rows(on_the_day) == [
        ("EUR", "bank", Decimal(0), Decimal("1300.39")),
        ("EUR", "wages", Decimal("1300.39"), Decimal(0)),
        ("USD", "bank", Decimal("310.15"), Decimal(0)),
        ("USD", "sales", Decimal(0), Decimal("310.15")),
    ]
    assert on_the_day.totals() == {
        "EUR": (Decimal("1300.39"), Decimal("1300.39")),
        "USD": (Decimal("310.15"), Decimal("310.15")),
    }
    assert rows(earlier) == [
        ("EUR", "bank", Decimal(0), Decimal("1200.40")),
        ("EUR", "wages", Decimal("1200.40"), Decimal(0)),
    ]
    assert earlier.totals() == {"EUR": (Decimal("1200.40"), Decimal("1200.40"))}
    assert rows(trial_balance(days(-21))) == []


def test_an_account_whose_entries_cancel_out_is_left_out_and_verifies(ledger, chain):
    for n, amount in enumerate(["0.10", "0.20", "-0.30"], start=1):
        pay(ledger, chain, key=f"j-{n}", amount=amount)

    assert rows(trial_balance(ON)) == []
    assert trial_balance(ON).totals() == {}
    assert verify_ledger() == []


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


# Any ledger built by posting balances


CURRENCIES = ["EUR", "USD"]


@st.composite
def postings(draw):
    """Accounts in one or two currencies, and journals whose lines balance by construction: in
    each currency a total split over one to three debit accounts and over one to three credit
    accounts with ``allocate`` (weights 1 to 5, so no part rounds to zero)."""
    currencies = draw(st.sampled_from([["EUR"], ["USD"], ["EUR", "USD"]]))
    accounts = {currency: draw(st.integers(2, 4)) for currency in currencies}
    sides = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5)), min_size=1, max_size=3)
    journals = []
    for _n in range(draw(st.integers(1, 6))):
        on = days(draw(st.integers(0, 9)))
        parts = []
        for currency in draw(st.lists(st.sampled_from(currencies), min_size=1, unique=True)):
            cents = draw(st.integers(100, 10**8))
            debit, credit = draw(sides), draw(sides)
            parts.append((currency, cents, debit, credit, accounts[currency]))
        journals.append((on, parts))
    return accounts, journals, days(draw(st.integers(0, 9)))


def lines_of(made, parts):
    lines = []
    for currency, cents, debit, credit, count in parts:
        total = Money(Decimal(cents).scaleb(-2), currency)
        for side, sign in ((debit, 1), (credit, -1)):
            shares = allocate(total * sign, [weight for _index, weight in side])
            lines += [
                (made[currency][index % count], share)
                for (index, _weight), share in zip(side, shares, strict=True)
            ]
    return lines


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(postings())
@example(({"EUR": 2}, [(ON, [("EUR", 100, [(0, 1)], [(0, 1), (0, 1), (0, 1)], 2)])], ON))
def test_any_ledger_built_by_posting_balances_and_verifies(posting):
    accounts, journals, cutoff = posting
    with transaction.atomic():
        made = {
            currency: [account(f"a-{n}", "asset", currency) for n in range(count)]
            for currency, count in accounts.items()
        }
        chain = open_chain("run")
        expected: dict[int, Decimal] = {}
        by_cutoff: dict[int, Decimal] = {}
        for n, (on, parts) in enumerate(journals):
            lines = lines_of(made, parts)
            journal = post_journal(key=f"j-{n}", on=on, lines=lines, memo="Any", chain=chain)
            for line_account, share in lines:
                expected[line_account.pk] = expected.get(line_account.pk, 0) + share.amount
                if on <= cutoff:
                    by_cutoff[line_account.pk] = by_cutoff.get(line_account.pk, 0) + share.amount
            totals: dict[str, Decimal] = {}
            for amount, currency in journal.entries.values_list("amount", "currency"):
                totals[currency] = totals.get(currency, 0) + amount
            assert set(totals.values()) == {0}

        summed: dict[int, Decimal] = {}
        for pk, amount in Entry.objects.values_list("account", "amount"):
            summed[pk] = summed.get(pk, 0) + amount
        stored = dict(Account.objects.values_list("pk", "balance"))
        assert stored == {pk: summed.get(pk, Decimal(0)) for pk in stored}
        assert stored == {pk: expected.get(pk, Decimal(0)) for pk in stored}

        balance = trial_balance(cutoff)
        assert {(r.account.pk, r.debit - r.credit) for r in balance.rows} == {
            (pk, total) for pk, total in by_cutoff.items() if total != 0
        }
        for debit, credit in balance.totals().values():
            assert debit == credit
        assert verify_ledger() == []
        transaction.set_rollback(True)
