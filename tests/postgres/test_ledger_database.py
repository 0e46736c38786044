"""What PostgreSQL itself guarantees about the ledger, whatever code writes to it (migration 0001
of ``wages``): posted journals, entries and checkpoints never change or disappear; a journal
balances in each currency and has two entries or more when its transaction commits; nothing is
dated inside a closed period. And what ``wages.ledger`` keeps true when many connections post or
close chains at the same moment."""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, transaction

from core.testing.database import first_line, race, raw, refused_by_the_database, triggers_off
from wages.ledger import (
    JournalKeyReused,
    Posting,
    close_chain,
    close_period,
    open_chain,
    post_journal,
    post_journals,
    verify_ledger,
)
from wages.models import Account, Chain, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits

ON = datetime.date(2026, 10, 31)


@pytest.fixture
def ledger():
    return {
        code: Account.objects.create(code=code, name=code.title(), kind=kind, currency=currency)
        for code, kind, currency in [
            ("bank", "asset", "EUR"),
            ("wages", "expense", "EUR"),
            ("usd-bank", "asset", "USD"),
            ("usd-sales", "income", "USD"),
        ]
    }


def pay(ledger, chain, key, amount="10.50", *, on=ON):
    return post_journal(
        key=key,
        on=on,
        lines=[(ledger["wages"], Decimal(amount)), (ledger["bank"], -Decimal(amount))],
        memo="Pay",
        chain=chain,
    )


@pytest.fixture
def closed_run(ledger):
    """run-1 with j-1 and j-2, closed: checkpoint 1."""
    chain = open_chain("run-1")
    pay(ledger, chain, "j-1")
    pay(ledger, chain, "j-2", "4.25")
    close_chain(chain)
    return ledger


def everything():
    """Every ledger row, to show that a refused statement left all of it as it was."""
    return {
        "journals": sorted(
            Journal.objects.values_list(
                "pk", "key", "on", "memo", "chain", "sequence", "previous", "hash", "reverses"
            )
        ),
        "entries": sorted(
            Entry.objects.values_list("pk", "journal", "account", "amount", "currency")
        ),
        "balances": sorted(Account.objects.values_list("code", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(
            Checkpoint.objects.values_list(
                "pk", "sequence", "chain_name", "length", "head", "previous", "hash"
            )
        ),
    }


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


# Posted rows are immutable


def posted_row(table):
    return {
        "wages_entry": lambda: Entry.objects.filter(journal__key="j-1").order_by("pk").first().pk,
        "wages_journal": lambda: Journal.objects.get(key="j-1").pk,
        "wages_checkpoint": lambda: Checkpoint.objects.get(sequence=1).pk,
    }[table]()


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


# verify_ledger finds what only someone past the triggers could do


def test_verify_finds_an_amount_altered_with_the_triggers_disabled(closed_run):
    with triggers_off("wages_entry"):
        assert (
            raw("UPDATE wages_entry SET amount = 12 WHERE id = %s", posted_row("wages_entry")) == 1
        )

    assert verify_ledger() == [
        "journal j-1: does not balance",
        "journal j-1: its content does not match its hash",
        "account wages (EUR): balance 14.75, entries sum to 16.25",
    ]


def test_verify_finds_a_chain_deleted_with_the_triggers_disabled(closed_run):
    chain = Chain.objects.get(name="run-1")
    with triggers_off("wages_entry", "wages_journal", "wages_chain"):
        assert (
            raw(
                "DELETE FROM wages_entry WHERE journal_id IN "
                "(SELECT id FROM wages_journal WHERE chain_id = %s)",
                chain.pk,
            )
            == 4
        )
        assert raw("DELETE FROM wages_journal WHERE chain_id = %s", chain.pk) == 2
        assert raw("DELETE FROM wages_chain WHERE id = %s", chain.pk) == 1

    assert verify_ledger() == [
        "account bank (EUR): balance -14.75, entries sum to 0.00",
        "account wages (EUR): balance 14.75, entries sum to 0.00",
        "chain run-1 of checkpoint 1 is missing",
    ]


# Truncation, chains, and a writer of the database who owns nothing (migration 0007)

ATTACKER = "h_ledger_attacker"
LEDGER_TABLES = ["wages_account", "wages_chain", "wages_journal", "wages_entry", "wages_checkpoint"]


@contextmanager
def as_a_writer_who_owns_nothing():
    """SET ROLE to a role with ordinary GRANT ALL on every table, neither superuser nor owner:
    the probe that found the hole. The role is made inside the test's transaction and rolled back.
    The deferred checks of what the test posted run first (TRUNCATE refuses a table with pending
    trigger events, whoever asks)."""
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw(f"CREATE ROLE {ATTACKER} NOLOGIN")
    raw(f"GRANT USAGE ON SCHEMA public TO {ATTACKER}")
    raw(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ATTACKER}")
    raw(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ATTACKER}")
    raw(f"SET ROLE {ATTACKER}")
    try:
        yield
    finally:
        raw("RESET ROLE")
        raw("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def refused_for_want_of_rights():
    with pytest.raises(ProgrammingError) as refused, transaction.atomic():
        yield refused


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_no_ledger_table_can_be_truncated_by_a_writer_who_owns_nothing(closed_run, table):
    before = everything()

    with as_a_writer_who_owns_nothing(), refused_by_the_database() as refused:
        raw(f"TRUNCATE {table} CASCADE")

    assert first_line(refused) == f"{table} cannot be truncated: the ledger keeps every row"
    assert everything() == before


def test_not_even_the_owner_truncates_without_saying_so(closed_run):
    before = everything()

    raw("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending trigger events
    with refused_by_the_database() as refused:
        raw("SET LOCAL bridgework.allow_ledger_truncate = 'no'")
        raw("TRUNCATE wages_entry, wages_journal, wages_checkpoint")

    assert first_line(refused).endswith("cannot be truncated: the ledger keeps every row")
    assert everything() == before


def test_a_writer_who_owns_nothing_cannot_rewrite_the_ledger(closed_run):
    """Each step of the rewrites that once went undetected is refused by the database:
    truncating, deleting, switching the triggers off, reopening a closed chain."""
    before = everything()
    chain = Chain.objects.get(name="run-1")

    with as_a_writer_who_owns_nothing():
        with refused_by_the_database() as truncate:
            raw("TRUNCATE wages_entry, wages_journal, wages_checkpoint")
        with refused_by_the_database() as delete:
            raw("DELETE FROM wages_checkpoint")
        with refused_for_want_of_rights() as disable:
            raw("ALTER TABLE wages_checkpoint DISABLE TRIGGER USER")
        with refused_for_want_of_rights() as replica:
            raw("SET session_replication_role = replica")
        with refused_by_the_database() as reopen:
            raw("UPDATE wages_chain SET closed_at = NULL WHERE id = %s", chain.pk)
        with refused_by_the_database() as head:
            raw("UPDATE wages_chain SET head = 'x', length = 3 WHERE id = %s", chain.pk)
        with refused_by_the_database() as gone:
            raw("DELETE FROM wages_chain WHERE id = %s", chain.pk)

    assert [first_line(refused) for refused in (truncate, delete, reopen, head, gone)] == [
        "wages_entry cannot be truncated: the ledger keeps every row",
        f"wages_checkpoint {Checkpoint.objects.get().pk} is posted: it cannot be changed or "
        "deleted (post a reversing journal)",
        "chain run-1 is closed: it never changes or opens again",
        "chain run-1 is closed: it never changes or opens again",
        "chain run-1 holds journals or is closed: it cannot be deleted",
    ]
    assert first_line(disable) == "must be owner of table wages_checkpoint"
    assert first_line(replica) == 'permission denied to set parameter "session_replication_role"'
    assert everything() == before
    assert verify_ledger() == []


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
