"""The two operations finance officers take on bank statements:

- ``import_statement``: read the uploaded file (``parsing``), keep the statement and every line,
  and match the credits (``matching``), all in one transaction: every line or none. The same
  file twice (its SHA-256) is the statement imported the first time, and says so; a file that
  repeats a bank entry already imported from another file is refused.
- ``match_line``: match an unmatched credit to an order by its number, posting and paying as an
  automatic match does.

Each checks permission first, changes everything in one transaction and writes the audit log;
a refusal changes nothing.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from moneyed import Money
from wagtail.log_actions import log

from catalogue.models import BankStatement, Order, StatementLine
from catalogue.statements.matching import match_automatically, match_by_hand
from catalogue.statements.parsed import ParsedStatement, StatementRefused
from catalogue.statements.parsing import parse_statement

IMPORT = "catalogue.import_bankstatement"
MATCH = "catalogue.match_statementline"
State = StatementLine.State


@dataclass(frozen=True)
class Imported:
    statement: BankStatement
    created: bool  # False: this very file was imported before, nothing changed


def _require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not import or match bank statements."))


def _refuse_known_entries(parsed: ParsedStatement) -> None:
    references = [line.bank_reference for line in parsed.lines if line.bank_reference]
    repeated = sorted({ref for ref in references if references.count(ref) > 1})
    if repeated:
        raise StatementRefused(
            _("The file lists the bank entry %(reference)s twice: ask the bank for a new file.")
            % {"reference": repeated[0]}
        )
    earlier = (
        StatementLine.objects.filter(iban=parsed.iban, bank_reference__in=references)
        .select_related("statement")
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        raise StatementRefused(
            _(
                "The bank entry %(reference)s was already imported with statement %(statement)s "
                "(file %(file)s): this file overlaps it. Nothing was imported."
            )
            % {
                "reference": earlier.bank_reference,
                "statement": earlier.statement.statement_id,
                "file": earlier.statement.file_name,
            }
        )


def _lines(statement: BankStatement, parsed: ParsedStatement) -> list[StatementLine]:
    currency = parsed.currency
    return StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            position=position,
            iban=parsed.iban,
            booking_date=line.booking_date,
            value_date=line.value_date,
            amount=Money(line.amount, currency),
            excess=Money(0, currency),
            direction="credit" if line.credit else "debit",
            bank_reference=line.bank_reference,
            remittance=line.remittance,
            reference=line.reference,
            counterparty_name=line.counterparty_name,
            counterparty_iban=line.counterparty_iban,
            state=State.UNMATCHED if line.credit else State.DEBIT,
        )
        for position, line in enumerate(parsed.lines, start=1)
    )


@transaction.atomic
def import_statement(*, data: bytes, file_name: str, user) -> Imported:
    _require(user, IMPORT)
    digest = hashlib.sha256(data).hexdigest()
    if (earlier := BankStatement.objects.filter(sha256=digest).first()) is not None:
        return Imported(earlier, created=False)
    parsed = parse_statement(data)
    try:
        with transaction.atomic():  # the same file imported at this moment waits here
            statement = BankStatement.objects.create(
                sha256=digest,
                file_name=file_name[:255],
                format=parsed.format,
                statement_id=parsed.statement_id[:35],
                iban=parsed.iban,
                currency=parsed.currency,
                from_date=parsed.from_date,
                to_date=parsed.to_date,
                opening_balance=Money(parsed.opening_balance, parsed.currency),
                closing_balance=Money(parsed.closing_balance, parsed.currency),
                uploaded_by=user,
            )
    except IntegrityError:
        if (earlier := BankStatement.objects.filter(sha256=digest).first()) is not None:
            return Imported(earlier, created=False)
        raise
    _refuse_known_entries(parsed)
    lines = _lines(statement, parsed)
    if any(line.pk is None for line in lines):  # backends that return no ids (none we use)
        lines = list(statement.lines.order_by("position"))
    match_automatically(lines, user=user)
    log(
        statement,
        "bridgework.statement_imported",
        user=user,
        data={"sha256": digest, "lines": len(lines), "file": file_name[:255]},
    )
    return Imported(statement, created=True)


@transaction.atomic
def match_line(line: StatementLine, *, order_number: str, user) -> StatementLine:
    """Match ``line`` to the order numbered ``order_number`` (spaces and case ignored). Matching
    it again to the same order changes nothing."""
    _require(user, MATCH)
    number = "".join(order_number.split()).upper()
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise ValidationError(
            _("No order is numbered %(number)s: check the number on the transfer or invoice.")
            % {"number": number or "—"}
        )
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if line.direction == StatementLine.Direction.DEBIT:
        raise ValidationError(_("This line is money paid out: only credits are matched."))
    if line.state != State.UNMATCHED:
        if line.order_id == order.pk:
            return line  # a double click
        raise ValidationError(
            _("This line is already matched to order %(number)s.") % {"number": line.order}
        )
    line = match_by_hand(line, order=order, user=user)
    log(
        line,
        "bridgework.statement_line_matched",
        user=user,
        data={"order": order.number, "state": line.state},
    )
    return line
