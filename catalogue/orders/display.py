"""How the back office writes an order: its payment method in words, where it goes (an address or
a shop to collect from), and its timeline, the moments of its lifecycle in order."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from catalogue.models import Order, ShippingRate

# The payment methods' names on staff screens (``catalogue.checkout.payments`` registers the
# methods themselves; an unknown code is shown as it is stored).
PAYMENT_METHODS = {
    "invoice": _("On invoice (bank transfer)"),
    "card": _("By card"),
}


def payment_method_label(order: Order) -> str:
    return str(PAYMENT_METHODS.get(order.payment_method, order.payment_method))


def is_collected(order: Order) -> bool:
    return order.shipping_rate.kind == ShippingRate.Kind.COLLECTION


def delivery_lines(order: Order) -> list[str]:
    """Where the parcel goes, a line each: the buyer's address, or the shop they collect from."""
    if is_collected(order):
        return [line for line in order.shipping_rate.collection_address.splitlines() if line]
    place = " ".join(part for part in (order.postcode, order.city) if part)
    lines = [order.organisation, order.name, order.address, order.address_more, place]
    return [line for line in lines if line] + [str(order.country.name)]


@dataclass(frozen=True)
class Moment:
    label: str
    at: datetime
    detail: str = ""


def timeline(order: Order) -> list[Moment]:
    """What happened to ``order``, oldest first: placed, paid, packed, shipped (by whom, with its
    tracking number), delivered or cancelled (and why)."""
    shipped = ", ".join(part for part in (order.carrier, order.tracking_number) if part)
    moments = [
        Moment(_("Placed"), order.placed_at),
        Moment(_("Paid"), order.paid_at),
        Moment(_("Packed"), order.packed_at),
        Moment(_("Shipped"), order.shipped_at, shipped),
        Moment(_("Delivered"), order.delivered_at),
        Moment(_("Cancelled"), order.cancelled_at, order.cancel_reason),
    ]
    return [moment for moment in moments if moment.at is not None]
