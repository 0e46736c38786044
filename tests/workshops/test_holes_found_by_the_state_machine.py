"""Holes the stock-and-hours state machine found, each shown through
the operations people use (``tests/workshops/test_stock_and_hours_state_machine.py``)."""

from decimal import Decimal

import pytest

from tests.workshops.production_builders import build_world, day
from tests.workshops.stock_and_hours_invariants import fingerprint, hours_problems
from workshops.models import ProductionRecord
from workshops.production import (
    Entry,
    ProductionRefused,
    adjust_production,
    correct_production,
    lock_production,
    save_grid,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
DECIMALS = "hours “7.255” has more than two decimals."


@pytest.fixture
def world():
    return build_world()


def entry(world, hours, *, worker=0, when=0, note="") -> Entry:
    return Entry(
        worker=world.workers[worker],
        workshop=world.workshop,
        day=day(when),
        sku=world.skus[0],
        hours=Decimal(hours),
        pieces=3,
        supervisor_note=note,
    )


def grid(world, *entries, when=0):
    return save_grid(
        workshop=world.workshop, day=day(when), entries=list(entries), user=world.supervisor
    )


def refused(call) -> list[str]:
    before = fingerprint()
    with pytest.raises(ProductionRefused) as raised:
        call()
    assert fingerprint() == before
    return raised.value.messages


def test_the_grid_refuses_hours_with_three_decimals_instead_of_rounding_them(world):
    """The importer refused 7.255 hours; the grid saved them as 7.26."""
    assert refused(lambda: grid(world, entry(world, "7.255"))) == [DECIMALS]

    grid(world, entry(world, "7.250"))  # two decimals, written with three

    assert list(ProductionRecord.objects.values_list("hours", flat=True)) == [Decimal("7.25")]


@pytest.mark.parametrize("change", [adjust_production, correct_production])
def test_an_adjustment_or_correction_refuses_hours_with_three_decimals(world, change):
    grid(world, entry(world, "4"))
    record = ProductionRecord.objects.get()
    if change is adjust_production:
        lock_production([record], "PR-1")
    note = {"reason": "Counted again"} if change is adjust_production else {"supervisor_note": ""}

    assert refused(
        lambda: change(
            record=record,
            hours=Decimal("7.255"),
            pieces=3,
            rejects=0,
            user=world.supervisor,
            **note,
        )
    ) == [DECIMALS]
    assert ProductionRecord.objects.get().hours == Decimal("4.00")


def test_a_day_entered_after_later_days_of_its_week_is_checked_against_the_whole_week(world):
    """Saturday 12 hours and Friday 12 with a reason (over 8 a day), then Thursday 8 and
    Wednesday 8 with none: the week holds 40, and Tuesday's 4 takes it to 44 with no reason
    asked, since Monday to Tuesday is only 4 hours."""
    for when, hours in ((5, "12"), (4, "12")):
        grid(world, entry(world, hours, when=when, note="Delivery deadline"), when=when)
    for when in (3, 2):
        grid(world, entry(world, "8", when=when), when=when)

    refused(lambda: grid(world, entry(world, "4", when=1), when=1))

    assert hours_problems() == []
