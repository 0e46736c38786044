"""An order's packing slip: what goes in the parcel and where it goes, with no prices (the buyer
may be sent a gift). It prints in the active language, the one of the member of staff who packs
(the lines' descriptions stay as the buyer read them; the SKU codes are what the shelves carry)."""

from catalogue.models import Order, ShopSettings
from catalogue.orders.display import delivery_lines, is_collected
from core.pdf import render_pdf


def packing_slip_context(order: Order) -> dict:
    lines = list(order.lines.select_related("sku").order_by("sku__code"))
    return {
        "order": order,
        "lines": lines,
        "pieces": sum(line.quantity for line in lines),
        "collected": is_collected(order),
        "delivery": delivery_lines(order),
        "shipping_name": order.shipping_rate.name_in(),
        "shop": ShopSettings.load(),
    }


def packing_slip_pdf(order: Order) -> bytes:
    return render_pdf("catalogue/pdf/packing_slip.html", packing_slip_context(order))
