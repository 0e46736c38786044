"""What the supervisors' daily grid refuses: another supervisor's workshop, bad cells, a
future day, hours over the daily limit without a note. Every refusal shows its exact message and
saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.formatting import format_day
from tests.workshops.production_grid_checks import (
    DAY,
    assert_refused,
    cell,
    grid_inputs,
    grid_url,
    log_entries,
    page,
    problems,
    records,
)
from workshops.production import Entry, save_grid

pytestmark = pytest.mark.django_db


def test_another_workshops_grid_is_refused_to_a_supervisor(supervisor_client, world):
    response = supervisor_client.get(grid_url(world.other))

    assert_refused(response)


def test_posting_another_workshops_grid_saves_nothing(supervisor_client, world):
    other_sku = world.other.skus.get()
    worker = world.workers[0]

    response = supervisor_client.post(
        grid_url(world.other),
        {cell("h", worker, other_sku): "4", cell("p", worker, other_sku): "3"},
    )

    assert_refused(response)
    assert records() == []
    assert log_entries() == []


def test_save_grid_refuses_a_workshop_the_user_does_not_supervise(world):
    entry = Entry(
        worker=world.workers[0],
        workshop=world.other,
        day=DAY,
        sku=world.other.skus.get(),
        hours=Decimal(4),
        pieces=3,
    )

    with pytest.raises(PermissionDenied) as refused:
        save_grid(workshop=world.other, day=DAY, entries=[entry], user=world.supervisor)

    assert str(refused.value) == "You do not supervise Workshop bakery-north on Nov 5, 2026."
    assert records() == []
    assert log_entries() == []


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"h": "-1"}, ["W-000000 · Product 0 (SKU-A): -1 hours: hours are between 0 and 24."]),
        ({"h": "abc"}, ["W-000000 · Product 0 (SKU-A): hours “abc” is not a number."]),
        ({"h": "NaN"}, ["W-000000 · Product 0 (SKU-A): hours “NaN” is not a number."]),
        (
            {"h": "4.125"},
            ["W-000000 · Product 0 (SKU-A): hours “4.125” has more than two decimals."],
        ),
        (
            {"h": "25"},
            [
                "W-000000 · Product 0 (SKU-A): 25 hours: hours are between 0 and 24.",
                "W-000000 would have 25 hours on Nov 5, 2026: more than a day holds.",
            ],
        ),
        (
            {"h": "4", "p": "1.5"},
            ["W-000000 · Product 0 (SKU-A): pieces “1.5” is not a whole number."],
        ),
        (
            {"h": "4", "p": "-2"},
            [
                "W-000000 · Product 0 (SKU-A): -2 accepted pieces: a record holds a whole number from 0 to 10000."
            ],
        ),
        (
            {"h": "4", "r": "abc"},
            ["W-000000 · Product 0 (SKU-A): rejects “abc” is not a whole number."],
        ),
        ({"p": "3"}, ["W-000000 · Product 0 (SKU-A): Hours are missing."]),
    ],
    ids=[
        "negative",
        "abc",
        "nan",
        "three-decimals",
        "25-hours",
        "pieces-1.5",
        "negative-pieces",
        "rejects-abc",
        "no-hours",
    ],
)
def test_a_bad_cell_is_refused_with_its_message_and_nothing_is_saved(
    supervisor_client, world, cells, expected
):
    first, second, _third = world.workers
    sku_a, sku_b = world.skus
    data = {cell(kind, first, sku_a): value for kind, value in cells.items()}
    data[cell("h", second, sku_b)] = "3"

    response = supervisor_client.post(grid_url(world.workshop), data)

    assert response.status_code == 400
    assert problems(response) == expected
    assert page(response).select_one("#problems strong").get_text() == (
        f"Nothing was saved: {len(expected)} problem{'s' if len(expected) > 1 else ''}."
    )
    assert {name: value for name, value in grid_inputs(response).items() if value} == data
    assert records() == []
    assert log_entries() == []


def test_a_bad_cell_leaves_the_saved_day_as_it_was(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus
    supervisor_client.post(grid_url(world.workshop), {cell("h", first, sku_a): "4.50"})
    before = (records(), log_entries())

    response = supervisor_client.post(
        grid_url(world.workshop),
        {cell("h", first, sku_a): "5", cell("h", first, sku_b): "abc"},
    )

    assert response.status_code == 400
    assert problems(response) == ["W-000000 · Product 1 (SKU-B): hours “abc” is not a number."]
    assert (records(), log_entries()) == before


def test_a_future_day_is_refused(supervisor_client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first = world.workers[0]
    sku_a = world.skus[0]

    shown = supervisor_client.get(grid_url(world.workshop, tomorrow))
    response = supervisor_client.post(
        grid_url(world.workshop, tomorrow), {cell("h", first, sku_a): "4"}
    )

    assert page(shown).select_one(".help-warning").get_text() == (
        "This day is in the future: nothing can be recorded for it yet."
    )
    assert response.status_code == 400
    assert problems(response) == [
        f"W-000000 · Product 0 (SKU-A): {format_day(tomorrow)} is in the future."
    ]
    assert records() == []
    assert log_entries() == []


def test_hours_over_the_daily_limit_without_a_note_are_refused(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus

    response = supervisor_client.post(
        grid_url(world.workshop), {cell("h", first, sku_a): "5", cell("h", first, sku_b): "4"}
    )

    assert response.status_code == 400
    message = (
        "9 hours on Nov 5, 2026; the limit is 8.00 a day. Hours over the working-time limits "
        "need a reason in the supervisor's note."
    )
    assert problems(response) == [
        "W-000000 · Product 0 (SKU-A): " + message,
        "W-000000 · Product 1 (SKU-B): " + message,
    ]
    faults = page(response).select(".production-grid td.fault")
    assert [td.select_one("input")["name"] for td in faults] == [
        cell("h", first, sku_a),
        cell("h", first, sku_b),
    ]
    assert {i["aria-invalid"] for td in faults for i in td.select("input")} == {"true"}
    assert records() == []
    assert log_entries() == []


def test_hours_over_the_daily_limit_with_a_note_are_saved_with_the_breach(supervisor_client, world):
    first = world.workers[0]
    sku_a = world.skus[0]

    response = supervisor_client.post(
        grid_url(world.workshop),
        {cell("h", first, sku_a): "9", f"note-{first.pk}": "Order due; agreed with the worker"},
    )

    assert response.status_code == 302
    assert records() == [
        (
            "W-000000",
            "SKU-A",
            Decimal("9.00"),
            0,
            0,
            "sup",
            "Order due; agreed with the worker",
            "HOURS_DAY",
        )
    ]
    reopened = page(supervisor_client.get(grid_url(world.workshop)))
    assert [small.get_text() for small in reopened.select(".production-grid td small")] == [
        "Over the limits: daily hours"
    ]
    assert reopened.select_one(f"input[name=note-{first.pk}]")["value"] == (
        "Order due; agreed with the worker"
    )
