"""Starting a card payment: a Stripe Checkout Session per attempt (``CardCheckout``).

    start_payment(*, order, site_url, replacing=None, now=None) -> CardCheckout
    card_hold(now, shop) -> datetime           how long a card order holds its stock

The buyer is anyone holding the order's access token: no permission is asked. In one
transaction on the order's row, the attempt is chosen and written: an open attempt (or one being
created) that is still usable is **reused**, so a double click or a reload opens the same payment
page; ``replacing=<n>`` (the "try again" button of attempt *n*) asks for a new one, once: a second
click finds the attempt the first one made. Then, **outside any transaction**, Stripe is asked for
the session with the idempotency key ``order:<number>:attempt:<n>`` and parameters fixed by the
attempt's row, so asking again for the same attempt returns the same session.

Expiry, by Stripe's rule that a session's ``expires_at`` is 30 minutes to 24 hours after it is
created, and ours that the buyer can never pay for stock no longer held: the session ends
``MARGIN`` (5 minutes) before the order's reservation. A card order holds its stock
``card_hold`` (the shop's checkout minutes, at least 60, at most 24 hours), so a first session
lasts at least 55 minutes. An attempt that would last less than ``NEEDED`` (40 minutes: Stripe's
30, the margin and 5 minutes for the call) first extends the reservation by a new card hold,
at most ``MAX_ATTEMPTS`` times per order.
"""

import datetime
import logging
from dataclasses import dataclass

import stripe
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalogue.cards.amounts import line_items
from catalogue.cards.client import cards_enabled, stripe_client
from catalogue.models import CardCheckout, Order, ShopSettings
from catalogue.models.cards import idempotency_key
from workshops.inventory import ReservationExpired, extend

logger = logging.getLogger(__name__)
State = CardCheckout.State

SESSION_SHORTEST = datetime.timedelta(minutes=30)  # Stripe's rule
SESSION_LONGEST = datetime.timedelta(hours=24)  # Stripe's rule
MARGIN = datetime.timedelta(minutes=5)
NEEDED = SESSION_SHORTEST + 2 * MARGIN
CARD_HOLD_SHORTEST = 60  # minutes
MAX_ATTEMPTS = 5
# Checkout's page languages (Stripe's ``locale``); any other language lets Stripe choose.
STRIPE_LOCALES = frozenset(
    [
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fil",
        "fr",
        "hr",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "ms",
        "mt",
        "nb",
        "nl",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sv",
        "th",
        "tr",
        "vi",
        "zh",
    ]
)


class CardPaymentRefused(ValidationError):
    """The card payment cannot start (the order's state, or the card provider said no)."""


def card_hold(now: datetime.datetime, shop: ShopSettings) -> datetime.datetime:
    longest = int(SESSION_LONGEST.total_seconds()) // 60
    return now + datetime.timedelta(
        minutes=min(max(shop.checkout_minutes, CARD_HOLD_SHORTEST), longest)
    )


def stripe_locale(language: str) -> str:
    return language if language in STRIPE_LOCALES else "auto"


def refusal_for(order: Order) -> str | None:
    """Why ``order`` cannot be paid by card now, in words; None when it can."""
    if order.status == Order.Status.CANCELLED:
        return _("Order %(number)s was cancelled: there is nothing to pay.") % {
            "number": order.number
        }
    if order.status != Order.Status.AWAITING_PAYMENT:
        return _("Order %(number)s is paid already.") % {"number": order.number}
    if order.payment_method != "card":
        return _("Order %(number)s is paid on invoice: follow the bank transfer details.") % {
            "number": order.number
        }
    return None


@dataclass
class _Chosen:
    attempt: CardCheckout
    replaced: list[str]  # sessions to expire at Stripe


@transaction.atomic
def _choose(*, order: Order, replacing: int | None, now: datetime.datetime) -> _Chosen:
    order = Order.objects.select_for_update().select_related("reservation").get(pk=order.pk)
    if problem := refusal_for(order):
        raise CardPaymentRefused(problem, code="not_payable")
    if not cards_enabled():
        raise CardPaymentRefused(
            _("Card payment is not available just now: pay on invoice by bank transfer instead."),
            code="cards_off",
        )
    attempts = list(order.card_checkouts.select_for_update().order_by("attempt"))
    latest = attempts[-1] if attempts else None
    if latest is not None and (replacing is None or latest.attempt > replacing):
        if latest.state == State.OPEN and latest.expires_at > now + datetime.timedelta(minutes=1):
            return _Chosen(latest, [])
        if latest.state == State.PENDING and latest.expires_at >= now + SESSION_SHORTEST + MARGIN:
            return _Chosen(latest, [])  # its call to Stripe did not finish: make it again
    if len(attempts) >= MAX_ATTEMPTS:
        raise CardPaymentRefused(
            _("This order was tried by card %(count)s times: pay it on invoice instead.")
            % {"count": len(attempts)},
            code="too_many_attempts",
        )
    replaced = [a for a in attempts if a.state in (State.OPEN, State.PENDING)]
    for old in replaced:
        old.state = State.REPLACED
        old.save(update_fields=["state"])
    reservation = order.reservation
    if reservation.expires_at - MARGIN < now + NEEDED:
        try:
            reservation = extend(reservation, expires_at=card_hold(now, ShopSettings.load()))
        except ReservationExpired:
            raise CardPaymentRefused(
                _(
                    "The time to pay for order %(number)s ran out and its products were released: "
                    "order them again."
                )
                % {"number": order.number},
                code="hold_over",
            ) from None
    attempt = CardCheckout.objects.create(
        order=order,
        attempt=(latest.attempt + 1) if latest else 1,
        expires_at=min(reservation.expires_at - MARGIN, now + SESSION_LONGEST - MARGIN),
    )
    log(order, "bridgework.card_checkout_started", data={"attempt": attempt.attempt})
    return _Chosen(attempt, [old.session_id for old in replaced if old.session_id])


def session_params(attempt: CardCheckout, *, site_url: str) -> dict:
    """The Checkout Session's parameters, fixed by the attempt's row (the same every time)."""
    order = attempt.order
    currency = order.currency.lower()
    with translation.override(order.language):
        success = reverse("catalogue_cards:paid", args=[order.access_token])
        cancel = reverse("catalogue_cards:choices", args=[order.access_token])
    return {
        "mode": "payment",
        "line_items": [
            {
                "quantity": item.quantity,
                "price_data": {
                    "currency": currency,
                    "unit_amount": item.unit_amount,
                    "product_data": {"name": item.name},
                },
            }
            for item in line_items(order)
        ],
        "client_reference_id": order.number,
        "metadata": {"order": order.number, "attempt": str(attempt.attempt)},
        "payment_intent_data": {"metadata": {"order": order.number}},
        "customer_email": order.email,
        "locale": stripe_locale(order.language),
        "success_url": site_url.rstrip("/") + success,
        "cancel_url": site_url.rstrip("/") + cancel,
        "expires_at": int(attempt.expires_at.timestamp()),
    }


def _failed(attempt: CardCheckout, error: Exception) -> None:
    message = getattr(error, "user_message", None) or str(error) or type(error).__name__
    CardCheckout.objects.filter(pk=attempt.pk, state=State.PENDING).update(
        state=State.FAILED, error=message[:500]
    )
    logger.warning("card checkout %s refused by Stripe: %s", attempt.idempotency_key, message)


def _opened(attempt: CardCheckout, *, session_id: str, url: str) -> CardCheckout:
    with transaction.atomic():
        attempt = CardCheckout.objects.select_for_update().get(pk=attempt.pk)
        attempt.session_id, attempt.url = session_id, url
        if attempt.state == State.PENDING:
            attempt.state = State.OPEN
        attempt.save(update_fields=["session_id", "url", "state"])
    return attempt


def expire_sessions(session_ids) -> None:
    """Ask Stripe to close sessions no longer wanted, so an old payment page cannot take money
    too; a failure is only logged (the order's events still decide what happens)."""
    if not cards_enabled():
        return
    for session_id in session_ids:
        try:
            stripe_client().v1.checkout.sessions.expire(session_id)
        except stripe.StripeError as error:
            logger.info("Checkout Session %s not expired: %s", session_id, error)


def start_payment(
    *, order: Order, site_url: str, replacing: int | None = None, now=None
) -> CardCheckout:
    """The attempt to send the buyer to (its ``url``): reused, or new and created at Stripe.
    Refused in words (``CardPaymentRefused``) when the order cannot be paid by card or Stripe
    said no; the order is kept either way, to be tried again or paid on invoice."""
    chosen = _choose(order=order, replacing=replacing, now=now or timezone.now())
    attempt = chosen.attempt
    expire_sessions(chosen.replaced)
    if attempt.state == State.OPEN:
        return attempt
    try:
        session = stripe_client().v1.checkout.sessions.create(
            params=session_params(attempt, site_url=site_url),
            options={"idempotency_key": idempotency_key(attempt.order.number, attempt.attempt)},
        )
    except stripe.StripeError as error:
        _failed(attempt, error)
        raise CardPaymentRefused(
            _(
                "The secure card payment page could not be opened just now. Try again in a "
                "moment, or pay on invoice by bank transfer: your order is kept either way."
            ),
            code="stripe_error",
        ) from error
    return _opened(attempt, session_id=session.id, url=session.url)
