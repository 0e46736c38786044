"""Fixtures of the pay-run tests (``tests.wages.payrun_builders`` says what the world holds: the
world, week 1 posted with a late record), of the ledger tests (``tests.wages.ledger_builders``:
accounts in two currencies, a chain, a closer), of the tamper-evidence tests (the bank and wages
accounts, the configured ledger keys), and of the background-work tests (tasks queued only)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from core.signing import configured_ledger_keys
from tests.wages.ledger_builders import account
from tests.wages.payrun_builders import D, attend, build_pay_world, posted, record
from tests.wages.task_checks import DUMMY
from wages.ledger import open_chain
from wages.models import Account


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


@pytest.fixture
def accounts():
    return {
        code: Account.objects.create(code=code, name=code, kind=kind, currency="EUR")
        for code, kind in (("bank", "asset"), ("wages", "expense"))
    }


@pytest.fixture
def ledger_key(monkeypatch):
    """Sets the configured ledger keys for a while (``with ledger_key("id seed")``)."""

    class Keys:
        def __call__(self, line):
            self.line = line
            return self

        def __enter__(self):
            monkeypatch.setenv("BRIDGEWORK_LEDGER_KEYS", self.line)
            configured_ledger_keys.cache_clear()

        def __exit__(self, *exc):
            monkeypatch.undo()
            configured_ledger_keys.cache_clear()

    yield Keys()
    configured_ledger_keys.cache_clear()


@pytest.fixture
def week_posted(pay_world):
    """Week 1 posted: two records of W-000000 and a training session."""
    first = pay_world.workers[0]
    pay_world.records = [
        record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40),
        record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "2", 0),
    ]
    pay_world.session = attend(pay_world, first, D(2026, 11, 4), "2")
    pay_world.run = posted(pay_world)
    return pay_world


@pytest.fixture
def queued_only(settings):
    """Tasks wait in the queue until the test runs them."""
    settings.TASKS = DUMMY
