"""What the buyer pays on Stripe's page, in the currency's **minor units** (cents for EUR, yen for
JPY, thousandths for TND: the decimals of ISO 4217, ``core.money.decimal_places``).

The rule that keeps Stripe's total **exactly** the order's: each order line is one Stripe line
item carrying the line's stored gross (what the buyer pays for it, tax included), plus one for
shipping when it costs something. The order's total is, by construction in ``place_order``, the
sum of its lines' gross and its shipping's gross, so the items sum to it with no rounding at all.
A line is sent as ``quantity × unit`` only when its gross divides exactly by its quantity (prices
including tax always do); otherwise (prices excluding tax, where tax is rounded on the line, not
the unit: 3 × 9.99 net at 20 % is 35.96, not 3 × 11.99 = 35.97) it is sent as one item named
"3 × …" for its gross, never as a rounded unit price that would change the total. The sum is
checked against the order's total before anything is sent.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.models import Order
from core.money import decimal_places


def minor_units(amount: Money) -> int:
    """``amount`` in its currency's minor units; refused when it is not a whole number of them."""
    places = decimal_places(amount.currency.code)
    scaled = amount.amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            _("%(amount)s is not a whole number of the currency's smallest unit.")
            % {"amount": amount}
        )
    return int(scaled)


@dataclass(frozen=True)
class Item:
    name: str
    unit_amount: int  # minor units
    quantity: int

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


def line_items(order: Order, lines=None) -> list[Item]:
    """The order's Stripe line items, summing exactly to its total (refused otherwise)."""
    lines = list(order.lines.all()) if lines is None else lines
    items = []
    for line in lines:
        gross = minor_units(line.gross)
        if gross % line.quantity == 0:
            items.append(Item(line.description, gross // line.quantity, line.quantity))
        else:
            items.append(Item(f"{line.quantity} × {line.description}"[:250], gross, 1))
    shipping = minor_units(order.shipping_price)
    if shipping:
        items.append(Item(order.shipping_name or _("Shipping"), shipping, 1))
    if sum(item.amount for item in items) != minor_units(order.total):
        raise ValidationError(
            _("Order %(number)s's lines do not add up to its total: it cannot be paid by card.")
            % {"number": order.number}
        )
    return items


def order_amount(order: Order) -> tuple[int, str]:
    """``(amount in minor units, lowercase currency)``: what a Checkout Session of the order
    must say it took."""
    return minor_units(order.total), order.currency.lower()


def from_minor_units(amount: int, currency: str) -> Money:
    return Money(Decimal(amount).scaleb(-decimal_places(currency.upper())), currency.upper())
