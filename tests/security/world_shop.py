"""The shop's records the permission matrix is walked over, kept by ``tests.security.world``'s
``build_world``: an order in each status a step starts from (awaiting payment, paid, packed,
shipped), the first with its invoice, and the shop's settings. Their buyer's name is secret text: no refused answer may
carry it."""

import datetime

from django.utils import timezone

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Order, ShopSettings
from tests.catalogue.order_builders import build_order, build_shop
from tests.catalogue.refund_builders import build_refund_records

BUYER = "Secret Buyer 8812"


def build_shop_records() -> dict:
    shop = build_shop()
    orders = {
        name: build_order(shop, f"BW-2026-{n:04d}", name=BUYER)
        for n, name in enumerate(("order", "paidorder", "packedorder", "shippedorder"), start=1)
    }
    placed = timezone.make_aware(datetime.datetime(2026, 1, 2, 12))  # payments after it are valid
    Order.objects.filter(pk__in=[order.pk for order in orders.values()]).update(placed_at=placed)
    now = timezone.now()
    for name, status in (
        ("paidorder", "paid"),
        ("packedorder", "packed"),
        ("shippedorder", "shipped"),
    ):
        Order.objects.filter(pk=orders[name].pk).update(
            status=status, paid_at=now, shipped_at=now if status == "shipped" else None
        )
    invoice = issue_invoice(orders["order"])
    refunds = build_refund_records(shop, name=BUYER)
    return {name: order.pk for name, order in orders.items()} | {
        "invoice": invoice.pk,
        "shopsettings": ShopSettings.load().pk,
        "ordertoken": orders["order"].access_token,
        "taxclass": shop.rate.tax_class_id,
        "shippingzone": shop.rate.zone_id,
        "shippingrate": shop.rate.pk,
        **refunds,
    }
