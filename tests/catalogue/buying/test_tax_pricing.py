"""Tax per line under the one rounding rule (catalogue.taxes.pricing), with worked examples."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import TaxRate
from catalogue.taxes.pricing import Amounts, line_amounts, rate_in_force
from tests.catalogue.checkout_fixtures import eur, tax_class


def test_prices_with_tax_hold_the_tax_as_their_part_at_the_rate():
    # 3 × 12.00 = 36.00 gross; 36.00 × 20 / 120 = 6.00 tax; 30.00 net.
    assert line_amounts(eur("12.00"), 3, Decimal(20), prices_include_tax=True) == Amounts(
        net=eur("30.00"), tax=eur("6.00"), gross=eur("36.00")
    )
    # 8.50 × 5.5 / 105.5 = 0.44312… → 0.44; net 8.06.
    assert line_amounts(eur("8.50"), 1, Decimal("5.5"), prices_include_tax=True) == Amounts(
        net=eur("8.06"), tax=eur("0.44"), gross=eur("8.50")
    )


def test_prices_without_tax_have_the_tax_added():
    # 36.00 × 20 % = 7.20; 8.50 × 5.5 % = 0.4675 → 0.47.
    assert line_amounts(eur("12.00"), 3, Decimal(20), prices_include_tax=False) == Amounts(
        net=eur("36.00"), tax=eur("7.20"), gross=eur("43.20")
    )
    assert line_amounts(eur("8.50"), 1, Decimal("5.5"), prices_include_tax=False) == Amounts(
        net=eur("8.50"), tax=eur("0.47"), gross=eur("8.97")
    )


def test_a_half_cent_of_tax_rounds_up_once_per_line():
    # 0.25 × 10 % = 0.025 → 0.03 (half up); 3 × 0.25 = 0.75 × 10 % = 0.075 → 0.08, not 3 × 0.03.
    assert line_amounts(eur("0.25"), 1, Decimal(10), prices_include_tax=False).tax == eur("0.03")
    assert line_amounts(eur("0.25"), 3, Decimal(10), prices_include_tax=False).tax == eur("0.08")


def test_zero_rate_has_no_tax():
    assert line_amounts(eur("9.99"), 2, Decimal(0), prices_include_tax=True) == Amounts(
        net=eur("19.98"), tax=eur("0.00"), gross=eur("19.98")
    )


@pytest.mark.django_db
def test_the_rate_in_force_is_the_latest_from_on_or_before_the_day():
    standard = tax_class("standard", "Standard", "20")
    TaxRate.objects.create(
        tax_class=standard, effective_from=datetime.date(2027, 1, 1), rate=Decimal(21)
    )
    assert rate_in_force(standard, datetime.date(2026, 12, 31)) == Decimal(20)
    assert rate_in_force(standard, datetime.date(2027, 1, 1)) == Decimal(21)
    with pytest.raises(ValidationError) as refused:
        rate_in_force(standard, datetime.date(2019, 12, 31))
    assert refused.value.messages == [
        "The tax class Standard has no rate in force on 2019-12-31: add one (Shop → Tax "
        "classes) before selling under it."
    ]
