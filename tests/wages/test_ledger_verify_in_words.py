"""``verify_ledger`` names every malformed row in words instead of failing on it (a deleted chain
row, an entry whose account is gone, an amount finer than its currency), says when signatures
were not checked, and the deploy check asks for a ledger key.
"""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection, transaction

from core.testing.database import raw, triggers_off
from tests.wages.ledger_tamper_builders import LEDGER_TABLES, build
from wages.ledger import verify_ledger
from wages.ledger.checks import ledger_keys_are_configured
from wages.models import Chain, Entry

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def ledger(accounts):
    build(accounts)
    assert verify_ledger() == []
    return accounts


# Every malformed state is a named finding


@contextmanager
def undone():
    """What the test does inside is rolled back before the test ends: the database checks its
    foreign keys then, and the row that broke one must not be left behind."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_verify_names_a_deleted_chain_row_instead_of_a_key_error(ledger):
    """Before, the check died with a KeyError."""
    pk = Chain.objects.get(name="run-2").pk
    with undone(), triggers_off(*LEDGER_TABLES):
        if connection.vendor == "postgresql":  # past the foreign keys too, as a superuser can
            raw("SET LOCAL session_replication_role = replica")
        raw("DELETE FROM wages_chain WHERE id = %s", pk)
        if connection.vendor == "postgresql":
            raw("SET LOCAL session_replication_role = DEFAULT")

        assert verify_ledger() == [
            f"chain #{pk}: missing, though 1 journal(s) name it",
            "chain run-2 of checkpoint 2 is missing",
        ]


def test_verify_names_an_entry_whose_account_is_gone(ledger):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's foreign key refuses it even with the triggers off")
    bank = ledger["bank"].pk
    with undone():
        raw("DELETE FROM wages_account WHERE code = 'bank'")
        problems = verify_ledger()

    assert problems == [
        f"journal j-1: an entry's account {bank} does not exist",
        "journal j-1: its content does not match its hash",
        f"journal j-2: an entry's account {bank} does not exist",
        "journal j-2: its content does not match its hash",
        f"journal j-3: an entry's account {bank} does not exist",
        "journal j-3: its content does not match its hash",
        f"journal j-4: an entry's account {bank} does not exist",
        "journal j-4: its content does not match its hash",
        f"journal j-5: an entry's account {bank} does not exist",
        "journal j-5: its content does not match its hash",
    ]


def test_verify_names_an_amount_finer_than_its_currency(ledger):
    """A cent's fraction added past the triggers: the sums and the hash (which writes EUR with
    two decimals) would not tell it, so it is named on its own."""
    with triggers_off("wages_entry"):
        Entry.objects.filter(journal__key="j-2", account=ledger["wages"]).update(
            amount=Decimal("20.004")
        )

    assert verify_ledger() == [
        "journal j-2: 20.004 has more decimals than EUR has",
        "journal j-2: does not balance",
    ]


def test_verify_without_ledger_keys_says_the_signatures_were_not_checked(ledger, ledger_key):
    with ledger_key(""):
        problems = verify_ledger()

    assert problems == [
        "ledger keys: No ledger key is configured: set BRIDGEWORK_LEDGER_KEYS or "
        "BRIDGEWORK_LEDGER_KEYS_FILE (python manage.py make_signing_key writes one). "
        "Checkpoint signatures were not checked."
    ]


def test_the_deploy_check_asks_for_a_ledger_key(ledger_key):
    assert ledger_keys_are_configured(None) == []
    with ledger_key("test-ledger-key not-base64"):
        assert [error.id for error in ledger_keys_are_configured(None)] == ["wages.E003"]
    with ledger_key(""):
        errors = ledger_keys_are_configured(None)
    assert [(error.id, error.msg) for error in errors] == [
        (
            "wages.E003",
            "Ledger checkpoints cannot be signed or verified: No ledger key is configured: set "
            "BRIDGEWORK_LEDGER_KEYS or BRIDGEWORK_LEDGER_KEYS_FILE (python manage.py "
            "make_signing_key writes one).",
        )
    ]
