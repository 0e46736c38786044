"""Posting journals (``wages.ledger.posting``): a journal balances in each currency and posts once
per key, a refused posting changes nothing and names every problem at once, and a reversal negates
a journal once.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from moneyed import Money

from core.formatting import format_day
from tests.wages.ledger_builders import ON, balances, days, entries, everything, pay
from wages.ledger import (
    JournalKeyReused,
    close_chain,
    close_period,
    journal_hash,
    post_journal,
    reverse_journal,
    verify_ledger,
)
from wages.models import Chain, Entry, Journal

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def two_currencies(ledger):
    return [
        (ledger.wages, Decimal("10.50")),
        (ledger.bank, Decimal("-10.50")),
        (ledger.usd_bank, Money("7.25", "USD")),
        (ledger.usd_sales, Money("-7.25", "USD")),
    ]


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
        f"The period up to {format_day(ON)} is closed: no posting may be dated "
        f"{format_day(days(-3))}."
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
        f"The period up to {format_day(ON)} is closed: no posting may be dated {format_day(ON)}.",
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
