"""The small ledger the ledger tests post into (accounts in two currencies, a chain, a closer)
and how they read it back: balances, entries and every ledger row, to show that a refusal changed
nothing.
"""

import datetime
from decimal import Decimal

from wages.ledger import post_journal
from wages.models import Account, Chain, Checkpoint, Entry, Journal, PeriodClose

ON = datetime.date(2026, 10, 31)


def days(n: int) -> datetime.date:
    return ON + datetime.timedelta(days=n)


def account(code, kind, currency):
    return Account.objects.create(code=code, name=code.title(), kind=kind, currency=currency)


def pay(ledger, chain, key="j-1", amount="10.50", *, on=ON, memo="Pay"):
    """Wages debited, the bank credited."""
    return post_journal(
        key=key,
        on=on,
        lines=[(ledger.wages, Decimal(amount)), (ledger.bank, -Decimal(amount))],
        memo=memo,
        chain=chain,
    )


def balances():
    return list(
        Account.objects.order_by("currency", "code").values_list("currency", "code", "balance")
    )


def entries(journal):
    return list(journal.entries.values_list("account__code", "currency", "amount"))


def everything():
    """Every ledger row, to show that a refused call left all of it as it was."""
    return {
        "journals": sorted(
            Journal.objects.values_list(
                "key", "on", "memo", "chain__name", "sequence", "previous", "hash", "reverses__key"
            )
        ),
        "entries": sorted(
            Entry.objects.values_list("journal__key", "account__code", "currency", "amount")
        ),
        "balances": balances(),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(Checkpoint.objects.values_list("sequence", "chain_name", "hash")),
        "periods": list(PeriodClose.objects.values_list("up_to", flat=True)),
    }
