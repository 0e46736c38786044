"""What Stripe's Checkout Session events do to an order (registered in ``catalogue.cards.events``;
run inside the webhook's transaction, once per event id).

- ``checkout.session.completed``: paid (``payment_status`` ``paid``) → the order is paid
  (``lifecycle.pay_order``: the reservation sold, the invoice issued, the journals posted) and the
  PaymentIntent kept on ``order.provider_payment_id``; ``unpaid`` (a delayed method such as a
  bank debit) → the order waits, its stock held as long as an order on invoice's.
- ``checkout.session.async_payment_succeeded`` → paid, as above.
- ``checkout.session.async_payment_failed`` and ``checkout.session.expired`` → the attempt is
  over; the order is cancelled and its stock released, unless it is paid, was switched to paying
  on invoice, or another attempt is still open (an old page expiring while the buyer pays on a
  new one).

The order is found by the session's ``client_reference_id`` (its number), the attempt by the
session's id. Stripe's word is checked, not trusted: a session whose amount or currency is not
the order's, money taken for a cancelled order, or a second payment for a paid one is **flagged
for review** (``order.review_reason``, shown in the back office) and pays nothing. An unknown
order or session changes nothing and is logged.
"""

import contextlib
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.cards.amounts import from_minor_units, order_amount
from catalogue.cards.events import Handled, handles
from catalogue.checkout import payments
from catalogue.models import CardCheckout, Order, ShopSettings
from catalogue.orders import lifecycle
from core.formatting import format_money
from workshops.inventory import ReservationExpired, extend

logger = logging.getLogger(__name__)
State = CardCheckout.State
Status = Order.Status


def flag(order: Order, reason: str) -> Handled:
    """Mark ``order`` for finance to look at; nothing else changes."""
    order.review_reason = reason[:300]
    order.save(update_fields=["review_reason"])
    log(order, "bridgework.order_flagged", data={"reason": reason[:300]})
    logger.warning("order %s flagged for review: %s", order.number, reason)
    return Handled("flagged: " + reason, order)


def _found(session: dict) -> tuple[Order | None, CardCheckout | None]:
    """The session's order and attempt, locked (the order first, as every order operation)."""
    number = session.get("client_reference_id") or ""
    order = Order.objects.select_for_update().filter(number=number).first()
    if order is None:
        return None, None
    attempts = CardCheckout.objects.select_for_update().filter(order=order)
    attempt = attempts.filter(session_id=session.get("id")).first()
    if attempt is None:  # created at Stripe, but its id never stored here (a crash between)
        number = str((session.get("metadata") or {}).get("attempt", ""))
        if number.isdigit():
            attempt = attempts.filter(attempt=int(number), session_id__isnull=True).first()
            if attempt is not None:
                attempt.session_id = session.get("id")
                attempt.save(update_fields=["session_id"])
    return order, attempt


def _unknown(session: dict, order: Order | None) -> Handled:
    logger.warning(
        "Stripe session %s for order %r is not one of ours: ignored",
        session.get("id"),
        session.get("client_reference_id"),
    )
    return Handled("unknown session", order)


def _amount_problem(order: Order, session: dict) -> str | None:
    amount, currency = order_amount(order)
    took, took_currency = session.get("amount_total"), str(session.get("currency") or "")
    if (took, took_currency.lower()) == (amount, currency):
        return None
    said = (
        format_money(from_minor_units(took, took_currency), "en")
        if isinstance(took, int) and took_currency
        else f"{took} {took_currency}"
    )
    return _("The card provider's session says %(said)s, the order's total is %(total)s.") % {
        "said": said,
        "total": format_money(order.total, "en"),
    }


def _pay(order: Order, attempt: CardCheckout, session: dict) -> Handled:
    intent = str(session.get("payment_intent") or "")
    if order.status == Status.CANCELLED:
        return flag(
            order,
            _(
                "Money was taken by card (%(intent)s) for this cancelled order: refund it or "
                "restore the order."
            )
            % {"intent": intent},
        )
    if order.paid_at is not None:
        if intent and order.provider_payment_id and order.provider_payment_id != intent:
            return flag(
                order,
                _("Paid twice by card (%(first)s and %(second)s): refund one.")
                % {"first": order.provider_payment_id, "second": intent},
            )
        return Handled("already paid", order)
    try:
        with transaction.atomic():
            lifecycle.pay_order(order, method="card")
    except ValidationError as refused:
        return flag(
            order,
            _("Paid by card (%(intent)s) but it could not be recorded: %(why)s")
            % {"intent": intent, "why": " ".join(refused.messages)},
        )
    order.refresh_from_db()
    order.provider_payment_id = intent
    order.save(update_fields=["provider_payment_id"])
    attempt.state = State.COMPLETED
    attempt.save(update_fields=["state"])
    return Handled("paid", order)


def _checked(session: dict):
    """``(order, attempt, refusal)``: a refusal is the ``Handled`` to answer with."""
    order, attempt = _found(session)
    if order is None or attempt is None:
        return order, attempt, _unknown(session, order)
    if problem := _amount_problem(order, session):
        return order, attempt, flag(order, problem)
    return order, attempt, None


@handles("checkout.session.completed")
def session_completed(event: dict) -> Handled:
    session = event["data"]["object"]
    order, attempt, refused = _checked(session)
    if refused:
        return refused
    if session.get("payment_status") == "paid":
        return _pay(order, attempt, session)
    attempt.state = State.COMPLETED
    attempt.save(update_fields=["state"])
    if order.status == Status.AWAITING_PAYMENT:
        hold = payments.registered(payments.DEFAULT).hold(timezone.now(), ShopSettings.load())
        # A hold already over stays over: the order is cancelled when that is noticed, and a
        # payment arriving after it is flagged.
        with contextlib.suppress(ReservationExpired):
            extend(order.reservation, expires_at=hold)
    return Handled("waiting for the payment", order)


@handles("checkout.session.async_payment_succeeded")
def async_payment_succeeded(event: dict) -> Handled:
    session = event["data"]["object"]
    order, attempt, refused = _checked(session)
    if refused:
        return refused
    return _pay(order, attempt, session)


def _over(event: dict, *, reason: str) -> Handled:
    session = event["data"]["object"]
    order, attempt = _found(session)
    if order is None or attempt is None:
        return _unknown(session, order)
    if attempt.state == State.COMPLETED and event["type"] == "checkout.session.expired":
        return Handled("completed before: nothing to do", order)
    attempt.state = State.EXPIRED
    attempt.save(update_fields=["state"])
    if order.status != Status.AWAITING_PAYMENT or order.payment_method != "card":
        return Handled("nothing to do", order)
    still_open = order.card_checkouts.exclude(pk=attempt.pk).filter(
        state__in=[State.PENDING, State.OPEN]
    )
    if still_open.exists():
        return Handled("another attempt is open", order)
    lifecycle.cancel_unpaid(order, reason=reason)
    return Handled("cancelled", order)


@handles("checkout.session.expired")
def session_expired(event: dict) -> Handled:
    return _over(event, reason=_("The card payment page expired unpaid."))


@handles("checkout.session.async_payment_failed")
def async_payment_failed(event: dict) -> Handled:
    return _over(event, reason=_("The card provider said the payment failed."))
