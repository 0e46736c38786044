"""What PostgreSQL itself guarantees about the ledger, whatever code writes to it (migration 0001
of ``wages``): posted journals, entries and checkpoints never change or disappear; a journal
balances in each currency and has two entries or more when its transaction commits; nothing is
dated inside a closed period or added to a closed chain; an open chain keeps its journals and its
name; amounts keep three decimals exactly and a wider one is refused in words.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.testing.database import first_line, raw, refused_by_the_database
from tests.postgres.ledger_checks import ON, everything, pay, posted_row
from wages.ledger import close_chain, close_period, open_chain, post_journal, verify_ledger
from wages.models import Account, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


def insert_journal(chain, key, on=ON) -> int:
    (pk,) = raw(
        'INSERT INTO wages_journal (key, "on", memo, chain_id, sequence, previous, hash, posted_at) '
        "VALUES (%s, %s, 'Raw', %s, %s, '', 'not a hash', now()) RETURNING id",
        key,
        on,
        chain.pk,
        Journal.objects.filter(chain=chain).count() + 1,
    )
    return pk


def insert_entry(journal_id, account, amount):
    raw(
        "INSERT INTO wages_entry (journal_id, account_id, amount, currency) VALUES (%s, %s, %s, %s)",
        journal_id,
        account.pk,
        Decimal(amount),
        account.currency,
    )


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("wages_entry", "UPDATE wages_entry SET amount = 99 WHERE id = %s"),
        ("wages_entry", "UPDATE wages_entry SET account_id = account_id WHERE id = %s"),
        ("wages_entry", "DELETE FROM wages_entry WHERE id = %s"),
        ("wages_journal", "UPDATE wages_journal SET memo = 'Bonus' WHERE id = %s"),
        ("wages_journal", 'UPDATE wages_journal SET "on" = "on" + 1 WHERE id = %s'),
        ("wages_journal", "DELETE FROM wages_journal WHERE id = %s"),
        ("wages_checkpoint", "UPDATE wages_checkpoint SET length = 7 WHERE id = %s"),
        ("wages_checkpoint", "DELETE FROM wages_checkpoint WHERE id = %s"),
    ],
    ids=[
        "entry-amount",
        "entry-unchanged-value",
        "entry-delete",
        "journal-memo",
        "journal-date",
        "journal-delete",
        "checkpoint-length",
        "checkpoint-delete",
    ],
)
def test_a_posted_row_cannot_be_changed_or_deleted_in_raw_sql(closed_run, table, sql):
    pk = posted_row(table)
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, pk)

    assert first_line(refused) == (
        f"{table} {pk} is posted: it cannot be changed or deleted (post a reversing journal)"
    )
    assert everything() == before
    assert verify_ledger() == []


def test_the_orm_cannot_delete_a_checkpoint_either(closed_run):
    pk = posted_row("wages_checkpoint")
    before = everything()

    with refused_by_the_database() as refused:
        Checkpoint.objects.filter(pk=pk).delete()

    assert first_line(refused) == (
        f"wages_checkpoint {pk} is posted: it cannot be changed or deleted "
        "(post a reversing journal)"
    )
    assert everything() == before


# Balanced at commit


UNBALANCED = [
    ((("wages", "5.00"), ("bank", "-4.00")), "journal {pk} does not balance: EUR 1.000"),
    (
        (("wages", "5.00"), ("bank", "-5.00"), ("usd-bank", "2.00"), ("usd-sales", "-1.99")),
        "journal {pk} does not balance: USD 0.010",
    ),
    ((("wages", "5.00"),), "journal {pk} has 1 entries: a journal has two or more"),
    ((), "journal {pk} has 0 entries: a journal has two or more"),
]


@at_once
def test_a_journal_that_does_not_balance_is_refused_at_commit(ledger):
    """Each statement is accepted (entries go in one by one); COMMIT runs the deferred check.
    One transactional test for all the cases: each costs a flush of the whole database."""
    chain = open_chain("run-1")

    for n, (amounts, message) in enumerate(UNBALANCED, start=1):
        reached_the_end = False
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            pk = insert_journal(chain, f"j-raw-{n}")
            for code, amount in amounts:
                insert_entry(pk, ledger[code], amount)
            reached_the_end = True

        assert reached_the_end
        assert first_line(refused) == message.format(pk=pk)
        assert (Journal.objects.count(), Entry.objects.count()) == (0, 0)

    with transaction.atomic():  # what balances commits
        pk = insert_journal(chain, "j-raw")
        insert_entry(pk, ledger["wages"], "5.00")
        insert_entry(pk, ledger["bank"], "-2.50")
        insert_entry(pk, ledger["bank"], "-2.50")

    assert sorted(Entry.objects.values_list("journal__key", "account__code", "amount")) == [
        ("j-raw", "bank", Decimal("-2.50")),
        ("j-raw", "bank", Decimal("-2.50")),
        ("j-raw", "wages", Decimal("5.00")),
    ]
    assert sorted(Account.objects.values_list("code", "balance")) == [
        ("bank", Decimal("0.00")),
        ("usd-bank", Decimal("0.00")),
        ("usd-sales", Decimal("0.00")),
        ("wages", Decimal("0.00")),
    ]


# A committed journal takes no more entries


@at_once
def test_entries_are_never_added_to_a_journal_an_earlier_transaction_posted(ledger):
    """Not one entry, and not a balanced pair either (which the balance check alone lets
    through), whether the journal is recent or frozen by VACUUM; entries of a journal inserted
    in the same transaction, in a savepoint or not, are accepted."""
    chain = open_chain("run-1")
    pay(ledger, chain, "j-1")
    journal = Journal.objects.get(key="j-1").pk
    before = everything()

    for frozen in (False, True):
        if frozen:
            raw("VACUUM (FREEZE) wages_journal")
        for amounts in ((("wages", "1.00"),), (("wages", "1.00"), ("bank", "-1.00"))):
            with pytest.raises(IntegrityError) as refused, transaction.atomic():
                for code, amount in amounts:
                    insert_entry(journal, ledger[code], amount)
            assert first_line(refused) == (
                f"journal {journal} is posted: no entry is added to it (post another journal)"
            )
            assert everything() == before

    with transaction.atomic():
        new = insert_journal(chain, "j-raw")
        insert_entry(new, ledger["wages"], "2.00")
        with transaction.atomic():  # a savepoint
            insert_entry(new, ledger["bank"], "-1.00")
            later = insert_journal(chain, "j-raw-2")
        insert_entry(new, ledger["bank"], "-1.00")
        insert_entry(later, ledger["wages"], "3.00")
        insert_entry(later, ledger["bank"], "-3.00")

    assert sorted(Entry.objects.filter(journal__in=[new, later]).values_list("amount")) == [
        (Decimal("-3.00"),),
        (Decimal("-1.00"),),
        (Decimal("-1.00"),),
        (Decimal("2.00"),),
        (Decimal("3.00"),),
    ]


def test_entries_are_never_added_to_a_journal_of_a_closed_chain(closed_run):
    """Even by the transaction that posted it (this test's): the chain's checkpoint is made."""
    journal = Journal.objects.get(key="j-1").pk
    before = everything()

    with refused_by_the_database() as refused:
        insert_entry(journal, closed_run["wages"], "1.00")
        insert_entry(journal, closed_run["bank"], "-1.00")

    assert first_line(refused) == (
        f"journal {journal} is posted: no entry is added to it (post another journal)"
    )
    assert everything() == before


# Closed periods


def test_a_journal_dated_inside_a_closed_period_is_refused_in_raw_sql(closed_run):
    close_period(ON, user=User.objects.create_user("closer"))
    chain = open_chain("run-2")
    before = everything()

    for day in (ON, ON - datetime.timedelta(days=30)):
        with refused_by_the_database() as refused:
            insert_journal(chain, "j-raw", on=day)
        assert first_line(refused) == (
            f"the period up to {ON} is closed: journal j-raw cannot be dated {day}"
        )

    assert everything() == before
    next_day = insert_journal(chain, "j-raw", on=ON + datetime.timedelta(days=1))
    insert_entry(next_day, closed_run["wages"], "1.00")  # balanced: the test's teardown runs
    insert_entry(next_day, closed_run["bank"], "-1.00")  # the deferred checks
    assert Journal.objects.values_list("key", "on").get(pk=next_day) == (
        "j-raw",
        ON + datetime.timedelta(days=1),
    )


def test_an_open_chain_never_loses_journals_or_its_name(ledger):
    chain = open_chain("run-1")
    pay(ledger, chain, "j-1")
    before = everything()

    for sql in (
        "UPDATE wages_chain SET length = 0, head = '' WHERE id = %s",
        "UPDATE wages_chain SET name = 'run-9' WHERE id = %s",
    ):
        with refused_by_the_database() as refused:
            raw(sql, chain.pk)
        assert first_line(refused) == "chain run-1 keeps its name and never loses journals"

    assert everything() == before


# Any currency on PostgreSQL


def test_three_decimals_are_kept_exactly_and_verify():
    """With TND, 1.005 was stored 1.01 and verify_ledger then reported a mismatch."""
    bank = Account.objects.create(code="bank", name="Bank", kind="asset", currency="TND")
    wages = Account.objects.create(code="wages", name="Wages", kind="expense", currency="TND")
    chain = open_chain("run-1")

    post_journal(
        key="j-1",
        on=ON,
        lines=[(wages, Decimal("1.005")), (bank, Decimal("-1.005"))],
        memo="Pay",
        chain=chain,
    )
    close_chain(chain)

    assert sorted(Entry.objects.values_list("account__code", "amount")) == [
        ("bank", Decimal("-1.005")),
        ("wages", Decimal("1.005")),
    ]
    assert raw("SELECT amount::text FROM wages_entry WHERE account_id = %s", wages.pk) == ("1.005",)
    assert verify_ledger() == []


def test_an_amount_wider_than_the_column_is_refused_in_words_not_a_data_error(ledger):
    chain = open_chain("run-1")
    before = everything()

    with pytest.raises(ValidationError) as refused:
        pay(ledger, chain, "j-1", "1000000000000")

    assert refused.value.messages == [
        "1000000000000 EUR is more than the ledger holds: an amount has at most 12 digits "
        "before the decimal point."
    ]
    assert everything() == before
