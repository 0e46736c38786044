"""How the PostgreSQL inventory tests stock SKUs and read them back: stock levels, movements,
reservations held, and every inventory row, to show that a refused statement left all of it as it
was.
"""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tests.workshops.production_builders import day
from workshops import inventory
from workshops.models import Batch, Reservation, ReservationLine, Stock, StockMovement

at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits
Kind = StockMovement.Kind


def stocked(world, sku, quantity, *, made_on=0):
    """``quantity`` units of ``sku`` on hand, received as a batch made on ``day(made_on)``."""
    return inventory.receive_batch(
        sku=sku,
        quantity=quantity,
        made_from=day(made_on),
        made_to=day(made_on),
        user=world.supervisor,
        key=f"batch-{sku.code}-{made_on}",
    )


def in_an_hour():
    return timezone.now() + datetime.timedelta(hours=1)


def held(lines, *, key, expires_at=None) -> Reservation:
    """A reservation as ``reserve`` leaves it (its lines, the units held, one movement per line),
    written directly: ``reserve`` refuses an expiry in the past, which the tests of expired
    reservations need (``reserve`` itself works on PostgreSQL: the races below call it)."""
    with transaction.atomic():
        reservation = Reservation.objects.create(key=key, expires_at=expires_at or in_an_hour())
        for sku, quantity in lines:
            ReservationLine.objects.create(reservation=reservation, sku=sku, quantity=quantity)
            stock = Stock.objects.select_for_update().get(sku=sku)
            stock.reserved += quantity
            stock.save(update_fields=["reserved"])
            StockMovement.objects.create(
                stock=stock,
                kind=Kind.RESERVED,
                reserved_change=quantity,
                key=f"reserve:{key}",
                reservation=reservation,
            )
    return reservation


def stock_of(sku) -> tuple[int, int]:
    """``(on_hand, reserved)`` of the SKU's stock row."""
    return Stock.objects.values_list("on_hand", "reserved").get(sku=sku)


def moved(sku) -> tuple[int, int]:
    """What the SKU's movements add up to, as ``(on_hand, reserved)``."""
    sums = StockMovement.objects.filter(stock__sku=sku).aggregate(
        on_hand=Sum("on_hand_change", default=0), reserved=Sum("reserved_change", default=0)
    )
    return sums["on_hand"], sums["reserved"]


def movements(**filters) -> list[tuple]:
    return sorted(
        StockMovement.objects.filter(**filters).values_list(
            "stock__sku__code", "kind", "on_hand_change", "reserved_change", "key"
        )
    )


def everything() -> dict[str, list[tuple]]:
    """Every inventory row, to show that a refused change left all of it as it was."""
    return {
        "batches": sorted(
            Batch.objects.values_list("pk", "sku", "quantity", "made_from", "made_to")
        ),
        "stock": sorted(Stock.objects.values_list("pk", "sku", "on_hand", "reserved")),
        "reservations": sorted(Reservation.objects.values_list("pk", "key", "state", "closed_at")),
        "lines": sorted(ReservationLine.objects.values_list("reservation", "sku", "quantity")),
        "movements": sorted(
            StockMovement.objects.values_list(
                "pk", "stock", "kind", "on_hand_change", "reserved_change", "key", "reason"
            )
        ),
    }
