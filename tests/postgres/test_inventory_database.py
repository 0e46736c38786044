"""What PostgreSQL itself guarantees about the finished-goods inventory, and what the operations in
``workshops.inventory`` keep true when many people act at the same moment on real connections:
movements are append-only (a trigger), ``0 ≤ reserved ≤ on_hand`` (CHECKs), batches of one SKU
never overlap (an exclusion constraint); concurrent reservations never hold more than is on hand,
a reservation is sold or released once, an operation replayed with its key has one effect, and
the movements of a SKU always sum to its stock row."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import (
    transaction,
)
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import ModelLogEntry

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, race, raw, refused_by_the_database
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.inventory import (
    BelowReserved,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
)
from workshops.models import Batch, Reservation, ReservationLine, Stock, StockMovement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits

Kind = StockMovement.Kind
State = Reservation.State
MOVEMENTS = "workshops_stockmovement"
STOCK = "workshops_stock"


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=3)


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


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


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


REPLAYED = {
    "return_to_stock": (
        partial(inventory.return_to_stock, quantity=4, key="return-1", source="Order 1001"),
        ("SKU-A", Kind.RETURNED, 4, 0, "return:return-1"),
        14,
    ),
    "write_off": (
        partial(inventory.write_off, quantity=4, key="damaged-1", reason="Water damage"),
        ("SKU-A", Kind.WRITTEN_OFF, -4, 0, "write-off:damaged-1"),
        6,
    ),
    "count": (
        partial(inventory.count, counted=7, key="stocktake-1", reason="Year-end stocktake"),
        ("SKU-A", Kind.COUNTED, -3, 0, "count:stocktake-1"),
        7,
    ),
}


@at_once
@pytest.mark.parametrize("operation", REPLAYED)
def test_a_stock_change_replayed_at_once_moves_stock_once(world, operation):
    """The second call waits for the stock row's lock, then finds the first one's movement
    under the key and returns it."""
    call, movement, on_hand = REPLAYED[operation]
    sku = world.skus[0]
    stocked(world, sku, 10)

    outcomes = race(*(partial(call, sku) for _ in range(10)))

    [made] = StockMovement.objects.exclude(kind=Kind.RECEIVED)
    assert [outcome.pk for outcome in outcomes] == [made.pk] * 10
    assert movements() == sorted([("SKU-A", Kind.RECEIVED, 10, 0, "batch:batch-SKU-A-0"), movement])
    assert stock_of(sku) == moved(sku) == (on_hand, 0)


@at_once
def test_a_batch_received_at_once_from_several_connections_is_one_batch(world):
    """The SKU has no stock row yet: each call inserts it if missing (the later inserts wait for
    the first and then do nothing), locks it, and all but the first find the batch by its key."""
    sku = world.skus[1]
    receive = partial(
        inventory.receive_batch,
        sku=sku,
        quantity=12,
        made_from=day(0),
        made_to=day(2),
        user=world.supervisor,
        key="batch-1",
    )

    outcomes = race(*(receive for _ in range(5)))

    [batch] = Batch.objects.all()
    assert [outcome.pk for outcome in outcomes] == [batch.pk] * 5
    assert (batch.sku_id, batch.quantity, batch.made_from, batch.made_to) == (
        sku.pk,
        12,
        day(0),
        day(2),
    )
    assert movements() == [("SKU-B", Kind.RECEIVED, 12, 0, "batch:batch-1")]
    assert stock_of(sku) == moved(sku) == (12, 0)
    assert list(
        ModelLogEntry.objects.filter(action="bridgework.batch_received").values_list(
            "object_id", flat=True
        )
    ) == [str(batch.pk)]


@at_once
def test_two_overlapping_batches_of_a_sku_received_at_once_one_is_refused(world):
    """The second waits for the stock row's lock, then sees the first batch and refuses with a
    message for people (the exclusion constraint is never the one to refuse)."""
    sku = world.skus[0]
    ranges = {"batch-1": (day(0), day(4), 10), "batch-2": (day(3), day(6), 20)}

    outcomes = race(
        *(
            partial(
                inventory.receive_batch,
                sku=sku,
                quantity=quantity,
                made_from=start,
                made_to=end,
                user=world.supervisor,
                key=key,
            )
            for key, (start, end, quantity) in ranges.items()
        )
    )

    [made] = [outcome for outcome in outcomes if isinstance(outcome, Batch)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    start, end, quantity = ranges[made.key]
    assert refused.messages == [
        f"A batch of SKU-A made from {start} to {end} overlaps these dates: "
        "batches of one SKU never overlap."
    ]
    assert list(Batch.objects.values_list("key", "quantity", "made_from", "made_to")) == [
        (made.key, quantity, start, end)
    ]
    assert movements() == [("SKU-A", Kind.RECEIVED, quantity, 0, f"batch:{made.key}")]
    assert stock_of(sku) == moved(sku) == (quantity, 0)


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


# What the database refuses, whatever code writes to it


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {MOVEMENTS} SET on_hand_change = 99 WHERE id = %s",  # noqa: S608 # nosec B608
        f"UPDATE {MOVEMENTS} SET reason = 'Tidied up' WHERE id = %s",  # noqa: S608 # nosec B608
        f"DELETE FROM {MOVEMENTS} WHERE id = %s",  # noqa: S608 # nosec B608
    ],
    ids=["update-change", "update-reason", "delete"],
)
def test_a_movement_cannot_be_changed_or_deleted_in_raw_sql(world, sql):
    stocked(world, world.skus[0], 10)
    movement = StockMovement.objects.get()
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, movement.pk)

    assert first_line(refused) == (
        f"stock movement {movement.pk} is append-only: it cannot be changed or deleted"
    )
    assert everything() == before


def test_the_orm_cannot_delete_a_movement_either(world):
    stocked(world, world.skus[0], 10)
    movement = StockMovement.objects.get()
    before = everything()

    with refused_by_the_database() as refused:
        StockMovement.objects.filter(pk=movement.pk).delete()

    assert first_line(refused) == (
        f"stock movement {movement.pk} is append-only: it cannot be changed or deleted"
    )
    assert everything() == before


@pytest.mark.parametrize(
    ("assignment", "constraint"),
    [
        ("reserved = on_hand + 1", "stock_reserved_within_on_hand"),
        ("on_hand = reserved - 1", "stock_reserved_within_on_hand"),
        ("on_hand = -1, reserved = 0", "stock_reserved_within_on_hand"),
        ("reserved = -1", "stock_reserved_not_negative"),
    ],
)
def test_stock_outside_zero_reserved_on_hand_is_refused(world, assignment, constraint):
    sku = world.skus[0]
    stocked(world, sku, 10)
    held([(sku, 3)], key="checkout-1")
    before = everything()

    with refused_by_the_database() as refused:
        raw(f"UPDATE {STOCK} SET {assignment} WHERE sku_id = %s", sku.pk)  # noqa: S608 # nosec B608

    assert first_line(refused) == (
        f'new row for relation "{STOCK}" violates check constraint "{constraint}"'
    )
    assert everything() == before
    assert stock_of(sku) == moved(sku) == (10, 3)


def insert_batch(world, sku, start, end, key):
    return raw(
        "INSERT INTO workshops_batch "
        "(sku_id, quantity, made_from, made_to, received_on, recorded_by_id, recorded_at, key) "
        "VALUES (%s, 5, %s, %s, %s, %s, now(), %s)",
        sku.pk,
        day(start),
        day(end),
        day(end),
        world.supervisor.pk,
        key,
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [(2, 4), (4, 6), (0, 2), (3, 3), (0, 8)],
    ids=["same", "sharing-the-last-day", "sharing-the-first-day", "inside", "around"],
)
def test_an_overlapping_batch_of_the_same_sku_is_refused_in_raw_sql(world, start, end):
    inventory.receive_batch(
        sku=world.skus[0],
        quantity=10,
        made_from=day(2),
        made_to=day(4),
        user=world.supervisor,
        key="batch-1",
    )
    before = everything()

    with refused_by_the_database() as refused:
        insert_batch(world, world.skus[0], start, end, "batch-2")

    assert first_line(refused) == (
        'conflicting key value violates exclusion constraint "batch_ranges_of_a_sku_never_overlap"'
    )
    assert everything() == before


@pytest.mark.parametrize(
    ("sku", "start", "end"),
    [(0, 5, 6), (0, 0, 1), (1, 2, 4)],
    ids=["the-day-after", "the-day-before", "another-sku-same-days"],
)
def test_a_batch_next_to_another_or_of_another_sku_is_accepted_in_raw_sql(world, sku, start, end):
    first = inventory.receive_batch(
        sku=world.skus[0],
        quantity=10,
        made_from=day(2),
        made_to=day(4),
        user=world.supervisor,
        key="batch-1",
    )

    assert insert_batch(world, world.skus[sku], start, end, "batch-2") == 1

    assert sorted(Batch.objects.values_list("key", "sku", "made_from", "made_to")) == [
        ("batch-1", first.sku_id, day(2), day(4)),
        ("batch-2", world.skus[sku].pk, day(start), day(end)),
    ]
