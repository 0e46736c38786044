"""The demo's overdue invoice and returns (``catalogue.reminders``, ``catalogue.returns``): a town
hall's order on invoice that fell due ten days ago unpaid and has had its first reminder, and two
of the delivered orders of ``brand.demo.orders`` with a return asked by their buyer, one of them
accepted by the order fulfilment user (its units going back in stock once refunded).

Everything is keyed (the order's checkout key, the returns' form keys, the reminder's unique
stage), so a second run finds what the first made and changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from brand.demo.catalogue import variant_skus
from brand.demo.orders import _shipping
from catalogue.checkout.placing import place_order
from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Invoice, Order, ProductVariant, ReturnRequest
from catalogue.reminders.sending import send_payment_reminders
from catalogue.returns.operations import accept_return, request_return

OVERDUE_KEY = "demo-aftersales-overdue"
DAYS_LATE = 10
BASKET = [("exercise-book", "Pack of 5", 4), ("sketchbook", "Indigo", 2)]
BUYER = {
    "email": "achats@mairie-sainte-claire.example.fr",
    "name": "Mairie de Sainte-Claire",
    "organisation": "Mairie de Sainte-Claire",
    "purchase_order": "BC-2026-311",
    "address": "1 place de la Mairie",
    "postcode": "84000",
    "city": "Avignon",
    "country": "FR",
}


def _variants() -> dict[tuple[str, str], ProductVariant]:
    by_code = {row.code: row for row in variant_skus()}
    return {
        (by_code[variant.sku.code].product, by_code[variant.sku.code].options): variant
        for variant in ProductVariant.objects.select_related("sku").filter(
            sku__code__in=list(by_code)
        )
    }


def seed_overdue_invoice() -> Order:
    """Placed and invoiced 30 + 10 days ago (the shop's 30 days to pay), still unpaid: the
    reminder run of the day sends it its first reminder."""
    variants = _variants()
    lines = [(variants[(product, options)], quantity) for product, options, quantity in BASKET]
    order = place_order(
        key=OVERDUE_KEY,
        lines=lines,
        contact=BUYER,
        shipping_rate=_shipping(lines, "FR", False),
        payment_method="invoice",
        language="fr",
    )
    if not Invoice.objects.filter(order=order).exists():  # placed() invoices after the commit
        issued = timezone.localdate() - datetime.timedelta(days=30 + DAYS_LATE)
        Order.objects.filter(pk=order.pk).update(
            placed_at=timezone.now() - datetime.timedelta(days=30 + DAYS_LATE)
        )
        issue_invoice(order, on=issued)
    send_payment_reminders(report=lambda line: None)
    return order


def seed_returns() -> list[ReturnRequest]:
    """A return asked on the English delivered order; one asked and accepted on the French."""
    fulfilment = get_user_model().objects.get(username="fulfilment")
    made = []
    for language, accept in (("en", False), ("fr", True)):
        order = Order.objects.get(
            key__startswith="demo-order-", language=language, status=Order.Status.DELIVERED
        )
        first = order.lines.order_by("pk").first()
        asked = request_return(
            order,
            key=f"demo-return-{language}",
            lines=[(first.pk, 1)],
            reason=ReturnRequest.Reason.DAMAGED if accept else ReturnRequest.Reason.NOT_NEEDED,
            details="Le paquet est arrivé écrasé." if accept else "",
        )
        if accept:
            asked = accept_return(asked, user=fulfilment, lines=[(first.pk, 1, False)])
        made.append(asked)
    return made


def seed_aftersales() -> None:
    seed_overdue_invoice()
    seed_returns()
