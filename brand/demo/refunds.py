"""The demo's refund: a delivered order on invoice partly refunded (one unit of its first line,
damaged, so not put back in stock), with its credit note, so the order's page, the credit notes
listing and the buyer's page show one. Idempotent: the refund's key finds the one made before."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from catalogue.models import Order, Refund
from catalogue.refunds.operations import refund_order

KEY = "demo-refund-1"


def seed_refunds() -> Refund | None:
    """Refund one unit of the first delivered demo order on invoice; None when there is none."""
    if (earlier := Refund.objects.filter(key=KEY).first()) is not None:
        return earlier
    order = (
        Order.objects.filter(
            key__startswith="demo-order-",
            payment_method="invoice",
            status=Order.Status.DELIVERED,
        )
        .order_by("pk")
        .first()
    )
    if order is None:
        return None
    line = order.lines.order_by("pk").first()
    user = get_user_model().objects.get(username="fulfilment")
    return refund_order(
        order,
        user=user,
        key=KEY,
        reason=_("One arrived damaged; the buyer sent it back."),
        lines=[(line.pk, 1, False)],
    )
