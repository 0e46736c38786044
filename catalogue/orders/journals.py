"""The shop's money in the ledger, through ``post_journal`` (DESIGN.md, "Ledger").

- An **issued invoice** posts: receivables debited with the total; each making workshop's sales
  revenue credited with its lines' amounts without tax; tax payable with the tax; shipping income
  with shipping without tax. Key ``invoice:<number>``.
- A **payment** posts: the bank (a transfer) or card clearing (a card) debited, receivables
  credited. Key ``payment:<order number>``.

Both are idempotent on their key: a replay returns the journal posted before. Journals go into
the **chain of the day they are posted** (``shop:YYYY-MM-DD``); ``close_ledger_day`` closes a day's
chain into the checkpoint sequence once the day is over.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.models import Invoice, Order
from catalogue.orders.accounts import (
    BANK,
    CARD_CLEARING,
    RECEIVABLES,
    SHIPPING_INCOME,
    TAX_PAYABLE,
    sales_code,
    shop_accounts,
)
from wages.ledger import days as day_chains
from wages.ledger.days import close_day_chain, day_chain_name
from wages.ledger.posting import post_journal
from wages.models import Chain, Checkpoint, Journal
from workshops.models import Workshop


def chain_name(day: datetime.date) -> str:
    return day_chain_name("shop", day)


def todays_chain() -> Chain:
    return day_chains.todays_chain("shop")


def invoice_lines(invoice: Invoice) -> list[tuple[str, Decimal]]:
    """The entries of ``invoice``'s journal, by account code: debit +, credit −."""
    order = invoice.order
    credits: dict[str, Decimal] = defaultdict(Decimal)
    tax = order.shipping_tax.amount
    for line in order.lines.all():
        credits[sales_code(line.workshop_id)] += line.net.amount
        tax += line.tax.amount
    credits[SHIPPING_INCOME] += order.shipping_price.amount - order.shipping_tax.amount
    credits[TAX_PAYABLE] += tax
    lines = [(RECEIVABLES, order.total.amount)]
    lines += [(code, -amount) for code, amount in sorted(credits.items()) if amount]
    return lines


def _posted(lines, *, key: str, on: datetime.date, memo: str, workshops, currency: str, user):
    accounts = shop_accounts(workshops, currency)
    return post_journal(
        key=key,
        on=on,
        lines=[(accounts[code], Money(amount, currency)) for code, amount in lines],
        memo=memo,
        chain=todays_chain(),
        user=user,
    )


def post_invoice_journal(invoice: Invoice, *, user=None) -> Journal:
    """The sale ``invoice`` records; once (a replay returns the journal posted before)."""
    order = invoice.order
    workshops = Workshop.objects.filter(pk__in=order.lines.values("workshop_id")).order_by("pk")
    return _posted(
        invoice_lines(invoice),
        key=f"invoice:{invoice.number}",
        on=invoice.issued_on,
        memo=_("Invoice %(number)s, order %(order)s")
        % {"number": invoice.number, "order": order.number},
        workshops=workshops,
        currency=order.currency,
        user=user,
    )


def post_payment_journal(
    order: Order, *, on: datetime.date, card: bool = False, user=None, amount=None
):
    """``order``'s payment received: by bank transfer, or by card into card clearing; its total,
    or ``amount`` when transfers matched from a statement already paid the rest."""
    amount = order.total.amount if amount is None else amount
    if amount <= 0:
        return None
    into = CARD_CLEARING if card else BANK
    return _posted(
        [(into, amount), (RECEIVABLES, -amount)],
        key=f"payment:{order.number}",
        on=on,
        memo=_("Payment of order %(order)s") % {"order": order.number},
        workshops=[],
        currency=order.currency,
        user=user,
    )


def close_ledger_day(day: datetime.date) -> Checkpoint | None:
    """Close ``day``'s chain of shop journals into the checkpoint sequence; None when nothing
    was posted that day. A day not yet over is refused: its chain is still being written."""
    return close_day_chain("shop", day)
