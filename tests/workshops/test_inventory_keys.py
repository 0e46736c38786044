"""The inventory's operation keys: each is unique where an operation looks it up, in a namespace
that no other operation's key can reach. Batches, reservations and stock changes (returns,
write-offs, counts and stocktakes) each have their own key table; a movement's key is its
operation's namespace, a colon, then the key. The answer to a key used before is always the replay
of the first call or ``KeyReused``, with nothing changed."""

import pytest
from django.core.exceptions import ValidationError

from tests.workshops.inventory_checks import (
    later,
    level,
    movements,
    receive,
    refused,
)
from workshops.inventory import (
    KeyReused,
    count,
    count_stock,
    reserve,
    return_to_stock,
    write_off,
)
from workshops.models import StockChange, StockMovement

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
Kind = StockMovement.Kind


@pytest.fixture
def stocked(world):
    """SKU-A with 10 on hand, SKU-B with 4."""
    a, b = world.skus
    receive(world, sku=a, quantity=10, key="in-a")
    receive(world, sku=b, quantity=4, key="in-b")
    return a, b


def test_a_count_whose_key_ends_in_a_hash_and_a_sku_id_is_not_part_of_a_stocktake(stocked):
    """``count_stock`` used to find its movements by ``startswith(f"{key}#")``: a count keyed
    ``x#<id of SKU-A>`` passed for a line of stocktake ``x``, which was then refused."""
    a, b = stocked
    count(a, 7, key=f"x#{a.pk}", reason="Spot check")

    counted = count_stock({a: 12, b: 3}, key="x", reason="Monthly")

    assert [(m.stock.sku.code, m.counted, m.on_hand_change, m.key) for m in counted] == [
        ("SKU-A", 12, 5, "count:x"),
        ("SKU-B", 3, -1, "count:x"),
    ]
    assert (level(a), level(b)) == ((12, 0), (3, 0))
    assert movements(a)[1:] == [
        (Kind.COUNTED, -3, 0, f"count:x#{a.pk}"),
        (Kind.COUNTED, 5, 0, "count:x"),
    ]


def test_a_count_after_a_stocktake_with_a_key_like_its_lines_is_a_count_of_its_own(stocked):
    """The other way round, the count used to be taken for a replay of the stocktake's line."""
    a, b = stocked
    [line, _] = count_stock({a: 12, b: 3}, key="x", reason="Monthly")

    counted = count(a, 9, key=f"x#{a.pk}", reason="Monthly")

    assert counted.pk != line.pk
    assert (counted.counted, counted.on_hand_change, counted.key) == (9, -3, f"count:x#{a.pk}")
    assert level(a) == (9, 0)


@pytest.mark.parametrize(
    ("operation", "movement"),
    [
        (
            lambda a: write_off(a, 1, key="reserve:r-1", reason="Damp"),
            (Kind.WRITTEN_OFF, -1, 0, "write-off:reserve:r-1"),
        ),
        (
            lambda a: return_to_stock(a, 1, key="batch:in-a", source="Order 1"),
            (Kind.RETURNED, 1, 0, "return:batch:in-a"),
        ),
        (
            lambda a: count(a, 5, key="sell:r-1", reason="Monthly"),
            (Kind.COUNTED, -5, 0, "count:sell:r-1"),
        ),
    ],
    ids=["write-off", "return", "count"],
)
def test_a_key_that_looks_like_another_operations_movement_key_is_a_key_of_its_own(
    stocked, operation, movement
):
    """A write-off keyed ``reserve:r-1`` was taken for a replay of reservation r-1's movement
    and refused as ``KeyReused``."""
    a, _b = stocked
    reserve([(a, 3)], key="r-1", expires_at=later())

    operation(a)

    assert movements(a)[2:] == [movement]


def test_a_count_replayed_as_a_stocktake_of_its_one_sku_is_the_same_count(stocked):
    """A count is a stocktake of one SKU: they share one namespace of keys."""
    a, b = stocked
    first = count(a, 8, key="c-1", reason="Monthly")

    assert [m.pk for m in count_stock({a: 8}, key="c-1", reason="Monthly")] == [first.pk]
    assert refused(KeyReused, lambda: count_stock({a: 8, b: 4}, key="c-1", reason="Monthly")) == [
        "The key c-1 was already used for another stocktake."
    ]
    assert refused(KeyReused, lambda: count(b, 4, key="c-1", reason="Monthly")) == [
        "The key c-1 was already used for another operation."
    ]
    assert list(StockChange.objects.values_list("key", "kind")) == [("c-1", "count")]


def test_a_count_that_is_not_a_whole_number_is_refused_under_a_key_used_before(stocked):
    """``4.0 == 4`` in Python: the comparison with the first call must not take it for a replay."""
    a, _b = stocked
    first = count(a, 4, key="c-1", reason="Monthly")

    for call in (
        lambda: count(a, 4.0, key="c-1", reason="Monthly"),
        lambda: count_stock({a: 4.0}, key="c-1", reason="Monthly"),
        lambda: count(a, True, key="c-2", reason="Monthly"),
    ):
        assert refused(ValidationError, call) == ["SKU-A: a count is a whole number, zero or more."]
    assert list(StockChange.objects.values_list("key", flat=True)) == [first.change.key]


def test_a_stock_change_key_names_one_operation_whatever_its_kind(stocked):
    a, b = stocked
    write_off(a, 2, key="k", reason="Damp")

    for second in (
        lambda: return_to_stock(b, 2, key="k", source="Order 1"),
        lambda: write_off(b, 2, key="k", reason="Damp"),
        lambda: count(b, 2, key="k", reason="Monthly"),
    ):
        assert refused(KeyReused, second) == ["The key k was already used for another operation."]
    assert refused(KeyReused, lambda: count_stock({b: 2}, key="k", reason="Monthly")) == [
        "The key k was already used for another stocktake."
    ]
    assert (level(a), level(b)) == ((8, 0), (4, 0))


@pytest.mark.parametrize("key", ["", "   ", "k" * 81, None, 7])
def test_a_key_that_is_empty_or_too_long_is_refused(stocked, world, key):
    a, _b = stocked
    message = ["An operation key is text of 1 to 80 characters."]

    assert refused(ValidationError, lambda: write_off(a, 1, key=key, reason="Damp")) == message
    assert refused(ValidationError, lambda: count_stock({a: 1}, key=key, reason="Monthly")) == (
        message
    )
    assert refused(ValidationError, lambda: reserve([(a, 1)], key=key, expires_at=later())) == (
        message
    )
    assert refused(ValidationError, lambda: receive(world, key=key)) == message


def test_a_key_of_80_characters_is_kept_whole(stocked):
    a, _b = stocked
    key = "k" * 80

    write_off(a, 1, key=key, reason="Damp")
    reservation = reserve([(a, 1)], key=key, expires_at=later())

    assert reservation.key == key
    assert [m[3] for m in movements(a)[1:]] == [f"write-off:{key}", f"reserve:{key}"]
