"""Pay policy, the ledger and pay runs (DESIGN.md, "wages/")."""

from .back_wages import BackWagesReceipt
from .ledger import (
    Account,
    Chain,
    Checkpoint,
    Entry,
    Journal,
    LedgerVerification,
    PeriodClose,
)
from .pay import MarketWageBenchmark, PayAllocation, PayPolicy, PayRate
from .payruns import PayRun, PayRunLine
from .sales_share import SalesShareCarry

__all__ = [
    "Account",
    "BackWagesReceipt",
    "Chain",
    "Checkpoint",
    "Entry",
    "Journal",
    "LedgerVerification",
    "MarketWageBenchmark",
    "PayAllocation",
    "PayPolicy",
    "PayRate",
    "PayRun",
    "PayRunLine",
    "PeriodClose",
    "SalesShareCarry",
]
