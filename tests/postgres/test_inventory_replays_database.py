"""Stock changes and batches sent at once from several PostgreSQL connections: a stock change
replayed at once moves stock once, a batch received at once is one batch, and of two overlapping
batches of a SKU received at once one is refused.
"""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from brand.demo.seed import ensure_wagtail_roots
from core.formatting import format_day
from core.testing.database import race
from tests.postgres.inventory_checks import Kind, at_once, moved, movements, stock_of, stocked
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.models import Batch, StockMovement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=3)


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
        f"A batch of SKU-A made from {format_day(start)} to {format_day(end)} overlaps these dates: "
        "batches of one SKU never overlap."
    ]
    assert list(Batch.objects.values_list("key", "quantity", "made_from", "made_to")) == [
        (made.key, quantity, start, end)
    ]
    assert movements() == [("SKU-A", Kind.RECEIVED, quantity, 0, f"batch:{made.key}")]
    assert stock_of(sku) == moved(sku) == (quantity, 0)
