"""Partner labour invoices (Mandela Rule 100.2): ``operations`` issues them and records their
payments, ``charges`` says what they charge, ``journals`` how they are posted, ``documents``
prints them, ``overdue`` lists the unpaid ones past due; ``admin`` and ``views`` are the back
office's screens."""

from wages.invoices.operations import (
    ISSUE,
    RECORD_PAYMENT,
    labour_invoice_issue,
    labour_payment_record,
)

__all__ = ["ISSUE", "RECORD_PAYMENT", "labour_invoice_issue", "labour_payment_record"]
