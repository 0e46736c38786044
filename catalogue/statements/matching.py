"""Matching a statement's credits to the invoice orders they pay.

A credit is matched by the order's **payment reference**, the ISO 11649 creditor reference the
buyer was asked to quote (``catalogue.checkout.numbers``): from the bank's structured reference
field when there is one, else found in the free remittance text by its check digits, whatever
its spaces or case. Then by **amount**, against what the order still needs (its total less what
earlier lines paid toward it):

- exactly what it needs: *matched*, and the order is paid;
- less: *partial*; the order stays awaiting payment and shows what remains; a later line that
  completes it pays it;
- more: *over*; the order is paid and the excess is owed back to the payer;
- an order already paid: *duplicate*; all of it is owed back;
- no order (or a cancelled one): *unmatched*, left for a finance officer to match by hand.

Each match posts one journal, keyed ``statement-line:<line id>`` so a replay posts nothing
twice: the bank debited with the line's amount, receivables credited with what it paid toward
the order, and what is owed back credited to ``shop:overpayments`` (a liability). The two credits
are the line's amount split exactly: the order's remainder first, the rest owed back, so they
sum to the amount to the cent by construction. The order is then paid through
``catalogue.orders.lifecycle.pay_from_transfers`` (stock sold, status paid, e-mail).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from wagtail.log_actions import log

from catalogue.models import Order, StatementLine
from catalogue.orders.accounts import BANK, RECEIVABLES
from catalogue.orders.journals import todays_chain
from catalogue.orders.lifecycle import pay_from_transfers
from catalogue.statements.parsed import candidate_references
from wages.ledger.accounts import AccountSpec, ensure_accounts
from wages.ledger.posting import post_journal
from wages.models import Account, Journal

State = StatementLine.State
OVERPAYMENTS = "shop:overpayments"
PAYING = (State.MATCHED, State.PARTIAL, State.OVER)


def references_of(line: StatementLine) -> list[str]:
    """The references ``line`` may carry: its structured one, else those in its free text."""
    return [line.reference] if line.reference else candidate_references(line.remittance)


def orders_for(lines) -> dict[str, Order]:
    """The orders the credit ``lines`` name, by payment reference, locked in primary-key order."""
    references = {ref for line in lines for ref in references_of(line)}
    orders = Order.objects.select_for_update().filter(payment_reference__in=references)
    return {order.payment_reference: order for order in orders.order_by("pk")}


def received(order: Order) -> Decimal:
    """What statement lines have paid toward ``order`` so far."""
    return StatementLine.objects.received_for(order)


def outstanding(order: Order) -> Money:
    """What ``order`` still needs (nothing once paid)."""
    if order.paid_at is not None:
        return Money(0, order.currency)
    return Money(max(order.total.amount - received(order), Decimal(0)), order.currency)


def _accounts(currency: str) -> dict[str, Account]:
    specs = [
        AccountSpec(BANK, _("bank"), Account.Kind.ASSET),
        AccountSpec(RECEIVABLES, _("shop: receivables"), Account.Kind.ASSET),
        AccountSpec(OVERPAYMENTS, _("shop: payments owed back"), Account.Kind.LIABILITY),
    ]
    refs = ensure_accounts(specs, currency)
    loaded = Account.objects.in_bulk([ref.pk for ref in refs.values()])
    return {code: loaded[ref.pk] for code, ref in refs.items()}


def journal_lines(line: StatementLine) -> list[tuple[str, Decimal]]:
    """The entries of ``line``'s journal by account code: debit +, credit −."""
    amount, excess = line.amount.amount, line.excess.amount
    entries = [(BANK, amount), (RECEIVABLES, -(amount - excess)), (OVERPAYMENTS, -excess)]
    return [(code, value) for code, value in entries if value]


def post_line_journal(line: StatementLine, *, user=None) -> Journal:
    currency = str(line.amount.currency)
    accounts = _accounts(currency)
    return post_journal(
        key=f"statement-line:{line.pk}",
        on=line.booking_date,
        lines=[(accounts[code], Money(value, currency)) for code, value in journal_lines(line)],
        memo=_("Transfer of %(day)s for order %(order)s (%(state)s)")
        % {
            "day": line.booking_date.isoformat(),
            "order": line.order.number,
            "state": line.get_state_display(),
        },
        chain=todays_chain(),
        user=user,
    )


def settle(line: StatementLine, order: Order, *, user=None) -> StatementLine:
    """Match the unmatched credit ``line`` to ``order`` (both locked by the caller): classify it,
    post its journal, pay the order when it is now covered."""
    amount = line.amount.amount
    if order.paid_at is not None:
        state, excess = State.DUPLICATE, amount
    else:
        needed = outstanding(order).amount
        if amount < needed:
            state, excess = State.PARTIAL, Decimal(0)
        elif amount == needed:
            state, excess = State.MATCHED, Decimal(0)
        else:
            state, excess = State.OVER, amount - needed
    line.state, line.order, line.note = state, order, ""
    line.excess = Money(excess, line.amount.currency)
    line.save(update_fields=["state", "order", "excess", "note", "matched_by", "matched_at"])
    post_line_journal(line, user=user)
    log(
        order,
        "bridgework.order_transfer_matched",
        user=user,
        data={"line": line.pk, "state": state, "amount": str(amount), "excess": str(excess)},
    )
    if state in (State.MATCHED, State.OVER):
        pay_from_transfers(order, on=line.booking_date, user=user)
    return line


def why_not(order: Order, line: StatementLine) -> str:
    """Why ``line`` cannot pay ``order``; "" when it can."""
    if order.status == Order.Status.CANCELLED:
        return _("Order %(number)s is cancelled: a payment for it is refunded, not matched.") % {
            "number": order.number
        }
    if order.currency != str(line.amount.currency):
        return _("Order %(number)s is in %(currency)s, the transfer is not.") % {
            "number": order.number,
            "currency": order.currency,
        }
    return ""


def match_automatically(lines, *, user=None) -> None:
    """Match each unmatched credit of ``lines`` (a new statement's, in file order) that names
    one order; the others stay unmatched with a note saying why."""
    credits = [line for line in lines if line.state == State.UNMATCHED]
    orders = orders_for(credits)
    for line in credits:
        named = [orders[ref] for ref in references_of(line) if ref in orders]
        if len(named) != 1:
            note = "" if not named else _("The transfer names several orders.")
            if note:
                line.note = note
                line.save(update_fields=["note"])
            continue
        order = Order.objects.get(pk=named[0].pk)  # as earlier lines left it
        if reason := why_not(order, line):
            line.note = reason[:200]
            line.save(update_fields=["note"])
            continue
        settle(line, order, user=user)


def match_by_hand(line: StatementLine, *, order: Order, user) -> StatementLine:
    """``line`` (locked, an unmatched credit) matched by a finance officer to ``order``."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if reason := why_not(order, line):
        raise ValidationError(reason)
    line.matched_by, line.matched_at = user, timezone.now()
    return settle(line, order, user=user)
