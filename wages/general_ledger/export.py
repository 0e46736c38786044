"""The general-ledger export of a period, as CSV rows streamed from the database (a year holds
millions of entries: no list of them is ever held, the rows are read with ``.iterator()``).

    journal_rows(start, end, chart) -> iterator of rows, the header first
        date, journal, memo, chain, account, gl_account, gl_name, debit, credit, currency
        one row per entry of every journal dated in the period, in posting order; a journal's
        rows sum to zero in each currency (debits = credits)
    trial_balance_rows(start, end, chart) -> iterator of rows, the header first
        gl_account, gl_name, currency, opening, debit, credit, closing
        per national account and currency: the balance before the period (debit +), the
        period's debits and credits, the balance at its end; each column sums to zero per
        currency, as the ledger balances
    export_problems(start, end, chart) -> None    ``MappingGap`` naming every account used
        in the period (or holding a balance at its start) that the mapping leaves out

Amounts are written with a point and the currency's decimals (``core.money.fixed_text``), debits
and credits positive. Text cells that a spreadsheet would run as a formula get an apostrophe in
front (``workshops.production.spreadsheet.escape_text``).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from core.money import fixed_text
from wages.general_ledger.chart import Chart
from wages.models import Account, Entry
from workshops.production.spreadsheet import escape_text

JOURNAL_HEADER = (
    "date",
    "journal",
    "memo",
    "chain",
    "account",
    "gl_account",
    "gl_name",
    "debit",
    "credit",
    "currency",
)
TRIAL_BALANCE_HEADER = (
    "gl_account",
    "gl_name",
    "currency",
    "opening",
    "debit",
    "credit",
    "closing",
)
CHUNK = 5000


def _used_codes(start: datetime.date, end: datetime.date):
    return (
        Account.objects.filter(entries__journal__on__lte=end)
        .values_list("code", flat=True)
        .distinct()
        .order_by("code")
        .iterator(chunk_size=CHUNK)
    )


def export_problems(start: datetime.date, end: datetime.date, chart: Chart) -> None:
    chart.refuse_gaps(_used_codes(start, end))


def _amounts(amount: Decimal, currency: str) -> tuple[str, str]:
    if amount > 0:
        return fixed_text(amount, currency), ""
    return "", fixed_text(-amount, currency)


def journal_rows(start: datetime.date, end: datetime.date, chart: Chart):
    yield JOURNAL_HEADER
    entries = (
        Entry.objects.filter(journal__on__gte=start, journal__on__lte=end)
        .order_by("journal__on", "journal_id", "pk")
        .values_list(
            "journal__on",
            "journal__key",
            "journal__memo",
            "journal__chain__name",
            "account__code",
            "amount",
            "currency",
        )
    )
    for on, key, memo, chain, code, amount, currency in entries.iterator(chunk_size=CHUNK):
        account = chart.map(code)
        debit, credit = _amounts(amount, currency)
        yield (
            on.isoformat(),
            escape_text(key),
            escape_text(memo),
            escape_text(chain),
            escape_text(code),
            account.number,
            escape_text(account.name),
            debit,
            credit,
            currency,
        )


def trial_balance_rows(start: datetime.date, end: datetime.date, chart: Chart):
    """Summed per account by the database, then per national account here: what is held is one
    total per national account and currency (the chart's size), not one per account."""
    yield TRIAL_BALANCE_HEADER
    sums = (
        Entry.objects.filter(journal__on__lte=end)
        .values("account__code", "currency")
        .annotate(
            before=Sum("amount", filter=Q(journal__on__lt=start)),
            debit=Sum("amount", filter=Q(journal__on__gte=start, amount__gt=0)),
            credit=Sum("amount", filter=Q(journal__on__gte=start, amount__lt=0)),
        )
        .order_by("account__code", "currency")
    )
    totals: dict = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    names = {}
    for row in sums.iterator(chunk_size=CHUNK):
        account = chart.map(row["account__code"])
        names[account.number] = account.name
        total = totals[(account.number, row["currency"])]
        total[0] += row["before"] or 0
        total[1] += row["debit"] or 0
        total[2] -= row["credit"] or 0
    for (number, currency), (opening, debit, credit) in sorted(totals.items()):
        if not (opening or debit or credit):
            continue
        yield (
            number,
            escape_text(names[number]),
            currency,
            fixed_text(opening, currency),
            fixed_text(debit, currency),
            fixed_text(credit, currency),
            fixed_text(opening + debit - credit, currency),
        )
