"""One importer for the prison shop's purchase files (``wages.accounts.purchase_file`` has the
format), behind ``manage.py import_purchases`` and the back-office upload alike.

All or nothing: every bad row is reported by its line number and reason (an unknown worker, a bad
amount, more decimals than the currency has, a day still to come, a reference given twice or
recorded before with other values, a worker's rows together exceeding their own-spending
balance) and nothing is posted. A row whose reference was recorded before with the same worker,
amount and day is already done: importing the same file twice posts it once. The balances are
checked with the workers' own-spending rows locked, in the transaction that posts
(``wages.accounts.spending.record_purchases``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import fixed_text, minor_unit
from core.uploads import detect_kind
from wages.accounts.purchase_file import read_purchase_rows
from wages.accounts.spending import (
    RECORD,
    PurchaseRequest,
    locked_balances,
    record_purchases,
)
from wages.models import Purchase
from workshops.models import Worker
from workshops.production.spreadsheet import FileRefused

MAX_PURCHASE_BYTES = 5 * 1024 * 1024
MAX_PURCHASE_ROWS = 50_000
REPORTED = 200


@dataclass(frozen=True)
class PurchaseImport:
    rows: int  # rows read
    posted: int  # new purchases (0 on a dry run)
    already: int  # rows recorded before, by an earlier import of the same receipts
    total: Decimal  # the new purchases' sum
    dry_run: bool


class PurchasesRefused(ValidationError):
    """The file, or some of its rows, refused: ``problems`` as "Line n: reason" texts."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:REPORTED]
        if len(problems) > REPORTED:
            shown.append(_("… and %(count)s more.") % {"count": len(problems) - REPORTED})
        super().__init__(shown)


def _at(line: int, message: str) -> tuple[int, str]:
    return line, message


def _parse(line: int, row: dict, workers: dict, currency: str, today: datetime.date):
    problems = []
    try:
        on = datetime.date.fromisoformat(row["date"])
        if on > today:
            problems.append(_("%(day)s is still to come.") % {"day": row["date"]})
    except ValueError:
        on = None
        problems.append(_("Date “%(text)s” is not a date as YYYY-MM-DD.") % {"text": row["date"]})
    worker = workers.get(row["worker"])
    if worker is None:
        problems.append(_("Unknown worker “%(text)s”.") % {"text": row["worker"]})
    try:
        amount = Decimal(row["amount"])
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        amount = None
        problems.append(_("Amount “%(text)s” is not a number.") % {"text": row["amount"]})
    else:
        if amount <= 0:
            problems.append(_("Amount %(text)s is not more than zero.") % {"text": row["amount"]})
        elif amount != amount.quantize(minor_unit(currency)):
            problems.append(
                _("Amount %(text)s has more decimals than %(currency)s has.")
                % {"text": row["amount"], "currency": currency}
            )
    if not row["description"]:
        problems.append(_("The description is missing."))
    if not row["reference"]:
        problems.append(_("The reference is missing."))
    if problems:
        return None, [_at(line, message) for message in problems]
    return PurchaseRequest(worker, amount, on, row["description"], row["reference"]), []


def _read(data: bytes, currency: str):
    kind = detect_kind(data)
    if kind is None or kind.code not in ("csv", "xlsx"):
        raise FileRefused(_("The file is neither CSV nor XLSX."))
    rows = []
    for count, (line, row) in enumerate(read_purchase_rows(data, kind.code), start=1):
        if count > MAX_PURCHASE_ROWS:
            raise FileRefused(
                _("The file has more than %(limit)s rows; split it.") % {"limit": MAX_PURCHASE_ROWS}
            )
        rows.append((line, row))
    references = {row.get("worker", "") for _line, row in rows}
    workers = {w.reference: w for w in Worker.objects.filter(reference__in=references)}
    today = timezone.localdate()
    parsed, problems = [], []
    for line, row in rows:
        if "__problem__" in row:
            problems.append(_at(line, row["__problem__"]))
            continue
        request, found = _parse(line, row, workers, currency, today)
        problems += found
        if request is not None:
            parsed.append((line, request))
    return len(rows), parsed, problems


def _duplicates(parsed, currency) -> tuple[list, list]:
    """Problems of references given twice or recorded before with other values; the rows
    recorded before with the same values, left out."""
    problems, first, fresh = [], {}, []
    earlier = {
        p.key: p
        for p in Purchase.objects.filter(key__in=[request.key for _line, request in parsed])
    }
    for line, request in parsed:
        if request.key in first:
            problems.append(
                _at(
                    line,
                    _("Reference %(key)s is given twice (first on line %(first)s).")
                    % {"key": request.key, "first": first[request.key]},
                )
            )
            continue
        first[request.key] = line
        done = earlier.get(request.key)
        if done is None:
            fresh.append((line, request))
        elif (done.worker_id, done.amount, done.currency, done.bought_on) != (
            request.worker.pk,
            request.amount,
            currency,
            request.on,
        ):
            problems.append(
                _at(
                    line,
                    _("Reference %(key)s was recorded before with another worker, amount or day.")
                    % {"key": request.key},
                )
            )
    return problems, fresh


def _over_balance(fresh, currency) -> list:
    balances = locked_balances(sorted({request.worker.pk for _line, request in fresh}), currency)
    lines, totals = defaultdict(list), defaultdict(Decimal)
    for line, request in fresh:
        lines[request.worker.pk].append((line, request))
        totals[request.worker.pk] += request.amount
    problems = []
    for pk, rows in lines.items():
        balance = balances[pk][1]
        if totals[pk] > balance:
            problems.append(
                _at(
                    rows[0][0],
                    _(
                        "The purchases of %(worker)s on lines %(lines)s come to %(total)s "
                        "%(currency)s, more than the %(balance)s %(currency)s own spending "
                        "balance."
                    )
                    % {
                        "worker": rows[0][1].worker.reference,
                        "lines": ", ".join(str(line) for line, _r in rows),
                        "total": fixed_text(totals[pk], currency),
                        "balance": fixed_text(balance, currency),
                        "currency": currency,
                    },
                )
            )
    return problems


@transaction.atomic
def import_purchases(
    data: bytes, *, file_name: str, user, dry_run: bool = False, currency: str | None = None
) -> PurchaseImport:
    """``user`` None only from the command line (a member of staff needs ``add_purchase``)."""
    if user is not None and not user.has_perm(RECORD):
        raise PermissionDenied(_("You may not record purchases."))
    currency = currency or settings.BRIDGEWORK_CURRENCY
    try:
        count, parsed, problems = _read(data, currency)
    except FileRefused as refused:
        raise PurchasesRefused([str(refused)]) from None
    duplicates, fresh = _duplicates(parsed, currency)
    problems += duplicates
    if not problems:
        problems += _over_balance(fresh, currency)
    if problems:
        problems.sort()
        raise PurchasesRefused(
            [_("Line %(line)s: %(message)s") % {"line": n, "message": m} for n, m in problems]
        )
    total = sum((request.amount for _line, request in fresh), Decimal(0))
    if not dry_run and fresh:
        record_purchases(
            [request for _line, request in fresh],
            user=user,
            source=file_name,
            currency=currency,
            check_permission=False,
        )
    return PurchaseImport(
        rows=count,
        posted=0 if dry_run else len(fresh),
        already=len(parsed) - len(fresh),
        total=total,
        dry_run=dry_run,
    )
