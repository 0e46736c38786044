"""What PostgreSQL itself guarantees about the finished-goods inventory: movements are append-only
(a trigger, the ORM included), ``0 ≤ reserved ≤ on_hand`` (CHECKs), and batches of one SKU never
overlap in raw SQL.
"""

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, raw, refused_by_the_database
from tests.postgres.inventory_checks import everything, held, moved, stock_of, stocked
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.models import Batch, StockMovement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


MOVEMENTS = "workshops_stockmovement"
STOCK = "workshops_stock"


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=3)


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
