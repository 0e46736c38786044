"""The buyer's e-mail when a refund is made, in the order's language (like
``catalogue.orders.emails``): the amount, what was refunded, how the money comes back (to the card,
or by transfer), and the link to the order's page, where the credit note is."""

from catalogue.models import Refund, ShopSettings
from catalogue.orders.emails import order_url
from core.mail import send_templated_email


def send_refund_email(refund: Refund):
    order = refund.order
    context = {
        "order": order,
        "refund": refund,
        "parts": list(refund.parts.all()),
        "credit_note": getattr(refund, "credit_note", None),
        "card": order.payment_method == "card",
        "shop": ShopSettings.load(),
        "order_url": order_url(order),
    }
    return send_templated_email(
        template="catalogue/email/order_refunded",
        context=context,
        to=[order.email],
        language=order.language,
    )
