"""Shipping by zone and weight (catalogue.shipping.pricing)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalogue.shipping.pricing import (
    check_rate,
    offered_rates,
    rates_for,
    shipping_amounts,
    zone_for,
)
from catalogue.taxes.pricing import Amounts
from tests.catalogue.checkout_fixtures import eur

pytestmark = pytest.mark.django_db


def test_a_country_belongs_to_the_zone_that_lists_it(shop):
    assert zone_for("FR") == shop.europe
    assert zone_for("us") == shop.americas


def test_a_country_in_no_zone_is_refused_in_words(shop):
    with pytest.raises(ValidationError) as refused:
        zone_for("JP")
    assert refused.value.messages == [
        "We do not deliver to Japan yet. Choose a delivery address in another country, or "
        "contact us to ask."
    ]


def test_the_lightest_bracket_that_carries_the_weight_is_offered(shop):
    assert rates_for("FR", 1500) == [shop.collection, shop.standard_2kg]
    assert rates_for("FR", 2000) == [shop.collection, shop.standard_2kg]
    assert rates_for("FR", 2001) == [shop.collection, shop.standard_10kg]
    assert rates_for("DE", 10001) == [shop.collection]
    assert rates_for("US", 2000) == [shop.americas_2kg]


def test_an_order_heavier_than_every_rate_of_its_zone_is_refused(shop):
    with pytest.raises(ValidationError) as refused:
        rates_for("US", 2500)
    assert refused.value.messages == [
        "Your order weighs 2.5 kg, more than we send to United States of America in one "
        "parcel. Split it into smaller orders, or contact us."
    ]


def test_a_rate_of_another_zone_or_bracket_is_refused(shop):
    assert check_rate(shop.standard_2kg, country="BE", weight_grams=100) == shop.standard_2kg
    with pytest.raises(ValidationError) as refused:
        check_rate(shop.americas_2kg, country="FR", weight_grams=100)
    assert refused.value.messages == [
        "Standard is not offered for this order to France. Choose one of: Collect in Lyon, "
        "Standard."
    ]
    with pytest.raises(ValidationError):
        check_rate(shop.standard_2kg, country="FR", weight_grams=2001)


def test_inactive_rates_are_not_offered(shop):
    shop.standard_2kg.active = False
    shop.standard_2kg.save()
    assert rates_for("FR", 100) == [shop.collection, shop.standard_10kg]
    assert shop.standard_2kg not in offered_rates(100)


def test_shipping_is_taxed_like_a_line(shop):
    # 5.90 with 20 % tax: 5.90 × 20 / 120 = 0.9833… → 0.98.
    assert shipping_amounts(
        shop.standard_2kg, on=datetime.date(2026, 12, 1), prices_include_tax=True
    ) == (20, Amounts(net=eur("4.92"), tax=eur("0.98"), gross=eur("5.90")))
    assert shipping_amounts(
        shop.standard_2kg, on=datetime.date(2026, 12, 1), prices_include_tax=False
    ) == (20, Amounts(net=eur("5.90"), tax=eur("1.18"), gross=eur("7.08")))
