"""The ledger against any sequence of postings (Hypothesis): whatever is posted, balances add up
and ``verify_ledger`` finds nothing.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from moneyed import Money

from core.money import allocate
from tests.wages.ledger_builders import ON, account, days
from wages.ledger import open_chain, post_journal, trial_balance, verify_ledger
from wages.models import Account, Entry

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# Any ledger built by posting balances


CURRENCIES = ["EUR", "USD"]


@st.composite
def postings(draw):
    """Accounts in one or two currencies, and journals whose lines balance by construction: in
    each currency a total split over one to three debit accounts and over one to three credit
    accounts with ``allocate`` (weights 1 to 5, so no part rounds to zero)."""
    currencies = draw(st.sampled_from([["EUR"], ["USD"], ["EUR", "USD"]]))
    accounts = {currency: draw(st.integers(2, 4)) for currency in currencies}
    sides = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5)), min_size=1, max_size=3)
    journals = []
    for _n in range(draw(st.integers(1, 6))):
        on = days(draw(st.integers(0, 9)))
        parts = []
        for currency in draw(st.lists(st.sampled_from(currencies), min_size=1, unique=True)):
            cents = draw(st.integers(100, 10**8))
            debit, credit = draw(sides), draw(sides)
            parts.append((currency, cents, debit, credit, accounts[currency]))
        journals.append((on, parts))
    return accounts, journals, days(draw(st.integers(0, 9)))


def lines_of(made, parts):
    lines = []
    for currency, cents, debit, credit, count in parts:
        total = Money(Decimal(cents).scaleb(-2), currency)
        for side, sign in ((debit, 1), (credit, -1)):
            shares = allocate(total * sign, [weight for _index, weight in side])
            lines += [
                (made[currency][index % count], share)
                for (index, _weight), share in zip(side, shares, strict=True)
            ]
    return lines


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(postings())
@example(({"EUR": 2}, [(ON, [("EUR", 100, [(0, 1)], [(0, 1), (0, 1), (0, 1)], 2)])], ON))
def test_any_ledger_built_by_posting_balances_and_verifies(posting):
    accounts, journals, cutoff = posting
    with transaction.atomic():
        made = {
            currency: [account(f"a-{n}", "asset", currency) for n in range(count)]
            for currency, count in accounts.items()
        }
        chain = open_chain("run")
        expected: dict[int, Decimal] = {}
        by_cutoff: dict[int, Decimal] = {}
        for n, (on, parts) in enumerate(journals):
            lines = lines_of(made, parts)
            journal = post_journal(key=f"j-{n}", on=on, lines=lines, memo="Any", chain=chain)
            for line_account, share in lines:
                expected[line_account.pk] = expected.get(line_account.pk, 0) + share.amount
                if on <= cutoff:
                    by_cutoff[line_account.pk] = by_cutoff.get(line_account.pk, 0) + share.amount
            totals: dict[str, Decimal] = {}
            for amount, currency in journal.entries.values_list("amount", "currency"):
                totals[currency] = totals.get(currency, 0) + amount
            assert set(totals.values()) == {0}

        summed: dict[int, Decimal] = {}
        for pk, amount in Entry.objects.values_list("account", "amount"):
            summed[pk] = summed.get(pk, 0) + amount
        stored = dict(Account.objects.values_list("pk", "balance"))
        assert stored == {pk: summed.get(pk, Decimal(0)) for pk in stored}
        assert stored == {pk: expected.get(pk, Decimal(0)) for pk in stored}

        balance = trial_balance(cutoff)
        assert {(r.account.pk, r.debit - r.credit) for r in balance.rows} == {
            (pk, total) for pk, total in by_cutoff.items() if total != 0
        }
        for debit, credit in balance.totals().values():
            assert debit == credit
        assert verify_ledger() == []
        transaction.set_rollback(True)
