"""The trial balance (``wages.ledger.trial_balances``): what each account holds on a day, and an
account whose entries cancel out left out.
"""

from decimal import Decimal

import pytest

from tests.wages.ledger_builders import ON, days, pay
from wages.ledger import post_journal, trial_balance, verify_ledger

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# trial_balance


def rows(balance):
    return [(r.account.currency, r.account.code, r.debit, r.credit) for r in balance.rows]


def test_the_trial_balance_on_a_day(ledger, chain):
    pay(ledger, chain, key="j-1", amount="1200.40", on=days(-20))
    post_journal(
        key="j-2",
        on=days(-10),
        lines=[(ledger.usd_bank, Decimal("310.15")), (ledger.usd_sales, Decimal("-310.15"))],
        memo="Sale",
        chain=chain,
    )
    pay(ledger, chain, key="j-3", amount="99.99", on=ON)
    pay(ledger, chain, key="j-4", amount="5000.00", on=days(1))

    on_the_day = trial_balance(ON)
    earlier = trial_balance(days(-15))

    assert rows(on_the_day) == [
        ("EUR", "bank", Decimal(0), Decimal("1300.39")),
        ("EUR", "wages", Decimal("1300.39"), Decimal(0)),
        ("USD", "bank", Decimal("310.15"), Decimal(0)),
        ("USD", "sales", Decimal(0), Decimal("310.15")),
    ]
    assert on_the_day.totals() == {
        "EUR": (Decimal("1300.39"), Decimal("1300.39")),
        "USD": (Decimal("310.15"), Decimal("310.15")),
    }
    assert rows(earlier) == [
        ("EUR", "bank", Decimal(0), Decimal("1200.40")),
        ("EUR", "wages", Decimal("1200.40"), Decimal(0)),
    ]
    assert earlier.totals() == {"EUR": (Decimal("1200.40"), Decimal("1200.40"))}
    assert rows(trial_balance(days(-21))) == []


def test_an_account_whose_entries_cancel_out_is_left_out_and_verifies(ledger, chain):
    for n, amount in enumerate(["0.10", "0.20", "-0.30"], start=1):
        pay(ledger, chain, key=f"j-{n}", amount=amount)

    assert rows(trial_balance(ON)) == []
    assert trial_balance(ON).totals() == {}
    assert verify_ledger() == []
