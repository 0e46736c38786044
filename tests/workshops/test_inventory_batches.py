"""Receiving batches of finished goods (``workshops.inventory.batches``): a batch goes on hand with
one movement and a log entry, and an overlapping, implausible, future or foreign batch is refused
with its exact message, changing nothing; a batch key is received once.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.workshops.inventory_checks import ONE_DAY, Kind, level, movements, receive, refused
from tests.workshops.production_builders import day
from workshops.inventory import KeyReused
from workshops.models import SKU, Batch, StockMovement

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


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
            "A batch of SKU-A made from Nov 2, 2026 to Nov 6, 2026 overlaps these dates: batches "
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
