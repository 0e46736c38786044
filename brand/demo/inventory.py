"""Batches and stock for the demo: every product's accepted pieces received in monthly batches
by the workshop's supervisor, a reservation waiting for payment, a few returns, write-offs and a
stocktake, and sales to public buyers (schools, ministries, town halls) outside the web shop that
leave a few of its variants with only a handful left and one sold out. Everything goes through ``workshops.inventory``; the keys make a second run change
nothing."""

import datetime

from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from brand.demo.catalogue import variant_skus
from workshops.inventory import (
    count,
    receive_batch,
    reserve,
    return_to_stock,
    sell,
    write_off,
)
from workshops.models import (
    SKU,
    ProductionRecord,
    Reservation,
    Stock,
    StockChange,
    WorkshopSupervisor,
)

RETURNS = [
    ("TAI-001", 1, "Shop return R-1001: wrong size"),
    ("JOI-002", 1, "Shop return R-1002: arrived scratched, repaired"),
]
WRITE_OFFS = [("BRD-001", 12, "Past its best-before date"), ("UPH-001", 2, "Damaged in storage")]
COUNTS = [("SOP-001", "Monthly stocktake: 4 bars crumbled in the drying room")]
RESERVED = ("JOI-001", 2)  # a shop order waiting for payment
# (product slug, variant's options, units left after the sales to public buyers)
PUBLIC_SALES = [
    ("honey-cake", "", 0),
    ("oak-dining-table", "200 × 90 cm", 2),
    ("lavender-soap", "Pack of 3", 3),
    ("candle-lantern", "Large", 4),
]


def seed_inventory() -> dict:
    supervisors = {
        supervision.workshop_id: supervision.user
        for supervision in WorkshopSupervisor.objects.filter(end__isnull=True).select_related(
            "user"
        )
    }
    months = (
        ProductionRecord.objects.filter(sku__isnull=False, pieces__gt=0)
        .annotate(month=TruncMonth("day"))
        .values("sku", "month")
        .annotate(first=Min("day"), last=Max("day"), pieces=Sum("pieces"))
        .order_by("sku", "month")
    )
    skus = SKU.objects.in_bulk()
    for month in months:
        sku = skus[month["sku"]]
        receive_batch(
            sku=sku,
            quantity=month["pieces"],
            made_from=month["first"],
            made_to=month["last"],
            received_on=month["last"] + datetime.timedelta(days=1),
            user=supervisors[sku.workshop_id],
            key=f"demo-batch-{sku.code}-{month['first']}",
        )
    codes = {sku.code: sku for sku in skus.values()}
    for code, quantity, source in RETURNS:
        if code in codes:
            return_to_stock(codes[code], quantity, key=f"demo-return-{code}", source=source)
    for code, quantity, reason in WRITE_OFFS:
        if code in codes:
            write_off(codes[code], quantity, key=f"demo-write-off-{code}", reason=reason)
    for code, reason in COUNTS:
        key = f"demo-count-{code}"
        if code in codes and not StockChange.objects.filter(key=key).exists():
            stock = Stock.objects.get(sku=codes[code])
            count(codes[code], stock.on_hand - 4, key=key, reason=reason)
    if not Reservation.objects.filter(key="demo-checkout-1").exists() and RESERVED[0] in codes:
        reserve(
            [(codes[RESERVED[0]], RESERVED[1])],
            key="demo-checkout-1",
            expires_at=timezone.now() + datetime.timedelta(days=365),
        )
    seed_public_sales()
    return {"stock": Stock.objects.count()}


def seed_public_sales() -> None:
    """Units sold to public buyers outside the web shop, reserved and sold through
    ``workshops.inventory`` like any order, so a few variants have only a handful left."""
    codes = {(row.product, row.options): row.code for row in variant_skus()}
    for product, options, left in PUBLIC_SALES:
        key = f"demo-public-sale-{codes[(product, options)]}"
        if Reservation.objects.filter(key=key).exists():
            continue
        stock = Stock.objects.select_related("sku").get(sku__code=codes[(product, options)])
        sold = stock.on_hand - stock.reserved - left
        reservation = reserve(
            [(stock.sku, sold)], key=key, expires_at=timezone.now() + datetime.timedelta(hours=1)
        )
        sell(reservation)
