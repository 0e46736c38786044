"""Reservations of finished goods (``workshops.inventory.reservations``), as the shop will hold
them: every line held or none, released or sold once, expired reservations released when stock is
read or reserved (or by the command) and still sold while their units are there.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.workshops.inventory_checks import (
    ONE_DAY,
    Kind,
    expire,
    later,
    level,
    movements,
    receive,
    refused,
    state,
)
from workshops.inventory import (
    KeyReused,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
    release,
    release_expired_reservations,
    reserve,
    sell,
    stock_levels,
)
from workshops.models import Reservation

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# Reservations


def test_a_reservation_holds_every_line(stocked):
    a, b = stocked

    reservation = reserve([(a, 3), (b, 4)], key="r-1", expires_at=later())

    assert reservation.state == "active"
    assert (level(a), level(b)) == ((10, 3), (4, 4))
    assert list(reservation.lines.values_list("sku__code", "quantity")) == [
        ("SKU-A", 3),
        ("SKU-B", 4),
    ]
    assert movements(a)[1:] == [(Kind.RESERVED, 0, 3, "reserve:r-1")]
    assert movements(b)[1:] == [(Kind.RESERVED, 0, 4, "reserve:r-1")]


def test_a_reservation_with_one_short_line_reserves_nothing(stocked):
    a, b = stocked

    assert refused(
        NotEnoughStock, lambda: reserve([(a, 3), (b, 5)], key="r-1", expires_at=later())
    ) == ["Not enough stock.", "SKU-B: 5 asked for, 4 available."]
    assert refused(
        NotEnoughStock, lambda: reserve([(a, 11), (b, 5)], key="r-1", expires_at=later())
    ) == [
        "Not enough stock.",
        "SKU-A: 11 asked for, 10 available.",
        "SKU-B: 5 asked for, 4 available.",
    ]
    assert (level(a), level(b)) == ((10, 0), (4, 0))


def test_lines_of_the_same_sku_are_added_together(stocked):
    a, b = stocked

    reservation = reserve([(a, 2), (b, 1), (a, 3)], key="r-1", expires_at=later())

    assert list(reservation.lines.values_list("sku__code", "quantity")) == [
        ("SKU-A", 5),
        ("SKU-B", 1),
    ]
    assert (level(a), level(b)) == ((10, 5), (4, 1))
    assert refused(
        NotEnoughStock, lambda: reserve([(b, 2), (b, 2)], key="r-2", expires_at=later())
    ) == ["Not enough stock.", "SKU-B: 4 asked for, 3 available."]


def test_an_impossible_reservation_is_refused(stocked):
    a, b = stocked
    now = timezone.now()

    for lines, expires_at, message in [
        ([(a, 0)], later(), "A quantity must be more than zero."),
        ([(a, 1), (b, -1)], later(), "A quantity must be more than zero."),
        ([(a, "1")], later(), "A quantity must be a whole number."),
        ([], later(), "A reservation needs at least one line."),
        ([(a, 1)], now - ONE_DAY, "A reservation must expire in the future."),
        ([(a, 1)], now, "A reservation must expire in the future."),
    ]:
        assert refused(
            ValidationError,
            lambda lines=lines, expires_at=expires_at: reserve(
                lines, key="r-1", expires_at=expires_at
            ),
        ) == [message]
    assert Reservation.objects.count() == 0


def test_a_reservation_replayed_with_its_key_is_made_once(stocked):
    a, b = stocked
    first = reserve([(a, 3), (b, 1)], key="r-1", expires_at=later())

    again = reserve([(b, 1), (a, 1), (a, 2)], key="r-1", expires_at=later())

    assert again.pk == first.pk
    assert (Reservation.objects.count(), level(a), level(b)) == (1, (10, 3), (4, 1))
    assert refused(KeyReused, lambda: reserve([(a, 3)], key="r-1", expires_at=later())) == [
        "The key r-1 was already used for another reservation."
    ]
    assert refused(KeyReused, lambda: reserve([(a, 4), (b, 1)], key="r-1", expires_at=later())) == [
        "The key r-1 was already used for another reservation."
    ]


def test_a_release_gives_the_units_back_once(stocked):
    a, b = stocked
    reservation = reserve([(a, 3), (b, 4)], key="r-1", expires_at=later())

    released = release(reservation)
    release(reservation)

    assert (released.state, released.closed_at is not None) == ("released", True)
    assert (level(a), level(b)) == ((10, 0), (4, 0))
    assert movements(a)[1:] == [
        (Kind.RESERVED, 0, 3, "reserve:r-1"),
        (Kind.RELEASED, 0, -3, "release:r-1"),
    ]
    assert refused(ReservationReleased, lambda: sell(reservation)) == [
        "This reservation was released; it cannot be sold."
    ]


def test_a_sale_takes_the_units_out_once_and_cannot_be_released(stocked):
    a, b = stocked
    reservation = reserve([(a, 3), (b, 4)], key="r-1", expires_at=later())

    sold = sell(reservation)
    sell(reservation)

    assert (sold.state, state(reservation)) == ("sold", "sold")
    assert (level(a), level(b)) == ((7, 0), (0, 0))
    assert movements(b)[1:] == [
        (Kind.RESERVED, 0, 4, "reserve:r-1"),
        (Kind.SOLD, -4, -4, "sell:r-1"),
    ]
    assert refused(ReservationSold, lambda: release(reservation)) == [
        "This reservation was sold; it cannot be released."
    ]


def test_an_expired_reservation_not_yet_released_is_sold(stocked):
    a, _b = stocked
    reservation = reserve([(a, 3)], key="r-1", expires_at=later())
    expire(reservation)

    sell(reservation)

    assert (state(reservation), level(a)) == ("sold", (7, 0))


def test_a_released_expired_reservation_sells_while_its_units_are_still_there(stocked):
    a, b = stocked
    reservation = reserve([(a, 3), (b, 1)], key="r-1", expires_at=later())
    expire(reservation)

    assert release_expired_reservations() == 1
    assert (state(reservation), level(a), level(b)) == ("expired", (10, 0), (4, 0))
    release(reservation)  # already given back: nothing more happens
    assert (state(reservation), level(a)) == ("expired", (10, 0))

    sell(reservation)

    assert (state(reservation), level(a), level(b)) == ("sold", (7, 0), (3, 0))
    assert movements(a)[1:] == [
        (Kind.RESERVED, 0, 3, "reserve:r-1"),
        (Kind.RELEASED, 0, -3, "release:r-1"),
        (Kind.SOLD, -3, 0, "sell:r-1"),
    ]


def test_a_released_expired_reservation_whose_units_were_taken_is_refused(stocked):
    a, b = stocked
    reservation = reserve([(a, 3), (b, 1)], key="r-1", expires_at=later())
    expire(reservation)
    release_expired_reservations()
    reserve([(a, 8)], key="r-2", expires_at=later())

    assert refused(ReservationExpired, lambda: sell(reservation)) == [
        "This reservation expired and its units are no longer available.",
        "SKU-A: 3 asked for, 2 available.",
    ]
    assert (state(reservation), level(a), level(b)) == ("expired", (10, 8), (4, 0))


def test_expired_reservations_are_released_when_stock_is_read_or_reserved(stocked):
    a, b = stocked
    first = reserve([(a, 3)], key="r-1", expires_at=later())
    second = reserve([(b, 4)], key="r-2", expires_at=later())
    expire(first)
    expire(second)

    rows = stock_levels([a])

    assert [(row.sku.code, row.on_hand, row.reserved) for row in rows] == [("SKU-A", 10, 0)]
    assert (state(first), state(second), level(b)) == ("expired", "active", (4, 4))

    reserve([(b, 4)], key="r-3", expires_at=later())  # the expired hold is released first

    assert (state(second), level(b)) == ("expired", (4, 4))


def test_the_command_releases_expired_reservations(stocked):
    a, b = stocked
    expired = reserve([(a, 3)], key="r-1", expires_at=later())
    held = reserve([(b, 1)], key="r-2", expires_at=later())
    expire(expired)

    out = io.StringIO()
    call_command("release_expired_reservations", stdout=out)

    assert out.getvalue() == "Released 1 expired reservation(s).\n"
    assert (state(expired), state(held), level(a), level(b)) == (
        "expired",
        "active",
        (10, 0),
        (4, 1),
    )
    out = io.StringIO()
    call_command("release_expired_reservations", stdout=out)
    assert out.getvalue() == "Released 0 expired reservation(s).\n"


def test_a_reservation_replayed_after_it_expired_is_the_same_reservation(stocked):
    a, _b = stocked
    first = reserve([(a, 3)], key="r-late", expires_at=later())
    Reservation.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    again = reserve([(a, 3)], key="r-late", expires_at=timezone.now())

    assert again == first
    assert (Reservation.objects.count(), level(a)) == (1, (10, 3))


def test_a_change_of_available_stock_is_announced_once_committed(
    world, django_capture_on_commit_callbacks
):
    from wagtail import hooks

    from workshops.inventory.stock import STOCK_AVAILABLE_CHANGED

    heard = []
    with hooks.register_temporarily(STOCK_AVAILABLE_CHANGED, lambda **change: heard.append(change)):
        with django_capture_on_commit_callbacks(execute=True):
            receive(world, quantity=10)
        sku = world.skus[0].pk
        with django_capture_on_commit_callbacks(execute=True):
            reservation = reserve([(world.skus[0], 3)], key="r-1", expires_at=later())
        with django_capture_on_commit_callbacks(execute=True):
            sell(reservation)  # units leave stock that were not available anyway
    assert heard == [
        {"sku_id": sku, "before": 0, "after": 10},
        {"sku_id": sku, "before": 10, "after": 7},
    ]
