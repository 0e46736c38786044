"""Receiving Stripe's events (``POST /stripe/webhook/``, ``catalogue.cards.views.webhook``).

    receive(payload: bytes, signature: str | None) -> StripeEvent | None

The payload is verified first with ``stripe.Webhook.construct_event`` and
``STRIPE_WEBHOOK_SECRET`` (Stripe's HMAC-SHA256 signature, at most ``TOLERANCE`` seconds old, so
a captured delivery cannot be replayed later): a bad or old signature raises ``BadEvent`` (400)
and changes nothing.

The event's id is then written (``StripeEvent``, a unique column) **in the same transaction** as
its effect: a second delivery of the same event, a replay within the tolerance, or two deliveries
at once change nothing the second time (on PostgreSQL the second insert waits for the first
transaction and then meets its row; it answers 200 as a duplicate, returning None). An effect
that fails rolls back with its id, and Stripe delivers the event again. A type without a handler
is stored and ignored (200).
"""

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from catalogue.cards import fulfilment  # noqa: F401  (registers the Checkout Session handlers)
from catalogue.cards.events import handler_for
from catalogue.models import StripeEvent
from catalogue.refunds import stripe_events  # noqa: F401  (registers charge.refunded)

logger = logging.getLogger(__name__)
TOLERANCE = 300  # seconds: Stripe's own default


class BadEvent(Exception):
    """Not signed by Stripe with our endpoint's secret, too old, or not an event."""


def verified(payload: bytes, signature: str | None) -> dict:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BadEvent("STRIPE_WEBHOOK_SECRET is not set: no event can be verified.")
    try:
        stripe.Webhook.construct_event(payload, signature or "", secret, tolerance=TOLERANCE)
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadEvent(str(error)) from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise BadEvent("not a Stripe event")
    return event


@transaction.atomic
def _acted_on(event: dict) -> StripeEvent | None:
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(
                event_id=str(event["id"])[:255], type=str(event["type"])[:100]
            )
    except IntegrityError:
        logger.info("Stripe event %s received again: nothing to do", event["id"])
        return None
    handler = handler_for(record.type)
    if handler is None:
        record.outcome = "ignored"
    else:
        handled = handler(event)
        record.outcome, record.order = handled.outcome[:300], handled.order
    record.save(update_fields=["outcome", "order"])
    return record


def receive(payload: bytes, signature: str | None) -> StripeEvent | None:
    """Verify and act on one delivery; the stored event, or None for a duplicate."""
    return _acted_on(verified(payload, signature))
