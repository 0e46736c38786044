"""Stripe's webhook on real PostgreSQL connections (``catalogue.cards.webhooks``): the same event
delivered twice at the same moment pays the order once (one payment journal, one invoice, the
stock sold once); the second delivery waits on the first's unique event id and answers as a
duplicate. A completed and an expired event of the same session at once leave the order paid or
cancelled, never both half-done."""

import pytest
from django.test import Client

from brand.demo.seed import ensure_wagtail_roots
from catalogue.models import CardCheckout, Invoice, Order, StripeEvent
from core.testing.database import race
from tests.catalogue.card_checks import card_order, deliver, event, opened
from tests.catalogue.fake_stripe import fake_stripe  # noqa: F401  (a fixture)
from tests.catalogue.order_builders import build_shop
from tests.postgres.inventory_checks import at_once
from wages.models import Journal
from workshops.models import Stock

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("fake_stripe")]


@pytest.fixture(autouse=True)
def locales():
    ensure_wagtail_roots()


def stock():
    return sorted(Stock.objects.values_list("sku__code", "on_hand", "reserved"))


def delivery(payload):
    return lambda: deliver(Client(), payload).status_code


@at_once
def test_the_same_event_delivered_twice_at_once_pays_once():
    order = card_order(build_shop())
    opened(order, "cs_test_1")
    payload = event()

    outcomes = race(delivery(payload), delivery(payload))

    assert outcomes == [200, 200]
    order.refresh_from_db()
    assert (order.status, order.provider_payment_id) == ("paid", "pi_3QxBridgeworkIntent01")
    assert Journal.objects.filter(key="payment:BW-2026-0001").count() == 1
    assert Journal.objects.filter(key__startswith="invoice:").count() == 1
    assert Invoice.objects.count() == 1
    assert list(StripeEvent.objects.values_list("event_id", "outcome")) == [("evt_1", "paid")]
    assert stock() == [("APRON", 9, 0), ("BREAD", 8, 0)]


@at_once
def test_completed_and_expired_at_once_leave_the_order_in_one_state():
    order = card_order(build_shop())
    opened(order, "cs_test_1")

    outcomes = race(
        delivery(event()),
        delivery(event("checkout.session.expired", event_id="evt_2")),
    )

    assert outcomes == [200, 200]
    order.refresh_from_db()
    if order.status == Order.Status.PAID:  # completed first: the late expiry changed nothing
        assert stock() == [("APRON", 9, 0), ("BREAD", 8, 0)]
        assert CardCheckout.objects.get().state == "completed"
    else:  # expired first: the payment is flagged for a refund, nothing sold
        assert order.status == Order.Status.CANCELLED
        assert order.review_reason.startswith("Money was taken by card")
        assert stock() == [("APRON", 10, 0), ("BREAD", 10, 0)]
        assert not Journal.objects.filter(key__startswith="payment:").exists()
    assert StripeEvent.objects.count() == 2
