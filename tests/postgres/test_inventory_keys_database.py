"""One key used at the same moment, on real connections, for two operations that lock different
stock rows: the key table's unique index makes the second wait for the first and then answer
with the first's result or ``KeyReused``, never a second effect or a database error (``race``
re-raises an IntegrityError). Each case runs a few rounds, so that either side wins some."""

from functools import partial

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.inventory_checks import (
    at_once,
    in_an_hour,
    moved,
    stock_of,
    stocked,
)
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.inventory import KeyReused
from workshops.models import Batch, Reservation, Stock, StockChange, StockMovement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Kind = StockMovement.Kind
ROUNDS = 4


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=2)


def one_of(outcomes, made_type):
    """The one outcome that was made and the one refused as ``KeyReused``, in that order."""
    made = [outcome for outcome in outcomes if isinstance(outcome, made_type)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, KeyReused)]
    assert (len(made), len(refused)) == (1, 1), outcomes
    return made[0], refused[0]


STOCK_CHANGES = {
    "write-offs": (
        lambda sku, key: inventory.write_off(sku, 2, key=key, reason="Water damage"),
        lambda sku, key: inventory.write_off(sku, 2, key=key, reason="Water damage"),
        "The key {key} was already used for another operation.",
    ),
    "return-and-count": (
        lambda sku, key: inventory.return_to_stock(sku, 2, key=key, source="Order 1001"),
        lambda sku, key: inventory.count(sku, 8, key=key, reason="Spot check"),
        "The key {key} was already used for another operation.",
    ),
    "stocktakes": (
        lambda sku, key: inventory.count_stock({sku: 7}, key=key, reason="Monthly")[0],
        lambda sku, key: inventory.count_stock({sku: 7}, key=key, reason="Monthly")[0],
        "The key {key} was already used for another stocktake.",
    ),
}


@at_once
@pytest.mark.parametrize("calls", STOCK_CHANGES)
def test_one_key_on_two_products_at_once_changes_one_product(world, calls):
    """Both used to be applied: each locked its own stock row, found no movement under the key
    and wrote one, since movement keys were unique only per stock row."""
    first, second, message = STOCK_CHANGES[calls]
    a, b = world.skus[:2]
    stocked(world, a, 10)
    stocked(world, b, 10)

    for n in range(ROUNDS):
        key = f"{calls}-{n}"
        before = {sku.code: stock_of(sku) for sku in (a, b)}

        outcomes = race(partial(first, a, key), partial(second, b, key))

        made, refused = one_of(outcomes, StockMovement)
        assert refused.messages == [message.format(key=key)]
        assert list(StockMovement.objects.filter(key__endswith=f":{key}")) == [made]
        assert StockChange.objects.filter(key=key).count() == 1
        untouched = b if made.stock.sku_id == a.pk else a
        assert stock_of(untouched) == before[untouched.code]
    assert stock_of(a) == moved(a)
    assert stock_of(b) == moved(b)


@at_once
def test_one_reservation_key_for_two_products_at_once_is_one_reservation(world):
    """The second used to fail with a raw IntegrityError on the reservation's unique key."""
    a, b = world.skus[:2]
    stocked(world, a, 10)
    stocked(world, b, 10)

    for n in range(ROUNDS):
        key = f"checkout-{n}"

        outcomes = race(
            partial(inventory.reserve, [(a, 1)], key=key, expires_at=in_an_hour()),
            partial(inventory.reserve, [(b, 1)], key=key, expires_at=in_an_hour()),
        )

        made, refused = one_of(outcomes, Reservation)
        assert refused.messages == [f"The key {key} was already used for another reservation."]
        assert list(Reservation.objects.filter(key=key)) == [made]
        assert list(
            StockMovement.objects.filter(key=f"reserve:{key}").values_list("reservation", flat=True)
        ) == [made.pk]
    assert stock_of(a) == moved(a)
    assert stock_of(b) == moved(b)
    assert stock_of(a)[1] + stock_of(b)[1] == ROUNDS


@at_once
def test_one_batch_key_for_two_products_at_once_is_one_batch(world):
    a, b = world.skus[:2]

    for n in range(ROUNDS):
        key = f"batch-{n}"

        outcomes = race(
            *(
                partial(
                    inventory.receive_batch,
                    sku=sku,
                    quantity=5,
                    made_from=day(n),
                    made_to=day(n),
                    user=world.supervisor,
                    key=key,
                )
                for sku in (a, b)
            )
        )

        made, refused = one_of(outcomes, Batch)
        assert refused.messages == [f"The key {key} was already used for another batch."]
        assert list(Batch.objects.filter(key=key)) == [made]
        assert StockMovement.objects.filter(key=f"batch:{key}").count() == 1
    # A SKU that never won has no stock row: the refused call's insert of it was rolled back.
    levels = {stock.sku.code: stock_of(stock.sku) for stock in Stock.objects.select_related("sku")}
    assert sum(on_hand for on_hand, _reserved in levels.values()) == 5 * ROUNDS
    assert levels == {stock.sku.code: moved(stock.sku) for stock in Stock.objects.all()}
