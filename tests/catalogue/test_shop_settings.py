"""The shop's settings refuse a stock hold for orders on invoice that would cancel orders before
they are overdue and reminded (``ShopSettings.clean``)."""

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import ShopSettings

pytestmark = pytest.mark.django_db


def test_the_default_hold_outlasts_the_terms_and_the_last_reminder():
    shop = ShopSettings.load()

    # 30 days to pay + 14 to the second reminder + 1 to answer it = 45
    assert (shop.payment_terms_days, shop.second_reminder_days, shop.invoice_hold_days) == (
        30,
        14,
        45,
    )
    shop.full_clean()


def test_a_hold_ending_before_the_last_reminder_is_refused_in_words():
    shop = ShopSettings.load()
    shop.invoice_hold_days = 44

    with pytest.raises(ValidationError) as refused:
        shop.full_clean()

    assert refused.value.message_dict == {
        "invoice_hold_days": [
            "Hold stock at least 45 days: 30 days to pay, then 14 days to the last reminder, "
            "and one day to answer it."
        ]
    }
    assert ShopSettings.load().invoice_hold_days == 45


def test_without_a_second_reminder_the_first_one_counts():
    shop = ShopSettings.load()
    shop.second_reminder_days, shop.first_reminder_days, shop.invoice_hold_days = 0, 3, 34

    shop.full_clean()  # 30 + 3 + 1 = 34
    shop.invoice_hold_days = 33
    with pytest.raises(ValidationError):
        shop.full_clean()
