"""Refunding a paid order, one operation per thing that happens (DESIGN.md, "catalogue/"):

- ``refund_order``: staff refund a paid, packed, shipped or delivered order, by lines and
  quantities (each line's units put back in stock or not) or by an amount, for a reason.
- ``record_provider_refund``: a refund made in the card provider's own dashboard, told by its
  ``charge.refunded`` event.
- ``record_refund_paid_back``: finance transferred a refund on invoice to the buyer.

**The refunds of an order never total more than was paid.** The order's row is locked while a
refund is weighed against what remains (``catalogue.refunds.splitting.remaining``), so two
refunds at once are weighed one after the other, and the database refuses a refund of nothing
(``refund_amount_positive``). A pending refund counts against what remains; a failed one no
longer does.

**A card order's refund** is made in three steps, since nothing calls the network while a
transaction or a lock is held: (1) under the order's lock the refund is recorded **pending**;
(2) Stripe's Refunds API is called with the idempotency key ``refund:<key>``, so a retry never
refunds twice; (3) under the lock again the refund is **made** (its provider id stored, unique) or
**failed** (staff are told why in words, and it no longer counts). **An order on invoice's** refund
is made at once: the money is owed to the buyer (``shop:refunds-owed``) until finance records the
transfer.

A refund made issues its credit note (``credit_notes``), posts its journal (``journals``), puts
back in stock the units staff chose (``workshops.inventory.return_to_stock``, keyed per refund
line), writes the audit log, and after commit prints the credit note and e-mails the buyer.
Every operation is idempotent on its key: a double click makes one refund.
"""

import datetime
import hashlib
from collections.abc import Sequence

import stripe
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money
from wagtail.log_actions import log

from catalogue.cards.amounts import minor_units
from catalogue.cards.client import cards_enabled, stripe_client
from catalogue.models import CreditNote, Invoice, Order, Refund, RefundPart
from catalogue.refunds.credit_notes import issue_credit_note
from catalogue.refunds.emails import send_refund_email
from catalogue.refunds.journals import post_paid_back_journal, post_refund_journal
from catalogue.refunds.splitting import Part, parts_by_amount, parts_by_lines, remaining
from core.formatting import format_money
from core.money import round_money
from workshops.inventory import return_to_stock

REFUND = "catalogue.refund_order"
PAY_BACK = "catalogue.pay_back_refund"
PAID = (
    Order.Status.PAID,
    Order.Status.PACKED,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
)
Status = Refund.Status


def _require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not refund orders."))


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def refundable(order: Order, refunds=None) -> Money:
    """What remains refundable of ``order``: what was paid less the refunds that count
    (``refunds``, the order's, when the caller has them already)."""
    if order.status not in PAID:
        return Money(0, order.currency)
    refunds = order.refunds.all() if refunds is None else refunds
    taken = sum((refund.amount for refund in refunds if refund.counts), Money(0, order.currency))
    return order.total - taken


# Phase 1, and all of an order on invoice's refund: weighed and recorded under the order's lock.


def _checked_amount(order: Order, amount: Money) -> Money:
    if not isinstance(amount, Money) or amount.currency.code != order.currency:
        raise ValidationError(
            _("Give the amount in %(currency)s, the order's currency.")
            % {"currency": order.currency}
        )
    if amount.amount <= 0 or round_money(amount) != amount:
        raise ValidationError(
            _(
                "An amount to refund is above zero, in whole cents (or the currency's smallest unit)."
            )
        )
    return amount


def _parts(order: Order, *, lines, amount: Money | None) -> list[Part]:
    left = remaining(order)
    if amount is None:
        return parts_by_lines(order, lines, left)
    return parts_by_amount(order, _checked_amount(order, amount), left)


def _refuse_over(order: Order, asked: Money) -> None:
    left = refundable(order)
    if asked > left:
        raise ValidationError(
            _(
                "%(asked)s cannot be refunded: only %(left)s of order %(number)s remains "
                "refundable. Refund less."
            )
            % {
                "asked": format_money(asked),
                "left": format_money(left),
                "number": order.number,
            }
        )
    if asked.amount <= 0:
        raise ValidationError(
            _("Nothing of order %(number)s remains to refund for these lines.")
            % {"number": order.number}
        )


def _recorded(order: Order, *, key, kind, reason, parts, user) -> Refund:
    amount = Money(sum(part.gross for part in parts), order.currency)
    _refuse_over(order, amount)
    refund = Refund.objects.create(
        order=order,
        key=key,
        kind=kind,
        status=Status.PENDING,
        amount=amount,
        reason=reason,
        created_by=user,
    )
    RefundPart.objects.bulk_create(
        RefundPart(
            refund=refund,
            line=part.line,
            description=part.description[:250],
            quantity=part.quantity,
            restock=part.restock,
            tax_rate=part.tax_rate,
            net=Money(part.net, order.currency),
            tax=Money(part.tax, order.currency),
        )
        for part in parts
    )
    return refund


def _made(order: Order, refund: Refund, *, user, provider_refund_id=None) -> Refund:
    """Make the pending ``refund`` (``order`` locked): its credit note, journal, stock, log; the
    PDF and the buyer's e-mail after commit."""
    refund.status, refund.succeeded_at = Status.SUCCEEDED, timezone.now()
    refund.provider_refund_id = provider_refund_id
    refund.save(update_fields=["status", "succeeded_at", "provider_refund_id"])
    invoice = Invoice.objects.get(order=order)
    credit_note = issue_credit_note(refund, invoice=invoice, on=timezone.localdate())
    post_refund_journal(credit_note, user=user)
    for part in refund.parts.filter(restock=True).select_related("line__sku"):
        return_to_stock(
            part.line.sku,
            part.quantity,
            key=f"refund:{refund.pk}:{part.line_id}",
            source=_("Refund %(number)s of order %(order)s")
            % {"number": credit_note.number, "order": order.number},
            user=user,
        )
    log(
        order,
        "bridgework.order_refunded",
        user=user,
        data={
            "credit_note": credit_note.number,
            "amount": str(refund.amount.amount),
            "reason": refund.reason,
        },
    )
    transaction.on_commit(lambda: send_refund_email(refund))
    return refund


def _earlier(order: Order, key: str) -> Refund | None:
    earlier = Refund.objects.filter(key=key).first()
    if earlier is not None and earlier.order_id != order.pk:
        raise ValidationError(_("This refund's key was used for another order: ask again."))
    return earlier


@transaction.atomic
def _ask(order: Order, *, user, key: str, reason: str, lines, amount) -> tuple[Refund, bool]:
    order = _locked(order)
    if (earlier := _earlier(order, key)) is not None:
        return earlier, False
    if order.status not in PAID:
        raise ValidationError(
            _("Order %(number)s is %(status)s: only a paid order is refunded.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    if not Invoice.objects.filter(order=order).exists():
        raise ValidationError(
            _("Order %(number)s has no invoice: issue it before refunding.")
            % {"number": order.number}
        )
    card = order.payment_method == "card"
    if card and not (order.provider_payment_id and cards_enabled()):
        raise ValidationError(
            _(
                "Order %(number)s was paid by card, but its payment cannot be found at the card "
                "provider: ask finance to refund it there."
            )
            % {"number": order.number}
        )
    kind = Refund.Kind.AMOUNT if amount is not None else Refund.Kind.LINES
    parts = _parts(order, lines=lines, amount=amount)
    refund = _recorded(order, key=key, kind=kind, reason=reason, parts=parts, user=user)
    if not card:
        _made(order, refund, user=user)
    return refund, True


def _checked_text(key: str, reason: str) -> tuple[str, str]:
    key = key.strip() if isinstance(key, str) else ""
    if not key or len(key) > 64:
        raise ValidationError(_("A refund's key is text of 1 to 64 characters."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the order is refunded."))
    if len(reason) > 200:
        raise ValidationError(_("Say why in at most 200 characters."))
    return key, reason


# Phases 2 and 3 of a card order's refund: the provider asked, outside any lock, then the answer
# recorded under the lock.


def _at_provider(refund: Refund, *, user) -> Refund:
    order = refund.order
    try:
        answer = stripe_client().v1.refunds.create(
            params={
                "payment_intent": order.provider_payment_id,
                "amount": minor_units(refund.amount),
                "metadata": {"order": order.number, "refund_key": refund.key},
            },
            options={"idempotency_key": f"refund:{refund.key}"},
        )
    except stripe.StripeError as error:
        said = getattr(error, "user_message", None) or str(error) or error.__class__.__name__
        _failed(refund, failure=said, user=user)
        raise ValidationError(
            _(
                "The card provider refused the refund of %(amount)s: %(said)s Nothing was "
                "refunded; try again later or refund an amount the card still holds."
            )
            % {"amount": format_money(refund.amount), "said": said}
        ) from error
    answer = answer.to_dict()
    if answer.get("status") in ("failed", "canceled"):
        said = answer.get("failure_reason") or answer["status"]
        _failed(refund, failure=said, user=user)
        raise ValidationError(
            _("The card provider could not refund %(amount)s (%(said)s). Nothing was refunded.")
            % {"amount": format_money(refund.amount), "said": said}
        )
    return _succeeded(refund, provider_refund_id=answer["id"], user=user)


@transaction.atomic
def _succeeded(refund: Refund, *, provider_refund_id: str, user) -> Refund:
    order = _locked(refund.order)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != Status.PENDING:
        return refund  # the provider's event recorded it first
    return _made(order, refund, user=user, provider_refund_id=provider_refund_id)


@transaction.atomic
def _failed(refund: Refund, *, failure: str, user) -> None:
    order = _locked(refund.order)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != Status.PENDING:
        return
    refund.status, refund.failure = Status.FAILED, (failure or "?")[:300]
    refund.save(update_fields=["status", "failure"])
    log(order, "bridgework.refund_failed", user=user, data={"failure": refund.failure})


def refund_order(
    order: Order,
    *,
    user,
    key: str,
    reason: str,
    lines: Sequence[tuple[int, int, bool]] = (),
    amount: Money | None = None,
) -> Refund:
    """Refund ``order`` by ``lines`` (``(order line id, quantity, restock)``) or by ``amount``,
    not both, for ``reason``; once per ``key``. A card order's refund goes through the card
    provider first (the module's docstring); a refusal is a ``ValidationError`` and changes
    nothing (a card refund the provider refuses stays recorded as failed)."""
    _require(user, REFUND)
    key, reason = _checked_text(key, reason)
    if bool(lines) == (amount is not None):
        raise ValidationError(
            _("Refund either lines and their quantities or an amount, not both and not neither.")
        )
    refund, new = _ask(order, user=user, key=key, reason=reason, lines=list(lines), amount=amount)
    if not new and refund.status == Status.FAILED:
        raise ValidationError(
            _("This refund failed: %(failure)s Ask for the refund again.")
            % {"failure": refund.failure}
        )
    if not new or refund.status != Status.PENDING:
        return refund
    return _at_provider(refund, user=user)


def _provider_key(provider_refund_id: str) -> str:
    key = f"provider:{provider_refund_id}"
    if len(key) <= 64:
        return key
    return "provider:" + hashlib.sha256(provider_refund_id.encode()).hexdigest()[:55]


@transaction.atomic
def record_provider_refund(
    order: Order, *, provider_refund_id: str, amount: Money, on: datetime.date
) -> Refund | None:
    """A refund of ``amount`` made at the card provider (``provider_refund_id``, a Stripe
    ``re_…``), told by its event, with no member of staff: recorded once, by amount, capped by
    what remains refundable. None when it was recorded before (a refund made here stores its id
    when the provider answers) or nothing remains.

    When the event arrives before a refund made here has stored its answer, the order's pending
    refund of the same amount is that refund: it is made now with this id, and its own answer
    then finds it made. ``on`` is the day the provider made it, kept in the audit log; the
    credit note and journal are dated the day they are recorded."""
    if amount.currency.code != order.currency:
        raise ValidationError(
            _("Order %(number)s is in %(currency)s: a refund in %(other)s is not its own.")
            % {"number": order.number, "currency": order.currency, "other": amount.currency.code}
        )
    order = _locked(order)
    if Refund.objects.filter(provider_refund_id=provider_refund_id).exists():
        return None
    pending = order.refunds.filter(status=Status.PENDING, amount=amount).order_by("pk").first()
    if pending is not None:
        return _made(order, pending, user=None, provider_refund_id=provider_refund_id)
    left = refundable(order)
    if left.amount <= 0 or not Invoice.objects.filter(order=order).exists():
        return None
    taken = min(round_money(amount), left)
    if taken.amount <= 0:
        return None
    refund = _recorded(
        order,
        key=_provider_key(provider_refund_id),
        kind=Refund.Kind.PROVIDER,
        reason=_("Refunded at the card provider on %(day)s") % {"day": on.isoformat()},
        parts=parts_by_amount(order, taken, remaining(order)),
        user=None,
    )
    return _made(order, refund, user=None, provider_refund_id=provider_refund_id)


@transaction.atomic
def record_refund_paid_back(refund: Refund, *, user, on: datetime.date | None = None) -> Refund:
    """Finance transferred ``refund`` (of an order on invoice) to the buyer on ``on``: refunds
    owed debited, the bank credited. Recording it twice changes nothing."""
    _require(user, PAY_BACK)
    order = _locked(refund.order)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.paid_back_on is not None:
        return refund
    if order.payment_method == "card":
        raise ValidationError(_("A card refund goes back to the card: there is nothing to pay."))
    if refund.status != Status.SUCCEEDED:
        raise ValidationError(_("Only a refund made can be paid back."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("A transfer cannot leave in the future."))
    if on < timezone.localdate(refund.succeeded_at):
        raise ValidationError(_("A refund cannot be paid back before it was made."))
    credit_note = CreditNote.objects.get(refund=refund)
    post_paid_back_journal(credit_note, on=on, user=user)
    refund.paid_back_on = on
    refund.save(update_fields=["paid_back_on"])
    log(
        order,
        "bridgework.refund_paid_back",
        user=user,
        data={"credit_note": credit_note.number, "on": on.isoformat()},
    )
    return refund
