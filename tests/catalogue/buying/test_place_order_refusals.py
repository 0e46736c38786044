"""place_order refuses, in words, everything it cannot sell or send, and then nothing changed:
no order, no line, no number taken, no stock reserved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalogue.checkout.placing import PriceChanged
from catalogue.models import TaxRate
from tests.catalogue.buying.test_place_order import place
from tests.catalogue.checkout_fixtures import CONTACT, eur
from tests.catalogue.placing_checks import new_key, shop_state
from workshops import inventory
from workshops.models import Reservation

pytestmark = pytest.mark.django_db


def refused(shop, **changes) -> list[str]:
    before = shop_state()
    with pytest.raises(ValidationError) as refusal:
        place(shop, **changes)
    assert shop_state() == before
    return refusal.value.messages


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Each quantity must be from 1 to 99."),
        (-1, "Each quantity must be from 1 to 99."),
        (100, "Each quantity must be from 1 to 99."),
        ("2", "A quantity must be a whole number."),
        (2.5, "A quantity must be a whole number."),
        (True, "A quantity must be a whole number."),
    ],
)
def test_a_quantity_that_is_not_a_whole_number_from_1_to_99_is_refused(shop, quantity, message):
    assert refused(shop, lines=[(shop.mug, quantity)]) == [message]


def test_an_empty_order_is_refused(shop):
    assert refused(shop, lines=[]) == ["Your cart is empty: add a product first."]


def test_more_than_is_available_is_refused(shop):
    assert refused(shop, lines=[(shop.mug, 11)]) == ["Only 10 of Mug left: choose 10 or fewer."]


def test_a_sold_out_variant_is_refused(shop):
    inventory.reserve([(shop.book.sku, 5)], key="other-buyer", expires_at=_tomorrow())
    assert refused(shop, lines=[(shop.book, 1)]) == ["Book is sold out."]


def test_an_unpublished_product_is_refused(shop):
    shop.mug_page.unpublish()
    assert refused(shop, lines=[(shop.mug, 1)]) == [
        "Mug is no longer on sale. Remove it from your cart."
    ]


def test_a_variant_not_on_sale_is_refused(shop):
    shop.mug.available = False
    shop.mug.save()
    assert refused(shop, lines=[(shop.mug, 1)]) == ["Mug is not on sale at the moment."]


def test_a_variant_that_does_not_exist_is_refused(shop):
    assert refused(shop, lines=[(999_999, 1)]) == [
        "This product is no longer in the shop. Remove it from your cart."
    ]


def test_a_price_changed_since_it_was_seen_is_refused_with_old_and_new(shop):
    before = shop_state()
    with pytest.raises(PriceChanged) as refusal:
        place(shop, lines=[(shop.mug, 1, eur("11.00")), (shop.book, 1, eur("8.50"))])
    assert refusal.value.messages == [
        "Prices changed since you saw them. Check the new prices and confirm again.",
        "Mug: was €11.00, now €12.00.",
    ]
    assert shop_state() == before


def test_a_country_outside_every_zone_is_refused(shop):
    assert refused(shop, contact={**CONTACT, "country": "JP"}) == [
        "We do not deliver to Japan yet. Choose a delivery address in another country, or "
        "contact us to ask."
    ]


def test_a_rate_of_another_zone_is_refused(shop):
    assert refused(shop, shipping_rate=shop.americas_2kg) == [
        "Standard is not offered for this order to France. Choose one of: Collect in Lyon, "
        "Standard."
    ]


def test_a_rate_too_light_for_the_order_is_refused(shop):
    assert refused(shop, lines=[(shop.mug, 6)]) == [  # 2.4 kg, the 2 kg rate
        "Standard is not offered for this order to France. Choose one of: Collect in Lyon, "
        "Standard."
    ]


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "has spaces in it, sixteen+", None, 42])
def test_a_malformed_key_is_refused(shop, key):
    assert refused(shop, key=key) == [
        "This checkout form is out of date or was changed. Check your order and send it again."
    ]


def test_an_unknown_payment_method_is_refused(shop):
    assert refused(shop, payment_method="cheque") == [
        "This payment method is not offered. Choose one of: Bank transfer: pay on invoice."
    ]


def test_contact_details_are_checked_again(shop):
    assert refused(
        shop, contact={**CONTACT, "email": "not an address", "name": " ", "address": ""}
    ) == [
        "Enter an e-mail address we can send the confirmation to.",
        "Enter the name to deliver to and to write on the invoice.",
        "Enter the delivery address and the town or city.",
    ]
    assert refused(shop, contact={**CONTACT, "phone": "12"}) == [
        "Enter the telephone number with its country code, or leave it out."
    ]
    assert refused(shop, contact={**CONTACT, "name": "A" * 121}) == [
        "Name is longer than 120 characters: shorten it."
    ]


def test_a_product_whose_tax_class_has_no_rate_in_force_is_refused(shop):
    TaxRate.objects.filter(tax_class=shop.reduced).update(effective_from=datetime.date(2099, 1, 1))
    messages = refused(shop)
    assert messages[0].startswith("The tax class Reduced has no rate in force on ")


def test_a_key_whose_reservation_holds_other_lines_is_refused(shop):
    key = new_key()
    inventory.reserve([(shop.book.sku, 1)], key=f"order:{key}", expires_at=_tomorrow())
    assert Reservation.objects.count() == 1
    assert refused(shop, key=key, lines=[(shop.mug, 1)]) == [
        "This checkout form was already used for another order. Check your cart and send the "
        "form again."
    ]


def _tomorrow():
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=1)
