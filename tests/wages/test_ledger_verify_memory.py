"""``verify_ledger`` streams the journals: the memory it uses does not grow with the ledger, and
progress is told the journals checked.
"""

import tracemalloc

import pytest
from django.db import connection

from tests.wages.ledger_tamper_builders import journals
from wages.ledger import verify_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def peak_while_verifying() -> int:
    connection.ensure_connection()
    verify_ledger()  # warm: statements compiled, caches filled
    tracemalloc.start()
    try:
        assert verify_ledger() == []
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verification_streams_in_memory_that_does_not_grow_with_the_ledger(accounts, monkeypatch):
    """Ten times the journals, not ten times the memory: before, every entry was held at once."""
    monkeypatch.setattr("wages.ledger.verification.streams.STREAM_CHUNK", 50, raising=False)
    journals(accounts, 300)
    small = peak_while_verifying()
    journals(accounts, 2_700)
    large = peak_while_verifying()

    assert large < small * 1.5, (small, large)


def test_progress_is_told_the_journals_checked(accounts, monkeypatch):
    monkeypatch.setattr("wages.ledger.verification.journals.PROGRESS_EVERY", 100, raising=False)
    journals(accounts, 250)
    told = []

    assert verify_ledger(progress=told.append) == []
    assert told == [100, 200]
