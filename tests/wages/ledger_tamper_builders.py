"""The ledger the tamper-evidence tests attack: three chains closed in order (run-1 with j-1 to j-3,
run-2 with j-4, run-3 with j-5), and every ledger row with the checkpoints' signatures, to show
what an attack changed.
"""

import datetime
from decimal import Decimal

from wages.ledger import Posting, close_chain, open_chain, post_journal, post_journals

ON = datetime.date(2026, 10, 31)
LEDGER_TABLES = ("wages_entry", "wages_journal", "wages_chain", "wages_checkpoint")
CHAINS = [("run-1", [1, 2, 3]), ("run-2", [4]), ("run-3", [5])]


def build(accounts, *, extra=Decimal(0)):
    """run-1 (j-1, j-2, j-3), run-2 (j-4) and run-3 (j-5), closed in that order; j-1 pays
    ``extra`` more."""
    for name, numbers in CHAINS:
        chain = open_chain(name)
        for n in numbers:
            amount = Decimal(f"{n}0.00") + (extra if n == 1 else 0)
            post_journal(
                key=f"j-{n}",
                on=ON,
                lines=[(accounts["wages"], amount), (accounts["bank"], -amount)],
                memo="Pay",
                chain=chain,
            )
        close_chain(chain)


# Streaming


def journals(accounts, count):
    chain = open_chain(f"run-{count}")
    post_journals(
        (
            Posting(
                key=f"k-{count}-{n}",
                on=ON,
                memo="Pay",
                lines=[(accounts["wages"], Decimal(n)), (accounts["bank"], -Decimal(n))],
            )
            for n in range(1, count + 1)
        ),
        chain=chain,
    )
    close_chain(chain)
