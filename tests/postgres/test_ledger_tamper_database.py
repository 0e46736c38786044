"""What it takes to tamper with the ledger on PostgreSQL, and what is found: ``verify_ledger`` finds
an amount altered or a chain deleted with the triggers disabled, and a writer who owns nothing can
neither truncate nor rewrite a ledger table (not even the owner truncates without saying so).
"""

from contextlib import contextmanager

import pytest
from django.db import ProgrammingError, transaction

from core.testing.database import first_line, raw, refused_by_the_database, triggers_off
from tests.postgres.ledger_checks import everything, posted_row
from wages.ledger import verify_ledger
from wages.models import Chain, Checkpoint

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


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
        raw("TRUNCATE wages_entry, wages_journal, wages_checkpoint CASCADE")

    assert first_line(refused).endswith("cannot be truncated: the ledger keeps every row")
    assert everything() == before


def test_a_writer_who_owns_nothing_cannot_rewrite_the_ledger(closed_run):
    """Each step of the rewrites that once went undetected is refused by the database:
    truncating, deleting, switching the triggers off, reopening a closed chain."""
    before = everything()
    chain = Chain.objects.get(name="run-1")

    with as_a_writer_who_owns_nothing():
        with refused_by_the_database() as truncate:
            raw("TRUNCATE wages_entry, wages_journal, wages_checkpoint CASCADE")
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
