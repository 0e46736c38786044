"""Pay policy, the ledger and pay runs (DESIGN.md, "wages/")."""

from .back_wages import BackWagesReceipt
from .invoices import (
    LabourInvoice,
    LabourInvoiceCounter,
    LabourInvoiceLine,
    LabourInvoiceRun,
    LabourPayment,
)
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
from .payslips import Payslip
from .releases import ReleaseSettlement
from .remittances import Payee, Remittance, RemittanceBatch
from .sales_share import SalesShareCarry
from .spending import Purchase

__all__ = [
    "Account",
    "BackWagesReceipt",
    "Chain",
    "Checkpoint",
    "Entry",
    "Journal",
    "LabourInvoice",
    "LabourInvoiceCounter",
    "LabourInvoiceLine",
    "LabourInvoiceRun",
    "LabourPayment",
    "LedgerVerification",
    "MarketWageBenchmark",
    "PayAllocation",
    "PayPolicy",
    "PayRate",
    "PayRun",
    "PayRunLine",
    "Payee",
    "Payslip",
    "PeriodClose",
    "Purchase",
    "ReleaseSettlement",
    "Remittance",
    "RemittanceBatch",
    "SalesShareCarry",
]
