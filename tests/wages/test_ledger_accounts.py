"""The accounts a pay run posts to (``wages.ledger.accounts``): one per payer, deduction category
and worker, made once per code and currency.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.wages.payrun_builders import EUR
from tests.workshops.builders import build_worker
from wages.ledger.accounts import (
    AccountSpec,
    back_wages_account,
    back_wages_payer_account,
    category_account,
    ensure_accounts,
    own_spending_account,
    payer_account,
)
from wages.models import Account

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_each_payer_category_and_worker_has_its_account():
    assert payer_account("own") == AccountSpec(
        "wages-expense", "Wages, own workshops", Account.Kind.EXPENSE
    )
    assert payer_account("partner:7") == AccountSpec(
        "partner:7:labour", "Wages receivable from partner:7", Account.Kind.ASSET
    )
    assert payer_account("partner:7", {"partner:7": "Acme"}).name == "Wages receivable from Acme"
    assert back_wages_payer_account("own") == AccountSpec(
        "wages-expense:back-wages", "Back wages, own workshops", Account.Kind.EXPENSE
    )
    assert back_wages_payer_account("partner:7") == payer_account("partner:7")
    family = SimpleNamespace(pk=5, code="family", credited_to_worker=True)
    victims = SimpleNamespace(pk=6, code="victims-fund", credited_to_worker=False)
    assert category_account(family, worker_id=3, reference="W-1") == AccountSpec(
        "worker:W-1:family", "W-1 · family", Account.Kind.LIABILITY, 3, "category:5"
    )
    assert own_spending_account(worker_id=3, reference="W-1") == AccountSpec(
        "worker:W-1:own-spending", "W-1 · own-spending", Account.Kind.LIABILITY, 3, "own-spending"
    )
    assert category_account(
        family, worker_id=3, reference="W-1", names={"family": "Family"}
    ).name == ("W-1 · Family")
    assert category_account(victims, worker_id=3, reference="W-1") == AccountSpec(
        "deduction:victims-fund", "Deductions held: victims-fund", Account.Kind.LIABILITY
    )
    assert back_wages_account(worker_id=3, reference="W-1") == AccountSpec(
        "worker:W-1:back-wages", "W-1 · back wages owed", Account.Kind.LIABILITY, 3, "back-wages"
    )


def test_ensure_accounts_makes_the_missing_ones_once_per_code_and_currency():
    worker = build_worker("W-000009")
    kept = Account.objects.create(
        code="wages-expense", name="Wages", kind=Account.Kind.EXPENSE, currency=EUR
    )
    specs = [
        payer_account("own"),
        own_spending_account(worker_id=worker.pk, reference=worker.reference),
        payer_account("partner:4"),
        payer_account("own"),
        AccountSpec("deduction:board", "B" * 250, Account.Kind.LIABILITY),
    ]

    found = ensure_accounts(specs, EUR, batch=2)

    assert set(found) == {
        "deduction:board",
        "partner:4:labour",
        "wages-expense",
        (worker.pk, "own-spending"),
    }
    assert found["wages-expense"].pk == kept.pk
    assert {ref.currency for ref in found.values()} == {EUR}
    assert list(
        Account.objects.order_by("code").values_list(
            "code", "name", "kind", "currency", "worker__reference", "balance"
        )
    ) == [
        ("deduction:board", "B" * 200, "liability", EUR, None, Decimal(0)),
        ("partner:4:labour", "Wages receivable from partner:4", "asset", EUR, None, Decimal(0)),
        ("wages-expense", "Wages", "expense", EUR, None, Decimal(0)),
        (
            "worker:W-000009:own-spending",
            "W-000009 · own-spending",
            "liability",
            EUR,
            "W-000009",
            Decimal(0),
        ),
    ]
    assert ensure_accounts(specs, EUR) == found
    assert Account.objects.count() == 4

    in_dollars = ensure_accounts([payer_account("own")], "USD")

    assert in_dollars["wages-expense"].pk != kept.pk
    assert Account.objects.filter(code="wages-expense").count() == 2
