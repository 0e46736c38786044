"""The buyer's confirmation e-mail, in the order's language, queued through a task
(``core.mail``): called by the payment method once the order is committed."""

from django.urls import reverse

from catalogue.checkout import payments
from catalogue.models import Order, ShopSettings
from core.i18n import in_language
from core.mail import send_templated_email


def order_url(order: Order) -> str:
    from django.conf import settings

    with in_language(order.language):
        path = reverse("catalogue_orders:status", args=[order.access_token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_order_confirmation(order: Order):
    method = payments.of_order(order)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "order_url": order_url(order),
        "shop": ShopSettings.load(),
        "instructions": method.instructions,
        **method.instructions_context(order),
    }
    return send_templated_email(
        template="catalogue/email/order_placed",
        context=context,
        to=[order.email],
        language=order.language,
    )
