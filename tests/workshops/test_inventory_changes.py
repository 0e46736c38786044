"""Stock changes (``workshops.inventory.changes``): returns, write-offs, counts and stocktakes, never
below what is reserved, each refused with its exact message and changing nothing, and a key used
again with other arguments refused.
"""

import pytest
from django.core.exceptions import ValidationError

from tests.workshops.inventory_checks import Kind, later, level, movements, refused
from workshops.inventory import (
    BelowReserved,
    KeyReused,
    NotEnoughStock,
    count,
    count_stock,
    reserve,
    return_to_stock,
    write_off,
)

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


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
