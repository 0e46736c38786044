"""The trial balance: every account's balance on a day, debits and credits per currency, and the
same rows grouped by the accounts' kind (assets, liabilities, equity, income, expense) with a
subtotal per kind and currency."""

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
        return _sums(self.rows)

    def by_kind(self) -> list["KindGroup"]:
        """The rows grouped by their account's kind, in the order of ``Account.Kind``; kinds
        with no row are left out."""
        groups = []
        for kind in Account.Kind:
            rows = [row for row in self.rows if row.account.kind == kind.value]
            if rows:
                groups.append(KindGroup(kind=kind.value, label=kind.label, rows=rows))
        return groups

    def in_currency(self, currency: str) -> "TrialBalance":
        """The same balance with only the accounts kept in ``currency``."""
        return TrialBalance(
            on=self.on, rows=[row for row in self.rows if row.account.currency == currency]
        )


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    rows: list[TrialBalanceRow]

    def subtotals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Currency → (debits, credits) of this kind's accounts."""
        return _sums(self.rows)


def _sums(rows) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
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
