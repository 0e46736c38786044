"""Reservations on real PostgreSQL connections at the same moment (``workshops.inventory``): fifty
reservations of one unit hold exactly the ten on hand, opposite orders never deadlock, a
reservation sold and released at once is one or the other, a replay holds its units once, and an
expired reservation is released, sold or written off exactly once.
"""

import datetime
from functools import partial

import pytest
from django.db.models import Sum
from django.utils import timezone

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.inventory_checks import (
    Kind,
    at_once,
    everything,
    held,
    in_an_hour,
    moved,
    movements,
    stock_of,
    stocked,
)
from tests.workshops.production_builders import build_world
from workshops import inventory
from workshops.inventory import (
    BelowReserved,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
)
from workshops.models import Reservation, ReservationLine, StockMovement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


State = Reservation.State


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=3)


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


# Reservations at the same moment


@at_once
def test_fifty_reservations_of_one_unit_at_once_hold_exactly_the_ten_on_hand(world):
    """Each reservation waits for the stock row's lock and sees what the ones before it held:
    ten are made, forty are refused, and stock never goes below zero available."""
    sku = world.skus[0]
    stocked(world, sku, 10)
    keys = [f"checkout-{n}" for n in range(50)]

    outcomes = race(
        *(partial(inventory.reserve, [(sku, 1)], key=key, expires_at=in_an_hour()) for key in keys)
    )

    made = [
        key for key, outcome in zip(keys, outcomes, strict=True) if isinstance(outcome, Reservation)
    ]
    refused = [outcome for outcome in outcomes if isinstance(outcome, NotEnoughStock)]
    assert (len(made), len(refused)) == (10, 40)
    assert {tuple(error.messages) for error in refused} == {
        ("Not enough stock.", "SKU-A: 1 asked for, 0 available.")
    }
    assert sorted(Reservation.objects.values_list("key", "state")) == sorted(
        (key, State.ACTIVE) for key in made
    )
    assert list(ReservationLine.objects.values_list("sku", "quantity")) == [(sku.pk, 1)] * 10
    assert movements(kind=Kind.RESERVED) == sorted(
        ("SKU-A", Kind.RESERVED, 0, 1, f"reserve:{key}") for key in made
    )
    assert stock_of(sku) == moved(sku) == (10, 10)


@at_once
def test_reservations_naming_the_same_skus_in_opposite_orders_never_deadlock(world):
    """Every reservation locks its stock rows in primary-key order, whatever the order of its
    lines: no two wait on each other in a cycle, so PostgreSQL never has to abort one (``race``
    re-raises a DeadlockDetected), and with stock enough every one is made."""
    a, b, c = world.skus
    stocked(world, a, 20)
    stocked(world, b, 16)
    stocked(world, c, 4)
    orders = [[(a, 1), (b, 1)], [(b, 1), (a, 1)]] * 8 + [[(c, 1), (a, 1)]] * 4

    outcomes = race(
        *(
            partial(inventory.reserve, lines, key=f"checkout-{n}", expires_at=in_an_hour())
            for n, lines in enumerate(orders)
        )
    )

    assert all(isinstance(outcome, Reservation) for outcome in outcomes)
    assert Reservation.objects.filter(state=State.ACTIVE).count() == 20
    assert sorted(
        ReservationLine.objects.values("sku__code")
        .annotate(held=Sum("quantity"))
        .values_list("sku__code", "held")
    ) == [("SKU-A", 20), ("SKU-B", 16), ("SKU-C", 4)]
    assert stock_of(a) == moved(a) == (20, 20)
    assert stock_of(b) == moved(b) == (16, 16)
    assert stock_of(c) == moved(c) == (4, 4)


@at_once
def test_a_reservation_sold_and_released_at_once_is_one_or_the_other(world):
    """Both lock the reservation row first: whichever comes second finds it closed and is
    refused, so the units are sold or given back, never both. Ten rounds, so that each side
    usually wins some."""
    a, b = world.skus[:2]
    stocked(world, a, 20)
    stocked(world, b, 10)
    sold = 0

    for n in range(10):
        reservation = held([(a, 2), (b, 1)], key=f"checkout-{n}")

        selling, releasing = race(
            partial(inventory.sell, reservation), partial(inventory.release, reservation)
        )

        if isinstance(selling, Reservation):
            assert isinstance(releasing, ReservationSold)
            assert releasing.messages == ["This reservation was sold; it cannot be released."]
            closed, kind, on_hand = State.SOLD, Kind.SOLD, -1
            sold += 1
        else:
            assert isinstance(selling, ReservationReleased)
            assert selling.messages == ["This reservation was released; it cannot be sold."]
            assert isinstance(releasing, Reservation)
            closed, kind, on_hand = State.RELEASED, Kind.RELEASED, 0
        prefix = "sell" if closed == State.SOLD else "release"
        assert Reservation.objects.get(pk=reservation.pk).state == closed
        assert movements(reservation=reservation) == sorted(
            [
                ("SKU-A", Kind.RESERVED, 0, 2, f"reserve:checkout-{n}"),
                ("SKU-A", kind, 2 * on_hand, -2, f"{prefix}:checkout-{n}"),
                ("SKU-B", Kind.RESERVED, 0, 1, f"reserve:checkout-{n}"),
                ("SKU-B", kind, on_hand, -1, f"{prefix}:checkout-{n}"),
            ]
        )
        assert stock_of(a) == moved(a) == (20 - 2 * sold, 0)
        assert stock_of(b) == moved(b) == (10 - sold, 0)


# The same key from many connections at once: one effect


@at_once
def test_a_reservation_replayed_at_once_holds_its_units_once(world):
    sku = world.skus[0]
    stocked(world, sku, 10)

    outcomes = race(
        *(
            partial(inventory.reserve, [(sku, 3)], key="checkout-1", expires_at=in_an_hour())
            for _ in range(10)
        )
    )

    [reservation] = Reservation.objects.all()
    assert [outcome.pk for outcome in outcomes] == [reservation.pk] * 10
    assert list(reservation.lines.values_list("sku", "quantity")) == [(sku.pk, 3)]
    assert movements(kind=Kind.RESERVED) == [("SKU-A", Kind.RESERVED, 0, 3, "reserve:checkout-1")]
    assert stock_of(sku) == moved(sku) == (10, 3)


# Expired reservations: released by the command while a checkout sells them


@at_once
def test_an_expired_reservation_released_and_sold_at_once_is_sold(world):
    """With stock to spare the sale always goes through: either it sold the reservation before
    the command reached it (the command skips the locked row), or the command released it and
    the sale then sold the units from available stock."""
    sku = world.skus[0]
    stocked(world, sku, 20)

    for n in range(5):
        reservation = held([(sku, 2)], key=f"checkout-{n}", expires_at=an_hour_ago())

        released, selling = race(
            inventory.release_expired_reservations, partial(inventory.sell, reservation)
        )

        assert isinstance(selling, Reservation)
        assert Reservation.objects.get(pk=reservation.pk).state == State.SOLD
        if released:
            assert released == 1
            sold = [
                ("SKU-A", Kind.RELEASED, 0, -2, f"release:checkout-{n}"),
                ("SKU-A", Kind.RESERVED, 0, 2, f"reserve:checkout-{n}"),
                ("SKU-A", Kind.SOLD, -2, 0, f"sell:checkout-{n}"),
            ]
        else:
            sold = [
                ("SKU-A", Kind.RESERVED, 0, 2, f"reserve:checkout-{n}"),
                ("SKU-A", Kind.SOLD, -2, -2, f"sell:checkout-{n}"),
            ]
        assert movements(reservation=reservation) == sold
        assert stock_of(sku) == moved(sku) == (20 - 2 * (n + 1), 0)


@at_once
def test_an_expired_reservation_released_sold_and_written_off_at_once_leaves_once(world):
    """No units to spare: the two units leave once, sold or written off. The write-off goes
    through only after the command released the reservation, and then the sale is refused."""
    sku = world.skus[0]

    for n in range(6):
        inventory.return_to_stock(sku, 2, key=f"restock-{n}", source="Returned order")
        reservation = held([(sku, 2)], key=f"checkout-{n}", expires_at=an_hour_ago())

        released, selling, writing_off = race(
            inventory.release_expired_reservations,
            partial(inventory.sell, reservation),
            partial(inventory.write_off, sku, 2, key=f"damaged-{n}", reason="Water damage"),
        )

        state = Reservation.objects.get(pk=reservation.pk).state
        if isinstance(selling, Reservation):
            assert state == State.SOLD
            assert isinstance(writing_off, BelowReserved | NotEnoughStock)
            assert writing_off.messages[0] in {  # before the sale, or after it
                "SKU-A: writing off 2 would leave 0 on hand, less than the 2 reserved.",
                "SKU-A: 2 cannot be written off, only 0 are on hand.",
            }
            assert not StockMovement.objects.filter(key=f"write-off:damaged-{n}").exists()
        else:
            assert isinstance(selling, ReservationExpired)
            assert selling.messages == [
                "This reservation expired and its units are no longer available.",
                "SKU-A: 2 asked for, 0 available.",
            ]
            assert (released, state) == (1, State.EXPIRED)
            assert movements(key=f"write-off:damaged-{n}") == [
                ("SKU-A", Kind.WRITTEN_OFF, -2, 0, f"write-off:damaged-{n}")
            ]
            assert not StockMovement.objects.filter(key=f"sell:checkout-{n}").exists()
        assert stock_of(sku) == moved(sku) == (0, 0)


def test_an_expired_reservation_whose_units_are_gone_cannot_be_sold(world):
    sku = world.skus[0]
    stocked(world, sku, 2)
    reservation = held([(sku, 2)], key="checkout-1", expires_at=an_hour_ago())
    assert inventory.release_expired_reservations() == 1
    inventory.write_off(sku, 2, key="damaged-1", reason="Water damage")
    before = everything()

    with pytest.raises(ReservationExpired) as refused:
        inventory.sell(reservation)

    assert refused.value.messages == [
        "This reservation expired and its units are no longer available.",
        "SKU-A: 2 asked for, 0 available.",
    ]
    assert everything() == before
    assert stock_of(sku) == moved(sku) == (0, 0)


def test_stock_levels_release_an_expired_reservation_on_read(world):
    sku = world.skus[0]
    stocked(world, sku, 5)
    reservation = held([(sku, 2)], key="checkout-1", expires_at=an_hour_ago())

    [stock] = inventory.stock_levels([sku])

    assert (stock.on_hand, stock.reserved) == (5, 0)
    assert Reservation.objects.get(pk=reservation.pk).state == State.EXPIRED
