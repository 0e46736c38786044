"""A refund's money in the ledger, through ``post_journal`` (DESIGN.md, "Ledger").

- A **refund** (key ``refund:<credit note number>``) reverses what the sale posted, by its parts
  (``catalogue.refunds.splitting``): each making workshop's sales revenue debited with its lines'
  parts without tax, shipping income with shipping's, tax payable with the tax; credited to card
  clearing (a card order: the provider takes it from what it pays out) or to **refunds owed**
  (an order on invoice: the shop owes the buyer a transfer).
- A refund on invoice **paid back** (key ``refund-paid:<credit note number>``): refunds owed
  debited, the bank credited.

Journals go into the chain of the day they are posted, as the shop's others do
(``catalogue.orders.journals.todays_chain``); a replay returns the journal posted before.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.models import CreditNote, Refund
from catalogue.orders.accounts import (
    BANK,
    CARD_CLEARING,
    SHIPPING_INCOME,
    TAX_PAYABLE,
    sales_code,
)
from catalogue.orders.journals import todays_chain
from catalogue.refunds.accounts import REFUNDS_OWED, refund_accounts
from wages.ledger.posting import post_journal
from wages.models import Journal
from workshops.models import Workshop


def refund_lines(refund: Refund) -> list[tuple[str, Decimal]]:
    """The entries of ``refund``'s journal, by account code: debit +, credit −."""
    debits: dict[str, Decimal] = defaultdict(Decimal)
    for part in refund.parts.select_related("line"):
        revenue = SHIPPING_INCOME if part.line is None else sales_code(part.line.workshop_id)
        debits[revenue] += part.net.amount
        debits[TAX_PAYABLE] += part.tax.amount
    other = CARD_CLEARING if refund.order.payment_method == "card" else REFUNDS_OWED
    lines = [(code, amount) for code, amount in sorted(debits.items()) if amount]
    return [*lines, (other, -refund.amount.amount)]


def _post(lines, *, key: str, on: datetime.date, memo: str, workshop_ids, currency: str, user):
    workshops = Workshop.objects.filter(pk__in=workshop_ids).order_by("pk")
    accounts = refund_accounts(workshops, currency)
    return post_journal(
        key=key,
        on=on,
        lines=[(accounts[code], Money(amount, currency)) for code, amount in lines],
        memo=memo,
        chain=todays_chain(),
        user=user,
    )


def post_refund_journal(credit_note: CreditNote, *, user=None) -> Journal:
    refund = credit_note.refund
    order = refund.order
    return _post(
        refund_lines(refund),
        key=f"refund:{credit_note.number}",
        on=credit_note.issued_on,
        memo=_("Refund, credit note %(number)s, order %(order)s")
        % {"number": credit_note.number, "order": order.number},
        workshop_ids=refund.parts.exclude(line=None).values("line__workshop_id"),
        currency=order.currency,
        user=user,
    )


def post_paid_back_journal(credit_note: CreditNote, *, on: datetime.date, user=None) -> Journal:
    refund = credit_note.refund
    amount = refund.amount.amount
    return _post(
        [(REFUNDS_OWED, amount), (BANK, -amount)],
        key=f"refund-paid:{credit_note.number}",
        on=on,
        memo=_("Refund of credit note %(number)s paid back to the buyer of order %(order)s")
        % {"number": credit_note.number, "order": refund.order.number},
        workshop_ids=[],
        currency=refund.order.currency,
        user=user,
    )
