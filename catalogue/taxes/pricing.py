"""The tax of a line (an order line, or the shipping), under the one rounding rule.

Prices include tax by default (``ShopSettings.prices_include_tax``): the price entered is what the
buyer pays, and the tax is the part of it that the rate makes up:

    gross = unit price × quantity;  tax = round(gross × rate / (100 + rate));  net = gross − tax

A deployment whose prices are entered without tax adds it instead:

    net = unit price × quantity;    tax = round(net × rate / 100);            gross = net + tax

``round`` is ``core.money.round_money`` (half up to the currency's minor unit), once per line; an
order's totals are the sums of its lines' rounded amounts, so they always add up.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.models import TaxClass
from core.money import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Amounts:
    net: Money
    tax: Money
    gross: Money


def rate_in_force(tax_class: TaxClass, on: datetime.date) -> Decimal:
    """The rate (a percentage) of ``tax_class`` in force on ``on``; refused in words when the
    class has no rate yet on that day, since nothing can be sold without knowing its tax."""
    rate = tax_class.rate_on(on)
    if rate is None:
        raise ValidationError(
            _(
                "The tax class %(name)s has no rate in force on %(day)s: add one (Shop → Tax "
                "classes) before selling under it."
            )
            % {"name": tax_class.name, "day": on.isoformat()}
        )
    return rate.rate


def line_amounts(
    unit_price: Money, quantity: int, rate: Decimal, *, prices_include_tax: bool
) -> Amounts:
    """Net, tax and gross of ``quantity`` × ``unit_price`` taxed at ``rate`` percent."""
    if prices_include_tax:
        gross = round_money(unit_price * quantity)
        tax = round_money(gross * rate / (HUNDRED + rate))
        return Amounts(net=gross - tax, tax=tax, gross=gross)
    net = round_money(unit_price * quantity)
    tax = round_money(net * rate / HUNDRED)
    return Amounts(net=net, tax=tax, gross=net + tax)
