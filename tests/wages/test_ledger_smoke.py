"""The ledger's first promises: a balanced journal posts once, an unbalanced one never does, and
verify_ledger finds an altered amount."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.testing.database import triggers_off
from wages.ledger import JournalKeyReused, close_chain, open_chain, post_journal, verify_ledger
from wages.models import Account, Entry, Journal

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 10, 31)


@pytest.fixture
def accounts():
    return (
        Account.objects.create(code="bank", name="Bank", kind="asset", currency="EUR"),
        Account.objects.create(code="wages", name="Wages", kind="expense", currency="EUR"),
    )


def test_a_balanced_journal_posts_once_and_verifies(accounts):
    bank, wages = accounts
    chain = open_chain("run-1")
    lines = [(wages, Decimal("10.50")), (bank, Decimal("-10.50"))]

    journal = post_journal(key="j-1", on=ON, lines=lines, memo="Pay", chain=chain)
    again = post_journal(key="j-1", on=ON, lines=lines, memo="Pay", chain=chain)
    close_chain(chain)

    assert again == journal
    assert Journal.objects.count() == 1
    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal("-10.50")),
        ("wages", Decimal("10.50")),
    ]
    assert verify_ledger() == []


def test_an_unbalanced_journal_or_a_reused_key_changes_nothing(accounts):
    bank, wages = accounts
    chain = open_chain("run-1")
    post_journal(
        key="j-1", on=ON, lines=[(wages, Decimal(5)), (bank, Decimal(-5))], memo="Pay", chain=chain
    )

    with pytest.raises(ValidationError) as unbalanced:
        post_journal(
            key="j-2",
            on=ON,
            lines=[(wages, Decimal(5)), (bank, Decimal(-4))],
            memo="x",
            chain=chain,
        )
    with pytest.raises(JournalKeyReused):
        post_journal(
            key="j-1",
            on=ON,
            lines=[(wages, Decimal(6)), (bank, Decimal(-6))],
            memo="x",
            chain=chain,
        )

    assert unbalanced.value.messages == ["The journal does not balance: +1 EUR."]
    assert (Journal.objects.count(), Entry.objects.count()) == (1, 2)
    assert verify_ledger() == []


def test_verify_ledger_finds_an_altered_amount(accounts):
    bank, wages = accounts
    chain = open_chain("run-1")
    post_journal(
        key="j-1", on=ON, lines=[(wages, Decimal(5)), (bank, Decimal(-5))], memo="Pay", chain=chain
    )
    close_chain(chain)

    with triggers_off("wages_entry"):  # on PostgreSQL the database itself would refuse it
        Entry.objects.filter(account=wages).update(amount=Decimal(50))

    assert verify_ledger() == [
        "journal j-1: does not balance",
        "journal j-1: its content does not match its hash",
        "account wages (EUR): balance 5.00, entries sum to 50.00",
    ]
