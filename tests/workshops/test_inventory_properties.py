"""The inventory against any sequence of operations (Hypothesis): movements always add up to the
stock rows.
"""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.workshops.inventory_checks import expire, later, receive
from tests.workshops.production_builders import day
from workshops.inventory import (
    count,
    release,
    release_expired_reservations,
    reserve,
    return_to_stock,
    sell,
    stock_levels,
    write_off,
)
from workshops.models import Reservation, ReservationLine, Stock

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# The invariant: the movements of a SKU always add up to its stock row.

operations = st.lists(
    st.tuples(
        st.sampled_from(
            ["receive", "reserve", "release", "sell", "expire", "return", "write_off", "count"]
        ),
        st.integers(0, 1),  # which SKU
        st.integers(-1, 12),  # quantity
        st.integers(0, 5),  # key: a few, so that some are replayed or reused
    ),
    max_size=14,
)


def apply(world, operation, which, quantity, key, next_day) -> None:
    """One step of a sequence; ``next_day`` gives each SKU's batches days that never overlap."""
    a, b = world.skus
    sku = world.skus[which]
    reservations = list(Reservation.objects.order_by("pk"))
    picked = reservations[key % len(reservations)] if reservations else None
    match operation:
        case "receive":
            on = day(next_day[sku.pk])
            next_day[sku.pk] += 1
            receive(world, sku=sku, quantity=quantity, made_from=on, made_to=on, key=f"b{key}")
        case "reserve":
            reserve([(sku, quantity)], key=f"r{key}", expires_at=later())
        case "release" if picked:
            release(picked)
        case "sell" if picked:
            sell(picked)
        case "expire" if picked:
            expire(picked)
            if quantity % 2:
                stock_levels([a, b])
            else:
                release_expired_reservations()
        case "return":
            return_to_stock(sku, quantity, key=f"k{key}", source="Order")
        case "write_off":
            write_off(sku, quantity, key=f"k{key}", reason="Damp")
        case "count":
            count(sku, quantity, key=f"k{key}", reason="Monthly")


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations)
def test_movements_always_add_up_to_the_stock_rows(world, steps):
    with transaction.atomic():
        next_day = {sku.pk: 0 for sku in world.skus}
        for sku in world.skus:
            receive(world, sku=sku, quantity=20, made_from=day(20), made_to=day(20), key=sku.code)
        for operation, which, quantity, key in steps:
            with contextlib.suppress(ValidationError):  # refusals are part of the sequence
                apply(world, operation, which, quantity, key, next_day)
        for stock in Stock.objects.all():
            totals = stock.movements.aggregate(
                on_hand=Sum("on_hand_change"), reserved=Sum("reserved_change")
            )
            held = ReservationLine.objects.filter(
                sku=stock.sku, reservation__state="active"
            ).aggregate(held=Sum("quantity"))
            assert (totals["on_hand"] or 0, totals["reserved"] or 0) == (
                stock.on_hand,
                stock.reserved,
            )
            assert 0 <= stock.reserved <= stock.on_hand
            assert (held["held"] or 0) == stock.reserved
        transaction.set_rollback(True)
