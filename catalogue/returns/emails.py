"""The buyer's e-mails about a return, in the order's language, queued through a task
(``core.mail``): accepted (what is taken back, where to send it, that the refund follows) or
refused (why). Nothing in them names a maker."""

from catalogue.models import ReturnRequest, ShopSettings
from catalogue.orders.emails import order_url
from core.mail import send_templated_email

KINDS = ("accepted", "refused")


def send_return_email(return_request: ReturnRequest, *, kind: str):
    if kind not in KINDS:
        raise ValueError(f"Unknown return e-mail: {kind}")
    order = return_request.order
    lines = list(return_request.lines.select_related("order_line"))
    return send_templated_email(
        template=f"catalogue/email/return_{kind}",
        context={
            "order": order,
            "return": return_request,
            "lines": lines,
            "accepted": [line for line in lines if line.quantity_accepted],
            "shop": ShopSettings.load(),
            "order_url": order_url(order),
        },
        to=[order.email],
        language=order.language,
    )
