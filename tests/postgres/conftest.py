"""Fixtures shared by several PostgreSQL test modules: the ledger's accounts in two currencies, and
a chain of two journals closed into the first checkpoint. (Each module still declares its own
``locales`` and ``at_once``, as they say what that module's tests need.)
"""

import pytest

from tests.postgres.ledger_checks import pay
from wages.ledger import close_chain, open_chain
from wages.models import Account


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


@pytest.fixture
def closed_run(ledger):
    """run-1 with j-1 and j-2, closed: checkpoint 1."""
    chain = open_chain("run-1")
    pay(ledger, chain, "j-1")
    pay(ledger, chain, "j-2", "4.25")
    close_chain(chain)
    return ledger
