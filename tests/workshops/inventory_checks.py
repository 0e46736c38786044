"""How the inventory tests receive stock and read it back: a batch received, a SKU's stock level
and movements, and a refusal checked to leave batches, stock, movements and reservations as they
were.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import day
from workshops.inventory import receive_batch
from workshops.models import Batch, Reservation, ReservationLine, Stock, StockMovement

Kind = StockMovement.Kind
ONE_DAY = datetime.timedelta(days=1)


def later() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=1)


def receive(world, *, sku=None, quantity=10, made_from=None, made_to=None, key="b-1", **options):
    return receive_batch(
        sku=sku or world.skus[0],
        quantity=quantity,
        made_from=made_from or day(0),
        made_to=made_to or day(4),
        user=options.pop("user", world.supervisor),
        key=key,
        **options,
    )


def level(sku) -> tuple[int, int] | None:
    """(on hand, reserved) of ``sku``, None without a stock row."""
    row = Stock.objects.filter(sku=sku).values_list("on_hand", "reserved").first()
    return tuple(row) if row else None


def movements(sku) -> list[tuple]:
    return list(
        StockMovement.objects.filter(stock__sku=sku)
        .order_by("pk")
        .values_list("kind", "on_hand_change", "reserved_change", "key")
    )


def snapshot() -> dict:
    return {
        "batches": list(
            Batch.objects.order_by("pk").values_list("key", "sku__code", "quantity", "made_from")
        ),
        "stock": list(
            Stock.objects.order_by("sku__code").values_list("sku__code", "on_hand", "reserved")
        ),
        "movements": list(StockMovement.objects.order_by("pk").values_list("pk", flat=True)),
        "reservations": list(Reservation.objects.order_by("pk").values_list("key", "state")),
        "lines": list(ReservationLine.objects.order_by("pk").values_list("sku", "quantity")),
        "log": ModelLogEntry.objects.count(),
    }


def refused(error, call) -> list[str]:
    """The messages of ``call``'s refusal, exactly of type ``error``, with nothing changed."""
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert type(raised.value) is error
    assert snapshot() == before
    return raised.value.messages


def expire(reservation) -> None:
    """Time passes: the reservation's hold runs out (nothing has released it yet)."""
    Reservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def state(reservation) -> str:
    return Reservation.objects.get(pk=reservation.pk).state
