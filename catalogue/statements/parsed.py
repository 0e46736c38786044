"""What a bank statement says, whatever its format: one ``ParsedStatement`` with its
``ParsedLine`` entries, and the checks every format shares (the shop's currency, at least one
entry, balances that add up). ``camt`` and ``mt940`` read their formats into these."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.checkout.numbers import is_valid_creditor_reference


@dataclass(frozen=True)
class ParsedLine:
    booking_date: datetime.date
    value_date: datetime.date
    amount: Decimal  # positive; ``credit`` says which way
    credit: bool
    bank_reference: str
    remittance: str
    reference: str  # a structured creditor reference (RF…), compact, or ""
    counterparty_name: str
    counterparty_iban: str


@dataclass(frozen=True)
class ParsedStatement:
    format: str  # BankStatement.Format
    statement_id: str
    iban: str
    currency: str
    from_date: datetime.date
    to_date: datetime.date
    opening_balance: Decimal
    closing_balance: Decimal
    lines: tuple[ParsedLine, ...]


class StatementRefused(ValidationError):
    """A file that cannot be imported, with the reason in words."""


def compact(text: str) -> str:
    """Spaces removed and upper case: how references and IBANs are compared."""
    return re.sub(r"\s+", "", text or "").upper()


def structured_reference(text: str) -> str:
    """``text`` as a compact ISO 11649 creditor reference when it is a valid one, else ""."""
    reference = compact(text)
    if re.fullmatch(r"RF[0-9]{2}[A-Z0-9]{1,21}", reference) and is_valid_creditor_reference(
        reference
    ):
        return reference
    return ""


def candidate_references(text: str) -> list[str]:
    """Every valid ISO 11649 reference hidden in free text, longest first. Payers write the
    reference with spaces or in lower case (``rf51 bw20 2600 02``), so the text is compacted;
    then from each ``RF`` and two digits, every length whose check digits are right is a
    candidate (the check digits rule out almost all the wrong ones; the order's lookup the
    rest)."""
    text = compact(text)
    found: list[str] = []
    for start in (m.start() for m in re.finditer(r"RF[0-9]{2}", text)):
        for end in range(min(len(text), start + 25), start + 4, -1):
            piece = text[start:end]
            if piece[4:].isalnum() and piece.isascii() and is_valid_creditor_reference(piece):
                found.append(piece)
    return sorted(set(found), key=lambda ref: (-len(ref), ref))


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def checked(statement: ParsedStatement) -> ParsedStatement:
    """Refuse what no format may hold: another currency than the shop's, no entries, balances
    that do not add up (a truncated file usually shows here)."""
    currency = settings.BRIDGEWORK_CURRENCY
    if statement.currency != currency:
        raise StatementRefused(
            _(
                "This statement is in %(found)s but the shop keeps its accounts in %(currency)s: "
                "import the statement of the shop's %(currency)s account."
            )
            % {"found": statement.currency or _("no currency"), "currency": currency}
        )
    if not statement.lines:
        raise StatementRefused(
            _("This statement holds no booked entries: there is nothing to import.")
        )
    moved = sum((ln.amount if ln.credit else -ln.amount for ln in statement.lines), Decimal(0))
    if statement.opening_balance + moved != statement.closing_balance:
        raise StatementRefused(
            _(
                "The statement does not add up: opening balance %(opening)s plus its entries "
                "(%(moved)s) is not its closing balance %(closing)s. The file may be cut short: "
                "download it again from the bank."
            )
            % {
                "opening": _money(statement.opening_balance),
                "moved": _money(moved),
                "closing": _money(statement.closing_balance),
            }
        )
    return statement
