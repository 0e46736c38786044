"""Stripe, offline: a fake HTTP client for the official SDK, and webhook payloads signed with
Stripe's own scheme.

- ``FakeStripe`` is a ``stripe.HTTPClient``: the SDK builds its requests as for the network and
  hands them here. Each request is recorded (method, path, form parameters, headers, so tests
  can assert the idempotency key), and answered by the handler registered for its method and
  path, or 404 like Stripe. The ``fake_stripe`` fixture switches card payment on with test keys
  and installs one.
- ``signed(payload, secret, at=…)`` returns the ``Stripe-Signature`` header Stripe sends:
  ``t=<unix time>,v1=<HMAC-SHA256 of "t.payload" with the endpoint secret, hex>``, which the SDK's
  ``Webhook.construct_event`` verifies.
"""

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from catalogue.cards import client

SECRET_KEY = "sk_test_bridgework"
WEBHOOK_SECRET = "whsec_bridgework_tests"


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: dict

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


@dataclass
class FakeStripe(stripe.HTTPClient):
    handlers: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def __post_init__(self):
        super().__init__()

    name = "fake"

    def on(self, method: str, path: str, handler) -> None:
        """Answer ``method path`` (a regular expression over the path, e.g.
        ``/v1/checkout/sessions``) with ``handler(request) -> (status, dict)``."""
        self.handlers[(method.lower(), path)] = handler

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        params = dict(parse_qsl(body or parts.query, keep_blank_values=True))
        recorded = Request(method.lower(), parts.path, params, dict(headers or {}))
        self.requests.append(recorded)
        for (wanted_method, pattern), handler in self.handlers.items():
            if wanted_method == recorded.method and re.fullmatch(pattern, recorded.path):
                status, answer = handler(recorded)
                return json.dumps(answer), status, {"request-id": "req_fake"}
        error = {"error": {"type": "invalid_request_error", "message": "No such resource"}}
        return json.dumps(error), 404, {}

    def request_with_retries(
        self, method, url, headers, post_data=None, max_network_retries=None, *, _usage=None
    ):
        return self.request(method, url, headers, post_data, _usage=_usage)

    def close(self):
        pass


def signed(payload: str | bytes, secret: str = WEBHOOK_SECRET, *, at: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``payload`` signed at unix time ``at`` (now)."""
    at = int(time.time()) if at is None else at
    body = payload.decode() if isinstance(payload, bytes) else payload
    mac = hmac.new(secret.encode(), f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> FakeStripe:
    """Card payment on, with test keys, and every call to Stripe answered by a ``FakeStripe``."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    monkeypatch.setattr(client, "HTTP_CLIENT", fake)
    return fake
