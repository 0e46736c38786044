"""The receipt a released worker is given for what they were paid out: a PDF in the worker's
language (``core.i18n``: documents a worker receives are in their language), stored privately
with its SHA-256 so every download serves the same bytes.

It says what a receipt from the administration needs and nothing more: the worker's reference,
the day, the amount from each account and the total, how it was paid (the IBAN for a transfer)
and the payout journal's key; no prison, workshop or trade is named.
"""

from decimal import Decimal

from django.utils import timezone
from moneyed import Money
from schwifty import IBAN

from core.pdf import render_pdf
from core.private_files import PrivateFile, store_generated_file
from wages.ledger.worker_accounts import BACK_WAGES_OWED, FAMILY, OWN_SPENDING, RELEASE_SAVINGS

PURPOSE = "release-receipt"
TEMPLATE = "wages/releases/receipt.html"
ORDER = (RELEASE_SAVINGS, OWN_SPENDING, FAMILY, BACK_WAGES_OWED)


def receipt_context(settlement, amounts: dict, *, part: str, still_owed: Decimal) -> dict:
    currency = settlement.currency
    rows = [(kind, Money(amounts[kind], currency)) for kind in ORDER if kind in amounts]
    return {
        "settlement": settlement,
        "rows": rows,
        "total": Money(sum((Decimal(a) for a in amounts.values()), Decimal(0)), currency),
        "still_owed": Money(still_owed, currency) if still_owed else None,
        "paid_on": timezone.localdate(),
        "iban": IBAN(settlement.iban).formatted if settlement.iban else "",
        "part": part,
        "journal_key": settlement.journal_key
        if part == "payout"
        else settlement.back_wages_journal_key,
    }


def store_receipt(settlement, amounts: dict, *, part: str) -> PrivateFile:
    """Print the receipt of ``part`` (``payout`` or ``back-wages``) and store it."""
    from wages.releases.payouts import back_wages_still_owed  # the payout module imports us

    still_owed = back_wages_still_owed(settlement) if part == "payout" else Decimal(0)
    content = render_pdf(
        TEMPLATE,
        receipt_context(settlement, amounts, part=part, still_owed=still_owed),
        language=settlement.worker.language,
    )
    return store_generated_file(
        content,
        name=f"release-{part}-{settlement.worker.reference}.pdf",
        purpose=PURPOSE,
        content_type="application/pdf",
    )
