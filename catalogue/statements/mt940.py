"""SWIFT **MT940** (Customer Statement Message), read by the ``mt-940`` package.

The package is lenient: it reads what it can and skips the rest, so the fields a statement
cannot do without are checked here (``:20:`` reference, ``:25:`` account, ``:60F:``/``:60M:``
opening and ``:62F:``/``:62M:`` closing balance); a file cut short loses its closing balance or
no longer adds up (``parsed.checked``).

The ``:86:`` information to the account owner is read in the SEPA layout most European banks use
(``/EREF/…//CNTP/IBAN/BIC/NAME/CITY//REMI/USTD//text/`` or ``/REMI/STRD/CUR/RF…/``); in any other
layout it is kept whole as the remittance information, and a creditor reference is still found
in it by its check digits (``parsed.candidate_references``).
"""

import datetime
import re
from decimal import Decimal

import mt940
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.statements.parsed import (
    ParsedLine,
    ParsedStatement,
    StatementRefused,
    compact,
    structured_reference,
)

FORMAT = "mt940"
REQUIRED = (
    (":20:", gettext_lazy("its reference (:20:)")),
    (":25:", gettext_lazy("its account (:25:)")),
    (":60", gettext_lazy("its opening balance (:60F:)")),
    (":62", gettext_lazy("its closing balance (:62F:)")),
)


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"^:20:", text, re.M)) and bool(re.search(r"^:(25|60[FM]):", text, re.M))


def _subfields(details: str) -> dict[str, str]:
    """``/CODE/value`` pairs of a SEPA-style ``:86:`` field (values may contain single
    slashes, so each known code is looked up in turn)."""
    codes = ("EREF", "CNTP", "REMI", "MARF", "CSID", "BENM", "ORDP", "PURP", "TRCD")
    pattern = "|".join(codes)
    found = {}
    for match in re.finditer(rf"/({pattern})/(.*?)(?=//(?:{pattern})/|$)", details):
        found[match.group(1)] = match.group(2)
    return found


def _details(text: str) -> tuple[str, str, str, str]:
    """(remittance, structured reference, counterparty name, counterparty IBAN) of ``:86:``."""
    details = (text or "").replace("\r", "").replace("\n", "")
    fields = _subfields(details)
    name = iban = reference = ""
    if "CNTP" in fields:
        parts = fields["CNTP"].split("/")
        iban = compact(parts[0]) if parts else ""
        name = parts[2] if len(parts) > 2 else ""
    remittance = details
    if "REMI" in fields:
        remi = fields["REMI"].strip("/")
        if remi.startswith("STRD/"):
            reference = structured_reference(remi.rsplit("/", 1)[-1])
            remittance = remi.rsplit("/", 1)[-1]
        elif remi.startswith("USTD"):
            remittance = remi.removeprefix("USTD").strip("/")
    return remittance.strip(), reference, name.strip(), iban if iban.isalnum() else ""


def _account(identification: str, currency: str) -> str:
    account = compact(identification)
    if currency and account.endswith(currency) and re.match(r"^[A-Z]{2}[0-9]{2}", account):
        account = account[: -len(currency)]  # ING and others append the currency to the IBAN
    return account[:34]


def parse_mt940(text: str) -> ParsedStatement:
    missing = [label for tag, label in REQUIRED if not re.search(rf"^{tag}", text, re.M)]
    if missing:
        raise StatementRefused(
            _(
                "This MT940 file lacks %(missing)s: it may be cut short. Download the statement "
                "again from the bank."
            )
            % {"missing": ", ".join(str(label) for label in missing)}
        )
    if len(re.findall(r"^:20:", text, re.M)) > 1:
        raise StatementRefused(_("This file holds several statements; import one per file."))
    try:
        transactions = mt940.models.Transactions()
        transactions.parse(text)
    except Exception as error:  # the package raises bare exceptions of many kinds
        raise StatementRefused(
            _("This MT940 file cannot be read (%(error)s): download it again from the bank.")
            % {"error": error}
        ) from None
    data = transactions.data
    opening = data.get("final_opening_balance") or data.get("opening_balance")
    closing = data.get("final_closing_balance") or data.get("closing_balance")
    if opening is None or closing is None:
        raise StatementRefused(
            _("This MT940 file's balances cannot be read: download it again from the bank.")
        )
    currency = opening.amount.currency
    lines = []
    for transaction in transactions:
        fields = transaction.data
        amount = fields["amount"]
        if amount.currency != currency:
            raise StatementRefused(
                _("An entry of this statement is in another currency than its account.")
            )
        remittance, reference, name, iban = _details(fields.get("transaction_details", ""))
        bank_reference = fields.get("bank_reference") or ""
        if not bank_reference and fields.get("customer_reference", "NONREF") != "NONREF":
            bank_reference = fields["customer_reference"]
        lines.append(
            ParsedLine(
                booking_date=_date(fields.get("entry_date") or fields["date"]),
                value_date=_date(fields["date"]),
                amount=abs(Decimal(amount.amount)),
                credit=fields["status"] in ("C", "RD"),  # RD: a debit reversed, money back in
                bank_reference=bank_reference[:70],
                remittance=remittance[:500],
                reference=reference,
                counterparty_name=name[:140],
                counterparty_iban=iban[:34],
            )
        )
    days = [line.booking_date for line in lines] or [_date(closing.date)]
    return ParsedStatement(
        format=FORMAT,
        statement_id="/".join(
            part
            for part in (data.get("transaction_reference"), data.get("statement_number"))
            if part
        )[:35],
        iban=_account(data.get("account_identification", ""), currency),
        currency=currency,
        from_date=min(days),
        to_date=max(*days, _date(closing.date)),
        opening_balance=_signed(opening),
        closing_balance=_signed(closing),
        lines=tuple(lines),
    )


def _signed(balance) -> Decimal:
    return Decimal(balance.amount.amount)


def _date(day) -> datetime.date:
    return datetime.date(day.year, day.month, day.day)
