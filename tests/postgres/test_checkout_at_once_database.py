"""Buyers at the same moment on real PostgreSQL connections (``place_order``): fifty buyers for
the last ten units place exactly ten orders, numbered without a repeat, and the stock rows still
equal the sum of their movements; a checkout sent five times at once places one order."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brand.demo.seed import ensure_wagtail_roots
from catalogue.checkout.placing import place_order
from catalogue.models import Order, OrderLine
from core.testing.database import race
from tests.catalogue.checkout_fixtures import CONTACT, build_shop
from tests.catalogue.placing_checks import after_placing, new_key  # noqa: F401
from tests.postgres.inventory_checks import at_once, moved, stock_of
from workshops.models import Reservation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


def buy(shop, key, quantity=1):
    return partial(
        place_order,
        key=key,
        lines=[(shop.mug.pk, quantity)],
        contact=CONTACT,
        shipping_rate=shop.standard_2kg.pk,
        payment_method="invoice",
        language="en",
    )


@at_once
def test_fifty_buyers_for_the_last_ten_units_place_exactly_ten_orders(after_placing):  # noqa: F811
    shop = build_shop()
    keys = [new_key() for _buyer in range(50)]

    outcomes = race(*(buy(shop, key) for key in keys))

    placed = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(placed), len(refused)) == (10, 40)
    assert {tuple(error.messages) for error in refused} == {("Mug is sold out.",)}
    year = timezone.localdate().year
    assert sorted(order.number for order in placed) == [f"BW-{year}-{n:06d}" for n in range(1, 11)]
    assert Order.objects.count() == 10
    assert list(OrderLine.objects.values_list("quantity", flat=True)) == [1] * 10
    assert Reservation.objects.filter(state="active").count() == 10
    assert stock_of(shop.mug.sku) == moved(shop.mug.sku) == (10, 10)
    assert len(after_placing) == 20  # each placed order's invoice and journal, after its commit


@at_once
def test_a_checkout_sent_five_times_at_once_places_one_order(after_placing):  # noqa: F811
    shop = build_shop()
    key = new_key()

    outcomes = race(*(buy(shop, key, 2) for _send in range(5)))

    assert all(isinstance(outcome, Order) for outcome in outcomes)
    assert {outcome.pk for outcome in outcomes} == {Order.objects.get().pk}
    assert Reservation.objects.count() == 1
    assert stock_of(shop.mug.sku) == moved(shop.mug.sku) == (10, 2)
    assert after_placing == [
        ("issue_invoice", outcomes[0].number),
        ("post_invoice_journal", f"invoice of {outcomes[0].number}"),
    ]
