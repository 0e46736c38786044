"""Any currency in the ledger (issue 16, items 9 and 10): amounts of 0, 2 and 3 decimals are kept
exactly, hashed with their currency's own decimals (hash form 2; form 1 still verifies), balanced
and verified to the currency's minor unit; an amount or a balance wider than the column is refused
in words, and ``verify_ledger`` names such a row instead of dying on it. Runs on SQLite and on
PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import override_settings

from core.testing.database import raw, triggers_off
from wages.ledger import (
    Posting,
    checkpoint_hash,
    close_chain,
    journal_hash,
    open_chain,
    post_journal,
    post_journals,
    trial_balance,
    verify_ledger,
)
from wages.ledger.checks import currency_is_known
from wages.models import Account, Chain, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
ON = datetime.date(2026, 10, 31)


def accounts(currency):
    return [
        Account.objects.create(code=code, name=code, kind=kind, currency=currency)
        for code, kind in (("bank", "asset"), ("wages", "expense"), ("family", "liability"))
    ]


def everything():
    return {
        "journals": sorted(Journal.objects.values_list("key", "sequence", "hash")),
        "entries": sorted(Entry.objects.values_list("journal__key", "account__code", "amount")),
        "balances": sorted(Account.objects.values_list("code", "currency", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head")),
    }


def test_three_decimals_post_exactly_and_verify():
    """TND has three decimals: 1.005 is kept as 1.005 (it was stored 1.01 on PostgreSQL, and
    each line rounded on SQLite, where 1.005 + 1.005 - 2.010 then committed unbalanced)."""
    bank, wages, family = accounts("TND")
    chain = open_chain("run-1")

    journal = post_journal(
        key="j-1",
        on=ON,
        lines=[(wages, Decimal("1.005")), (family, Decimal("1.005")), (bank, Decimal("-2.010"))],
        memo="Pay",
        chain=chain,
    )
    close_chain(chain)

    assert sorted(journal.entries.values_list("account__code", "amount")) == [
        ("bank", Decimal("-2.010")),
        ("family", Decimal("1.005")),
        ("wages", Decimal("1.005")),
    ]
    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal("-2.010")),
        ("family", Decimal("1.005")),
        ("wages", Decimal("1.005")),
    ]
    assert journal.form == 2
    assert journal.hash == journal_hash(
        key="j-1",
        on=ON,
        memo="Pay",
        chain="run-1",
        sequence=1,
        previous="",
        reverses=None,
        entries=[
            ("wages", "TND", Decimal("1.005")),
            ("family", "TND", Decimal("1.005")),
            ("bank", "TND", Decimal("-2.010")),
        ],
    )
    assert [(r.account.code, r.debit, r.credit, r.places) for r in trial_balance(ON).rows] == [
        ("bank", Decimal(0), Decimal("2.010"), 3),
        ("family", Decimal("1.005"), Decimal(0), 3),
        ("wages", Decimal("1.005"), Decimal(0), 3),
    ]
    assert verify_ledger() == []


def test_the_hash_covers_the_third_decimal():
    bank, wages, _family = accounts("TND")
    chain = open_chain("run-1")
    post_journal(
        key="j-1",
        on=ON,
        lines=[(wages, Decimal("1.005")), (bank, Decimal("-1.005"))],
        memo="Pay",
        chain=chain,
    )

    with triggers_off("wages_entry"):
        Entry.objects.filter(account=wages).update(amount=Decimal("1.004"))
        Entry.objects.filter(account=bank).update(amount=Decimal("-1.004"))

    assert verify_ledger() == [
        "journal j-1: its content does not match its hash",
        "account bank (TND): balance -1.005, entries sum to -1.004",
        "account wages (TND): balance 1.005, entries sum to 1.004",
    ]


def test_an_unbalanced_three_decimal_journal_is_refused():
    bank, wages, _family = accounts("TND")
    chain = open_chain("run-1")
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journal(
            key="j-1",
            on=ON,
            lines=[(wages, Decimal("1.005")), (bank, Decimal("-1.004"))],
            memo="Pay",
            chain=chain,
        )

    assert refused.value.messages == ["The journal does not balance: +0.001 TND."]
    assert everything() == before


@pytest.mark.parametrize(
    ("currency", "amount", "message"),
    [
        ("JPY", "1.5", "1.5 has more decimals than JPY has: round it first."),
        ("EUR", "1.005", "1.005 has more decimals than EUR has: round it first."),
        ("TND", "1.0005", "1.0005 has more decimals than TND has: round it first."),
    ],
)
def test_an_amount_finer_than_its_currency_is_refused(currency, amount, message):
    bank, wages, _family = accounts(currency)
    chain = open_chain("run-1")
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journal(
            key="j-1",
            on=ON,
            lines=[(wages, Decimal(amount)), (bank, -Decimal(amount))],
            memo="Pay",
            chain=chain,
        )

    assert refused.value.messages == [message]
    assert everything() == before


def test_whole_yen_post_and_verify():
    bank, wages, _family = accounts("JPY")
    chain = open_chain("run-1")

    post_journal(
        key="j-1",
        on=ON,
        lines=[(wages, Decimal(1500)), (bank, Decimal(-1500))],
        memo="Pay",
        chain=chain,
    )
    close_chain(chain)

    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal(-1500)),
        ("family", Decimal(0)),
        ("wages", Decimal(1500)),
    ]
    assert verify_ledger() == []


def test_journals_and_checkpoints_of_the_first_form_still_verify():
    """Rows hashed before migration 0007 (form 1: amounts written with two decimals, no
    ``form`` member, checkpoints unsigned) verify as they were, when the configuration says
    which checkpoints came before signing."""
    bank, wages, _family = accounts("EUR")
    chain = open_chain("run-1")
    post_journal(
        key="j-1",
        on=ON,
        lines=[(wages, Decimal("10.5")), (bank, Decimal("-10.5"))],
        memo="Pay",
        chain=chain,
    )
    close_chain(chain)
    old = journal_hash(
        key="j-1",
        on=ON,
        memo="Pay",
        chain="run-1",
        sequence=1,
        previous="",
        reverses=None,
        entries=[("wages", "EUR", Decimal("10.50")), ("bank", "EUR", Decimal("-10.50"))],
        form=1,
    )
    with triggers_off("wages_journal", "wages_checkpoint", "wages_chain"):
        Journal.objects.update(form=1, hash=old)
        Chain.objects.update(head=old)
        Checkpoint.objects.update(
            form=1,
            head=old,
            key_id="",
            signature="",
            hash=checkpoint_hash(
                sequence=1, chain="run-1", length=1, head=old, previous="", form=1
            ),
        )

    assert Journal.objects.values_list("form", "hash").get() == (1, old)
    with override_settings(BRIDGEWORK_LEDGER_UNSIGNED_UP_TO=1):
        assert verify_ledger() == []
    assert verify_ledger() == ["checkpoint 1: not signed"]


# Amounts wider than the column (AMOUNT: 14 digits before the point)

LIMIT = Decimal(10) ** 12


@pytest.mark.parametrize("amount", [LIMIT, -LIMIT, Decimal("1E+20")])
def test_an_amount_wider_than_the_column_is_refused_in_words(amount):
    bank, wages, _family = accounts("EUR")
    chain = open_chain("run-1")
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journal(
            key="j-1", on=ON, lines=[(wages, amount), (bank, -amount)], memo="Pay", chain=chain
        )

    assert refused.value.messages == [
        f"{amount} EUR is more than the ledger holds: an amount has at most 12 digits before "
        "the decimal point."
    ]
    assert everything() == before


def test_a_balance_that_would_overflow_is_refused_in_words():
    bank, wages, _family = accounts("EUR")
    chain = open_chain("run-1")
    most = LIMIT - Decimal("0.01")
    post_journal(key="j-1", on=ON, lines=[(wages, most), (bank, -most)], memo="Pay", chain=chain)
    before = everything()

    with pytest.raises(ValidationError) as refused:
        post_journal(
            key="j-2",
            on=ON,
            lines=[(wages, Decimal("0.01")), (bank, Decimal("-0.01"))],
            memo="Pay",
            chain=chain,
        )
    with pytest.raises(ValidationError) as refused_in_bulk:
        post_journals(
            [
                Posting(
                    key="j-3", on=ON, memo="Pay", lines=[(wages, Decimal(5)), (bank, Decimal(-5))]
                )
            ],
            chain=chain,
        )

    assert refused.value.messages == [
        "The balance of bank would be -1000000000000.00 EUR, more than the ledger holds.",
        "The balance of wages would be 1000000000000.00 EUR, more than the ledger holds.",
    ]
    assert refused_in_bulk.value.messages == [
        "The balance of bank would be -1000000000004.99 EUR, more than the ledger holds.",
        "The balance of wages would be 1000000000004.99 EUR, more than the ledger holds.",
    ]
    assert everything() == before
    assert verify_ledger() == []


def test_verify_names_an_amount_wider_than_the_column_instead_of_dying():
    """SQLite keeps whatever number it is given; reading such a row through the models raises,
    so before this fix ``verify_ledger`` died with a traceback. PostgreSQL's column refuses the
    row itself (tests/postgres)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's numeric column refuses the row itself")
    bank, wages, _family = accounts("EUR")
    chain = open_chain("run-1")
    journal = post_journal(
        key="j-1", on=ON, lines=[(wages, Decimal(5)), (bank, Decimal(-5))], memo="Pay", chain=chain
    )
    raw("UPDATE wages_entry SET amount = 1000000000000 WHERE account_id = %s", wages.pk)
    raw("UPDATE wages_account SET balance = 1000000000000 WHERE id = %s", wages.pk)

    assert verify_ledger() == [
        "journal j-1: 1000000000000 EUR is more than the ledger holds",
        "journal j-1: does not balance",
        "journal j-1: its content does not match its hash",
        "account wages (EUR): its balance 1000000000000 is more than the ledger holds",
    ]
    assert journal.pk


# The brand's currency


@pytest.mark.parametrize(
    ("code", "errors"),
    [
        ("EUR", []),
        ("TND", []),
        ("JPY", []),
        ("XYZ", ["wages.E001"]),
        ("eur", ["wages.E001"]),
        ("", ["wages.E001"]),
        ("CLF", ["wages.E002"]),
    ],
)
def test_the_system_check_refuses_a_currency_the_ledger_cannot_hold(code, errors):
    with override_settings(BRIDGEWORK_CURRENCY=code):
        assert [error.id for error in currency_is_known(None)] == errors


def test_check_fails_on_an_unknown_currency():
    with override_settings(BRIDGEWORK_CURRENCY="XYZ"), pytest.raises(SystemCheckError) as failed:
        call_command("check")

    assert "(wages.E001) BRIDGEWORK_CURRENCY='XYZ' is not an ISO 4217 currency code." in str(
        failed.value
    )
