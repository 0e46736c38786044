"""How the PostgreSQL ledger tests post and read the ledger: a journal paying wages from the bank,
raw inserts past the ORM, and every ledger row, to show that a refused statement left all of it
as it was.
"""

import datetime
from decimal import Decimal

from wages.ledger import post_journal
from wages.models import Account, Chain, Checkpoint, Entry, Journal

ON = datetime.date(2026, 10, 31)


def pay(ledger, chain, key, amount="10.50", *, on=ON):
    return post_journal(
        key=key,
        on=on,
        lines=[(ledger["wages"], Decimal(amount)), (ledger["bank"], -Decimal(amount))],
        memo="Pay",
        chain=chain,
    )


def everything():
    """Every ledger row, to show that a refused statement left all of it as it was."""
    return {
        "journals": sorted(
            Journal.objects.values_list(
                "pk", "key", "on", "memo", "chain", "sequence", "previous", "hash", "reverses"
            )
        ),
        "entries": sorted(
            Entry.objects.values_list("pk", "journal", "account", "amount", "currency")
        ),
        "balances": sorted(Account.objects.values_list("code", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(
            Checkpoint.objects.values_list(
                "pk", "sequence", "chain_name", "length", "head", "previous", "hash"
            )
        ),
    }


# Posted rows are immutable


def posted_row(table):
    return {
        "wages_entry": lambda: Entry.objects.filter(journal__key="j-1").order_by("pk").first().pk,
        "wages_journal": lambda: Journal.objects.get(key="j-1").pk,
        "wages_checkpoint": lambda: Checkpoint.objects.get(sequence=1).pk,
    }[table]()
