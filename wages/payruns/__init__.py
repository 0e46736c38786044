"""Pay runs, by what happens where: ``operations`` (create, calculate, approve, cancel; the
lifecycle), ``posting`` (post to the ledger), ``calculation`` (what each worker is paid), with
``records`` (which records a run pays), ``prices`` (at which rates), ``amounts`` (rounding) and
``line_hashes`` (what approval pins); ``verification`` (posted runs still hold what they paid),
``tasks`` (the long steps in the background); the screens in ``views`` and ``admin``. Inside
``wages``, import from those modules, not from this package.
"""

from wages.payruns.operations import (
    APPROVE,
    CALCULATE,
    CANCEL,
    POST,
    approve_pay_run,
    calculate_pay_run,
    cancel_pay_run,
    create_pay_run,
)
from wages.payruns.posting import account_names, payer_names, post_pay_run

__all__ = [
    "APPROVE",
    "CALCULATE",
    "CANCEL",
    "POST",
    "account_names",
    "approve_pay_run",
    "calculate_pay_run",
    "cancel_pay_run",
    "create_pay_run",
    "payer_names",
    "post_pay_run",
]
