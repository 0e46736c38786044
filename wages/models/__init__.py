"""Pay policy, the ledger and pay runs (DESIGN.md, "wages/")."""

from .ledger import (
    Account,
    Chain,
    Checkpoint,
    Entry,
    Journal,
    LedgerVerification,
    PeriodClose,
)

__all__ = [
    "Account",
    "Chain",
    "Checkpoint",
    "Entry",
    "Journal",
    "LedgerVerification",
    "PeriodClose",
]
