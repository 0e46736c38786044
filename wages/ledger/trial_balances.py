"""The trial balance: every account's balance on a day, debits and credits per currency."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from core.money import decimal_places
from wages.ledger.verification.streams import in_units
from wages.models import Account, Entry


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def places(self) -> int:
        """The decimals of the account's currency, as its amounts are shown."""
        return decimal_places(self.account.currency)


@dataclass(frozen=True)
class TrialBalance:
    on: datetime.date
    rows: list[TrialBalanceRow]

    def totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Currency → (debits, credits): equal when the ledger balances."""
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for row in self.rows:
            totals[row.account.currency][0] += row.debit
            totals[row.account.currency][1] += row.credit
        return {currency: (debit, credit) for currency, (debit, credit) in totals.items()}


def trial_balance(on: datetime.date) -> TrialBalance:
    """Every account's balance from the journals dated on or before ``on``, exact to its
    currency's minor unit."""
    sums = [
        {"account": row["account"], "total": in_units(row["total"], row["account__currency"])}
        for row in Entry.objects.filter(journal__on__lte=on)
        .values("account", "account__currency")
        .annotate(total=Sum("amount"))
    ]
    sums = [row for row in sums if row["total"] != 0]
    accounts = Account.objects.in_bulk([row["account"] for row in sums])
    rows = [
        TrialBalanceRow(
            account=accounts[row["account"]],
            debit=max(row["total"], Decimal(0)),
            credit=max(-row["total"], Decimal(0)),
        )
        for row in sums
    ]
    rows.sort(key=lambda row: (row.account.currency, row.account.code))
    return TrialBalance(on=on, rows=rows)
