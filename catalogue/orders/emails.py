"""The buyer's e-mails, in the order's language, sent through a task (``core.mail``): the
confirmation when the order is placed, payment received, and shipped.

They carry the order's number, lines and totals, and the link to the order's own page (its access
token is the buyer's key to it); an order on invoice's confirmation carries the bank details and
the payment reference. Nothing in them names a maker.
"""

from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from catalogue.models import Order, ShopSettings
from core.mail import send_templated_email

KINDS = ("confirmation", "paid", "shipped")


def order_url(order: Order) -> str:
    """The absolute address of ``order``'s page for its buyer, in the order's language."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    with translation.override(order.language):
        return root + reverse("catalogue_orders:status", args=[order.access_token])


def send_order_email(order: Order, *, kind: str):
    """Queue ``order``'s e-mail of ``kind`` (one of ``KINDS``) to its buyer."""
    if kind not in KINDS:
        raise ValueError(f"Unknown order e-mail: {kind}")
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "shop": ShopSettings.load(),
        "order_url": order_url(order),
    }
    return send_templated_email(
        template=f"catalogue/email/order_{kind}",
        context=context,
        to=[order.email],
        language=order.language,
    )
