"""Helpers of the card payment tests: a card order with a Checkout Session open at Stripe, Stripe's
answers through ``FakeStripe``, webhook events built from the real Checkout Session object kept
in ``stripe_payloads/`` and signed locally, and the whole state an event can change (to show that
a refused or repeated one changed nothing)."""

import copy
import datetime
import json
from pathlib import Path

from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalogue.models import CardCheckout, Invoice, Order, StripeEvent
from tests.catalogue.fake_stripe import signed
from tests.catalogue.order_builders import build_order
from wages.models import Journal
from workshops.models import Reservation, Stock

PAYLOADS = Path(__file__).parent / "stripe_payloads"
WEBHOOK = "/stripe/webhook/"
SESSIONS = r"/v1/checkout/sessions"


def card_order(shop, number="BW-2026-0001", *, hold=datetime.timedelta(minutes=60), **fields):
    return build_order(shop, number, method="card", hold=hold, **fields)


def opened(order, session_id="cs_test_1", *, attempt=1, state=CardCheckout.State.OPEN):
    return CardCheckout.objects.create(
        order=order,
        attempt=attempt,
        state=state,
        session_id=session_id,
        url=f"https://checkout.stripe.com/c/pay/{session_id}",
        expires_at=order.reservation.expires_at - datetime.timedelta(minutes=5),
    )


def session_answer(session_id="cs_test_1"):
    """A FakeStripe handler answering a session's creation as Stripe does (the fields read)."""

    def answer(request):
        return 200, {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
        }

    return answer


def sessions_in_turn(*ids):
    """Answer each new idempotency key with the next session id, a repeated key with its own."""
    given: dict[str, str] = {}
    remaining = list(ids)

    def answer(request):
        key = request.idempotency_key
        if key not in given:
            given[key] = remaining.pop(0)
        return session_answer(given[key])(request)

    return answer


def event(
    kind="checkout.session.completed",
    *,
    event_id="evt_1",
    session_id="cs_test_1",
    order="BW-2026-0001",
    attempt="1",
    **session,
) -> str:
    """The documented Checkout Session event (``stripe_payloads``), as Stripe would send it for
    ``order``: the type, ids and any session field changed."""
    body = copy.deepcopy(json.loads((PAYLOADS / "checkout_session_completed.json").read_text()))
    body["id"], body["type"] = event_id, kind
    obj = body["data"]["object"]
    obj.update(
        id=session_id, client_reference_id=order, metadata={"order": order, "attempt": attempt}
    )
    if kind == "checkout.session.expired":
        obj.update(status="expired", payment_status="unpaid", payment_intent=None)
    obj.update(session)
    return json.dumps(body)


def deliver(client, payload: str, *, at=None, secret=None, header=True):
    headers = {}
    if header:
        args = {"at": at} if secret is None else {"secret": secret, "at": at}
        headers["HTTP_STRIPE_SIGNATURE"] = signed(payload, **args)
    return client.post(WEBHOOK, data=payload, content_type="application/json", **headers)


def state() -> dict:
    return {
        "orders": sorted(
            Order.objects.values_list(
                "number", "status", "payment_method", "provider_payment_id", "review_reason"
            )
        ),
        "attempts": sorted(CardCheckout.objects.values_list("order__number", "attempt", "state")),
        "events": StripeEvent.objects.count(),
        "journals": sorted(Journal.objects.values_list("key", flat=True)),
        "invoices": Invoice.objects.count(),
        "stock": sorted(Stock.objects.values_list("sku__code", "on_hand", "reserved")),
        "reservations": sorted(Reservation.objects.values_list("key", "state", "expires_at")),
        "log": ModelLogEntry.objects.count(),
        "mail": len(mail.outbox),
    }


def soon(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)
