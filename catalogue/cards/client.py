"""The one way this code talks to Stripe: ``stripe_client()``, the official SDK's client with the
deployment's secret key.

Tests give it a fake HTTP client (``tests/catalogue/fake_stripe.py``) through ``HTTP_CLIENT``, so
no test talks to the internet. Nothing calls Stripe while a database transaction or row lock is
held: a slow answer must never hold stock rows or an order.
"""

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Replaced by tests with a fake ``stripe.HTTPClient``; None means the SDK's own (the network).
HTTP_CLIENT: stripe.HTTPClient | None = None
# Answers are retried by the SDK with the same idempotency key, so a retry never pays twice.
MAX_NETWORK_RETRIES = 2


def cards_enabled() -> bool:
    """Card payment is offered only when the deployment has Stripe's secret key."""
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    if not cards_enabled():
        raise ImproperlyConfigured("STRIPE_SECRET_KEY is not set: card payment is off.")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=HTTP_CLIENT,
        max_network_retries=MAX_NETWORK_RETRIES,
    )
