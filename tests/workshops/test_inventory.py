"""The finished-goods inventory's operations, used as the shop and the workshops will use them:
batches in, reservations held, released and sold, returns, write-offs and stocktakes. Every
refusal has its exact message and leaves batches, stock, movements and reservations as they were;
every operation replayed with its key has one effect."""

import contextlib
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from tests.workshops.production_builders import day
from workshops.inventory import (
    BelowReserved,
    KeyReused,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
    count,
    count_stock,
    receive_batch,
    release,
    release_expired_reservations,
    reserve,
    return_to_stock,
    sell,
    stock_levels,
    write_off,
)
from workshops.models import (
    SKU,
    Batch,
    Reservation,
    ReservationLine,
    Stock,
    StockMovement,
)

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
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


@pytest.fixture
def stocked(world):
    """SKU-A with 10 on hand, SKU-B with 4."""
    a, b = world.skus
    receive(world, sku=a, quantity=10, key="in-a")
    receive(world, sku=b, quantity=4, key="in-b")
    return a, b


# Batches


def test_a_received_batch_goes_on_hand_with_one_movement_and_a_log_entry(world):
    a = world.skus[0]

    batch = receive(world, quantity=10)

    assert (batch.sku, batch.quantity, batch.made_from, batch.made_to) == (a, 10, day(0), day(4))
    assert (batch.received_on, batch.recorded_by) == (timezone.localdate(), world.supervisor)
    assert level(a) == (10, 0)
    assert movements(a) == [(Kind.RECEIVED, 10, 0, "batch:b-1")]
    assert StockMovement.objects.get().batch == batch
    assert list(
        ModelLogEntry.objects.filter(action="bridgework.batch_received").values_list(
            "object_id", "user__username"
        )
    ) == [(str(batch.pk), "sup")]


def test_adjacent_batches_of_one_sku_and_the_same_days_of_another_sku_are_received(world):
    a, b = world.skus

    receive(world, sku=a, quantity=1, key="b-1")
    receive(world, sku=a, quantity=100_000, made_from=day(5), made_to=day(5), key="b-2")
    receive(world, sku=a, quantity=2, made_from=day(-3), made_to=day(-1), key="b-3")
    receive(world, sku=b, quantity=3, key="b-4")

    assert (level(a), level(b)) == ((100_003, 0), (3, 0))
    assert Batch.objects.count() == 4


def test_a_batch_overlapping_another_of_the_same_sku_is_refused(world):
    receive(world, key="b-0")

    for made_from, made_to in [
        (day(4), day(6)),  # shares the last day
        (day(-2), day(0)),  # shares the first day
        (day(1), day(2)),  # inside
        (day(-1), day(5)),  # around
        (day(0), day(4)),  # the same days
    ]:
        assert refused(
            ValidationError,
            lambda start=made_from, end=made_to: receive(
                world, made_from=start, made_to=end, key="b-1"
            ),
        ) == [
            "A batch of SKU-A made from 2026-11-02 to 2026-11-06 overlaps these dates: batches "
            "of one SKU never overlap."
        ]
    assert level(world.skus[0]) == (10, 0)


IMPLAUSIBLE_BATCHES = [
    ({"quantity": 0}, ["The quantity must be more than zero."]),
    ({"quantity": -3}, ["The quantity must be more than zero."]),
    (
        {"quantity": 100_001},
        ["100001 units: one operation moves a whole number from 1 to 100000."],
    ),
    ({"quantity": "5"}, ["The quantity must be a whole number."]),
    ({"quantity": 2.5}, ["The quantity must be a whole number."]),
    ({"quantity": True}, ["The quantity must be a whole number."]),
    ({"made_from": day(5)}, ["The batch's first day comes after its last day."]),
    ({"received_on": day(3)}, ["A batch is received on or after its last day of making."]),
]


def test_an_implausible_batch_is_refused_and_nothing_changes(world):
    receive(world, made_from=day(10), made_to=day(12), key="b-0")

    for change, messages in IMPLAUSIBLE_BATCHES:
        assert refused(ValidationError, lambda c=change: receive(world, **c)) == messages, change
    assert level(world.skus[0]) == (10, 0)


def test_a_batch_made_or_received_in_the_future_is_refused(world):
    receive(world, made_from=day(10), made_to=day(12), key="b-0")
    tomorrow = timezone.localdate() + ONE_DAY

    assert refused(ValidationError, lambda: receive(world, made_to=tomorrow)) == [
        "A batch cannot be made in the future.",
        "A batch is received on or after its last day of making.",
    ]
    assert refused(
        ValidationError, lambda: receive(world, made_to=tomorrow, received_on=tomorrow)
    ) == ["A batch cannot be made in the future.", "A batch cannot be received in the future."]
    assert refused(ValidationError, lambda: receive(world, received_on=tomorrow)) == [
        "A batch cannot be received in the future."
    ]


def test_a_batch_of_another_workshops_sku_is_refused(world):
    other_sku = SKU.objects.get(code="SKU-O")

    assert refused(ValidationError, lambda: receive(world, sku=other_sku)) == [
        "SKU-O is made by Workshop bakery-north, which you do not supervise."
    ]
    assert refused(
        ValidationError, lambda: receive(world, sku=world.skus[0], user=world.other_supervisor)
    ) == ["SKU-A is made by Workshop tailoring-north, which you do not supervise."]
    assert level(other_sku) is None


def test_a_batch_replayed_with_its_key_is_received_once(world):
    first = receive(world)
    again = receive(world)

    assert again.pk == first.pk
    assert (Batch.objects.count(), level(world.skus[0])) == (1, (10, 0))
    assert len(movements(world.skus[0])) == 1
    assert ModelLogEntry.objects.filter(action="bridgework.batch_received").count() == 1


def test_a_batch_key_used_with_other_arguments_is_refused(world):
    receive(world)

    for change in [
        {"quantity": 11},
        {"made_to": day(5)},
        {"made_from": day(1)},
        {"sku": world.skus[1]},
    ]:
        assert refused(KeyReused, lambda c=change: receive(world, **c)) == [
            "The key b-1 was already used for another batch."
        ], change


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


# Returns, write-offs and stocktakes


def test_a_return_comes_back_on_hand_once_and_needs_a_source(stocked, world):
    a, _b = stocked

    movement = return_to_stock(a, 2, key="ret-1", source="Order 1001", user=world.supervisor)
    again = return_to_stock(a, 2, key="ret-1", source="Order 1001", user=world.supervisor)

    assert again.pk == movement.pk
    assert (movement.kind, movement.source, movement.user) == (
        Kind.RETURNED,
        "Order 1001",
        world.supervisor,
    )
    assert level(a) == (12, 0)
    assert movements(a)[1:] == [(Kind.RETURNED, 2, 0, "return:ret-1")]
    for source in ("", "   ", None):
        assert refused(
            ValidationError, lambda s=source: return_to_stock(a, 2, key="ret-2", source=s)
        ) == ["Say where the returned units come from."]
    assert refused(ValidationError, lambda: return_to_stock(a, 0, key="ret-2", source="x")) == [
        "The quantity must be more than zero."
    ]


def test_a_write_off_needs_a_reason_and_never_goes_below_what_is_reserved(stocked):
    a, b = stocked
    reserve([(a, 3)], key="r-1", expires_at=later())

    assert refused(ValidationError, lambda: write_off(a, 1, key="w-1", reason=" ")) == [
        "A write-off needs a reason."
    ]
    assert refused(BelowReserved, lambda: write_off(a, 8, key="w-1", reason="Damp")) == [
        "SKU-A: writing off 8 would leave 2 on hand, less than the 3 reserved."
    ]
    assert refused(NotEnoughStock, lambda: write_off(b, 5, key="w-1", reason="Damp")) == [
        "SKU-B: 5 cannot be written off, only 4 are on hand."
    ]

    movement = write_off(a, 7, key="w-1", reason="Damp  in the store")
    write_off(a, 7, key="w-1", reason="Damp in the store")

    assert (movement.reason, level(a)) == ("Damp in the store", (3, 3))
    assert movements(a)[2:] == [(Kind.WRITTEN_OFF, -7, 0, "write-off:w-1")]


def test_a_count_sets_what_is_on_hand_never_below_what_is_reserved(stocked):
    a, b = stocked
    reserve([(a, 3)], key="r-1", expires_at=later())

    assert refused(ValidationError, lambda: count(a, 5, key="c-1", reason="")) == [
        "A count needs a reason."
    ]
    assert refused(ValidationError, lambda: count(a, -1, key="c-1", reason="Monthly")) == [
        "SKU-A: a count is a whole number, zero or more."
    ]
    assert refused(ValidationError, lambda: count(a, 4.0, key="c-1", reason="Monthly")) == [
        "SKU-A: a count is a whole number, zero or more."
    ]
    assert refused(BelowReserved, lambda: count(a, 2, key="c-1", reason="Monthly")) == [
        "SKU-A: 2 counted is less than the 3 reserved."
    ]

    movement = count(a, 12, key="c-1", reason="Monthly")
    count(a, 12, key="c-1", reason="Monthly")
    count(a, 3, key="c-2", reason="Monthly")
    count(b, 0, key="c-3", reason="Monthly")

    assert (movement.counted, movement.on_hand_change) == (12, 2)
    assert (level(a), level(b)) == ((3, 3), (0, 0))
    assert movements(a)[2:] == [
        (Kind.COUNTED, 2, 0, "count:c-1"),
        (Kind.COUNTED, -9, 0, "count:c-2"),
    ]


def test_a_stocktake_counts_every_sku_or_none_and_lists_every_problem(stocked):
    a, b = stocked
    reserve([(b, 2)], key="r-1", expires_at=later())

    assert refused(
        ValidationError, lambda: count_stock({a: 12, b: 1}, key="st-1", reason="Monthly")
    ) == ["SKU-B: 1 counted is less than the 2 reserved."]
    assert refused(
        ValidationError, lambda: count_stock({a: -1, b: 1}, key="st-1", reason="Monthly")
    ) == [
        "SKU-A: a count is a whole number, zero or more.",
        "SKU-B: 1 counted is less than the 2 reserved.",
    ]
    assert refused(ValidationError, lambda: count_stock({a: 12, b: 3}, key="st-1", reason="")) == [
        "A count needs a reason."
    ]

    counted = count_stock({a: 12, b: 3}, key="st-1", reason="Monthly")
    again = count_stock({b: 3, a: 12}, key="st-1", reason="Monthly")

    assert [m.pk for m in again] == [m.pk for m in counted]
    assert [(m.stock.sku.code, m.counted, m.on_hand_change) for m in counted] == [
        ("SKU-A", 12, 2),
        ("SKU-B", 3, -1),
    ]
    assert (level(a), level(b)) == ((12, 0), (3, 2))


def test_a_key_used_again_with_other_arguments_is_refused(stocked):
    a, _b = stocked
    pairs = {
        "return": (
            lambda key: return_to_stock(a, 2, key=key, source="Order 1"),
            lambda key: return_to_stock(a, 3, key=key, source="Order 1"),
        ),
        "write-off": (
            lambda key: write_off(a, 2, key=key, reason="Damp"),
            lambda key: write_off(a, 3, key=key, reason="Damp"),
        ),
        "count": (
            lambda key: count(a, 8, key=key, reason="Monthly"),
            lambda key: count(a, 9, key=key, reason="Monthly"),
        ),
        "another operation": (
            lambda key: return_to_stock(a, 2, key=key, source="Order 1"),
            lambda key: write_off(a, 2, key=key, reason="Damp"),
        ),
    }

    for key, (first, second) in pairs.items():
        first(key)
        assert refused(KeyReused, lambda s=second, k=key: s(k)) == [
            f"The key {key} was already used for another operation."
        ]


def test_a_stocktake_key_used_again_with_other_counts_is_refused(stocked):
    a, b = stocked
    count_stock({a: 12, b: 3}, key="st-1", reason="Monthly")

    refused(KeyReused, lambda: count_stock({a: 11, b: 3}, key="st-1", reason="Monthly"))
    assert (level(a), level(b)) == ((12, 0), (3, 0))


@pytest.mark.parametrize(
    "operation",
    [
        lambda sku: return_to_stock(sku, 2, key="k", source="Order 1"),
        lambda sku: write_off(sku, 1, key="k", reason="Damp"),
        lambda sku: count(sku, 3, key="k", reason="Monthly"),
        lambda sku: count_stock({sku: 3}, key="k", reason="Monthly"),
    ],
    ids=["return", "write-off", "count", "stocktake"],
)
def test_a_key_used_again_for_another_sku_is_refused(stocked, operation):
    a, b = stocked
    operation(a)

    with pytest.raises(KeyReused):
        operation(b)
    assert level(b) == (4, 0)


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


def test_a_reservation_replayed_after_it_expired_is_the_same_reservation(stocked):
    a, _b = stocked
    first = reserve([(a, 3)], key="r-late", expires_at=later())
    Reservation.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    again = reserve([(a, 3)], key="r-late", expires_at=timezone.now())

    assert again == first
    assert (Reservation.objects.count(), level(a)) == (1, (10, 3))
