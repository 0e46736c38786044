"""Fixtures of the pay-run tests (``tests.wages.payrun_builders`` says what the world holds) and of
the ledger tests (``tests.wages.ledger_builders``): accounts in two currencies, a chain, a closer."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from tests.wages.ledger_builders import account
from tests.wages.payrun_builders import build_pay_world
from wages.ledger import open_chain


@pytest.fixture
def pay_world():
    return build_pay_world()


@pytest.fixture
def unpriced_world():
    """Three workers, the workshops and the enrolments, without rates, contract, benchmarks or
    policy."""
    return build_pay_world(priced=False, workers=3)


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
