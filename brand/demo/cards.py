"""The demo shop's card orders: one paid through a Stripe event, one still waiting for its payment.

The demo has no Stripe account. Each order is placed through ``place_order`` with card payment
switched on for that call (a demo key that is never sent anywhere: placing a card order calls
nothing), and given the Checkout Session attempt the checkout would have opened. The paid one
then receives the ``checkout.session.completed`` event Stripe would send, signed with
``DEMO_WEBHOOK_SECRET`` (a demo-only constant set for that call) and handled by the shop's own
webhook code (``catalogue.cards.webhooks.receive``), which sells its stock, issues its invoice and
posts its journals. A second run finds the same orders, attempts and event, and changes nothing.
"""

import hashlib
import hmac
import json
import time

from django.test import override_settings

from brand.demo.catalogue import variant_skus
from brand.demo.orders import _shipping
from catalogue.cards.amounts import order_amount
from catalogue.cards.sessions import MARGIN
from catalogue.cards.webhooks import receive
from catalogue.checkout.placing import place_order
from catalogue.models import CardCheckout, Order, ProductVariant

DEMO_SECRET_KEY = "sk_demo_never_sent"  # noqa: S105  # nosec B105: a placeholder, never sent
DEMO_WEBHOOK_SECRET = "whsec_demo_only_never_in_production"  # noqa: S105  # nosec B105: demo-only

# (key, language, name, e-mail, address, postcode, city, country, basket, paid)
CARD_ORDERS = [
    (
        "demo-card-order-01-en",
        "en",
        "Grace Mensah",
        "grace.mensah@example.com",
        "4 Rue Sainte-Catherine",
        "33000",
        "Bordeaux",
        "FR",
        [("olive-oil-soap", "Pack of 3", 1), ("greeting-cards", "Plants", 1)],
        True,
    ),
    (
        "demo-card-order-02-fr",
        "fr",
        "Inès Moreau",
        "ines.moreau@example.fr",
        "11 rue des Lilas",
        "44000",
        "Nantes",
        "FR",
        [("tea-towels", "", 1)],
        False,
    ),
]


def _variants() -> dict:
    by_code = {row.code: row for row in variant_skus()}
    return {
        (by_code[variant.sku.code].product, by_code[variant.sku.code].options): variant
        for variant in ProductVariant.objects.select_related("sku").filter(
            sku__code__in=list(by_code)
        )
    }


def _attempt(order: Order) -> CardCheckout:
    attempt, _created = CardCheckout.objects.get_or_create(
        order=order,
        attempt=1,
        defaults={
            "state": CardCheckout.State.OPEN,
            "session_id": f"cs_demo_{order.number}",
            "url": f"https://checkout.stripe.com/c/pay/cs_demo_{order.number}",
            "expires_at": order.reservation.expires_at - MARGIN,
        },
    )
    return attempt


def completed_event(order: Order, attempt: CardCheckout) -> str:
    """The event Stripe sends when the buyer paid on the Checkout Session's page."""
    amount, currency = order_amount(order)
    session = {
        "id": attempt.session_id,
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "client_reference_id": order.number,
        "currency": currency,
        "customer_email": order.email,
        "expires_at": int(attempt.expires_at.timestamp()),
        "livemode": False,
        "metadata": {"order": order.number, "attempt": str(attempt.attempt)},
        "mode": "payment",
        "payment_intent": f"pi_demo_{order.number}",
        "payment_status": "paid",
        "status": "complete",
    }
    return json.dumps(
        {
            "id": f"evt_demo_{order.number}_completed",
            "object": "event",
            "type": "checkout.session.completed",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": session},
        }
    )


def signature(payload: str, secret: str) -> str:
    """Stripe's ``Stripe-Signature`` header: ``t=<time>,v1=<HMAC-SHA256 of "t.payload">``."""
    at = int(time.time())
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def seed_card_orders() -> list[Order]:
    variants = _variants()
    orders = []
    for key, language, name, email, address, postcode, city, country, basket, paid in CARD_ORDERS:
        lines = [(variants[(product, options)], qty) for product, options, qty in basket]
        with override_settings(STRIPE_SECRET_KEY=DEMO_SECRET_KEY):
            order = place_order(
                key=key,
                lines=lines,
                contact={
                    "email": email,
                    "name": name,
                    "address": address,
                    "postcode": postcode,
                    "city": city,
                    "country": country,
                },
                shipping_rate=_shipping(lines, country, False),
                payment_method="card",
                language=language,
            )
        attempt = _attempt(order)
        if paid:
            payload = completed_event(order, attempt)
            with override_settings(STRIPE_WEBHOOK_SECRET=DEMO_WEBHOOK_SECRET):
                receive(payload.encode(), signature(payload, DEMO_WEBHOOK_SECRET))
            order.refresh_from_db()
        orders.append(order)
    return orders
