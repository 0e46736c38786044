"""A statement of one of a worker's sub-accounts over a period, read from the ledger's entries
(never from a copy): the opening balance, each entry of the period, the closing balance.

    statement(account, start, end) -> Statement
    Statement.entries() -> queryset of the period's entries, in posting order (paginate it, or
        ``.iterator()`` it: a statement of years holds thousands)
    check_period(start, end) -> None      ``ValidationError`` in words for a reversed period or
        one ending after today

A worker's accounts are liabilities: a credit is money in (owed to the worker), a debit money out
(a purchase, a remittance, a payout). Balances are shown as what the worker is owed, so that
``opening + money in − money out = closing``, exactly, in the currency's minor unit. The figures
are three sums over the entries in one query, whatever the number of entries.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_day
from wages.models import Account, Entry


def check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationError(
            _("The period ends on %(end)s, before it starts on %(start)s: swap the two days.")
            % {"start": format_day(start), "end": format_day(end)}
        )
    today = timezone.localdate()
    if end > today:
        raise ValidationError(
            _("The period ends on %(end)s, after today (%(today)s): end it today at the latest.")
            % {"end": format_day(end), "today": format_day(today)}
        )


@dataclass(frozen=True)
class StatementLine:
    on: datetime.date
    memo: str
    key: str
    amount_in: Decimal | None
    amount_out: Decimal | None


@dataclass(frozen=True)
class Statement:
    account: Account
    start: datetime.date
    end: datetime.date
    opening: Decimal
    money_in: Decimal
    money_out: Decimal
    count: int

    @property
    def closing(self) -> Decimal:
        return self.opening + self.money_in - self.money_out

    @property
    def currency(self) -> str:
        return self.account.currency

    def entries(self):
        return (
            Entry.objects.filter(
                account=self.account, journal__on__gte=self.start, journal__on__lte=self.end
            )
            .select_related("journal")
            .order_by("journal__on", "journal_id", "pk")
        )

    @staticmethod
    def line(entry: Entry) -> StatementLine:
        return StatementLine(
            on=entry.journal.on,
            memo=entry.journal.memo,
            key=entry.journal.key,
            amount_in=-entry.amount if entry.amount < 0 else None,
            amount_out=entry.amount if entry.amount > 0 else None,
        )


def statement(account: Account, start: datetime.date, end: datetime.date) -> Statement:
    check_period(start, end)
    during = Q(journal__on__gte=start)
    sums = Entry.objects.filter(account=account, journal__on__lte=end).aggregate(
        before=Sum("amount", filter=Q(journal__on__lt=start)),
        credits=Sum("amount", filter=during & Q(amount__lt=0)),
        debits=Sum("amount", filter=during & Q(amount__gt=0)),
        count=Count("pk", filter=during),
    )
    zero = Decimal(0)
    return Statement(
        account=account,
        start=start,
        end=end,
        opening=-(sums["before"] or zero),
        money_in=-(sums["credits"] or zero),
        money_out=sums["debits"] or zero,
        count=sums["count"] or 0,
    )
