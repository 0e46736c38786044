"""The supervisors' daily grid against what is already saved: locked records, hours already
saved that day, a grid saved as shown, another save since the grid was opened, the queries of a
save whatever its size, and Sunday work noted. Every refusal shows its exact message and saves
nothing."""

from decimal import Decimal

import pytest

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.production_builders import build_world, day
from tests.workshops.production_grid_checks import (
    DAY,
    cell,
    grid_inputs,
    grid_url,
    log_entries,
    page,
    problems,
    records,
    version_of,
)
from workshops.models import ProductionRecord
from workshops.production import Entry, adjust_production, lock_production, save_grid

pytestmark = pytest.mark.django_db


# The request's session, user, second factor, permissions and profile (6); the view's workshop,
# permission check and grid (5); in save_grid its savepoint, permission check, the workers and the
# day's records locked (4), the checks (8, training hours among them), the INSERT, the audit log (3) and the release (1); the
# success message saved in the session (3).
QUERIES_TO_SAVE_A_GRID = 31


@pytest.fixture
def locked_record(supervisor_client, world):
    first = world.workers[0]
    sku_a = world.skus[0]
    supervisor_client.post(
        grid_url(world.workshop), {cell("h", first, sku_a): "4.50", cell("p", first, sku_a): "12"}
    )
    lock_production(ProductionRecord.objects.all(), "PR-1")
    return ProductionRecord.objects.get()


LOCKED = (
    "The record of W-000000 for SKU-A is locked by pay run PR-1: change it through a production "
    "adjustment."
)


def test_a_locked_record_is_shown_read_only_with_a_link_to_adjust_it(
    supervisor_client, world, locked_record
):
    response = supervisor_client.get(grid_url(world.workshop))

    document = page(response)
    first, sku_a = world.workers[0], world.skus[0]
    assert [field["name"] for field in document.select(".production-grid input[readonly]")] == [
        cell(kind, first, sku_a) for kind in "hpr"
    ]
    locked = document.select_one(".production-grid td.locked small")
    assert locked.get_text(" ", strip=True) == "Locked by pay run PR-1 · Adjust"
    assert locked.a["href"] == f"/admin/production/records/{locked_record.pk}/adjust/"


@pytest.mark.parametrize(
    "cells",
    [{"h": "5", "p": "12"}, {"h": "4.50", "p": "13"}, {"h": "", "p": ""}],
    ids=["hours", "pieces", "cleared"],
)
def test_a_locked_record_cannot_be_changed_or_removed_through_the_grid(
    supervisor_client, world, locked_record, cells
):
    first, sku_a = world.workers[0], world.skus[0]
    before = (records(), log_entries())

    response = supervisor_client.post(
        grid_url(world.workshop),
        {cell(kind, first, sku_a): value for kind, value in cells.items()},
    )

    assert response.status_code == 400
    assert problems(response) == [LOCKED]
    assert (records(), log_entries()) == before
    locked_record.refresh_from_db()
    assert locked_record.lock.reference == "PR-1"


def test_hours_already_saved_that_day_count_towards_the_daily_limit(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus
    supervisor_client.post(grid_url(world.workshop), {cell("h", first, sku_a): "5"})
    before = (records(), log_entries())

    response = supervisor_client.post(
        grid_url(world.workshop), {cell("h", first, sku_a): "5.00", cell("h", first, sku_b): "4"}
    )

    assert response.status_code == 400
    assert problems(response) == [
        "W-000000 · Product 1 (SKU-B): 9.00 hours on Nov 5, 2026; the limit is 8.00 a day. Hours over the working-time "
        "limits need a reason in the supervisor's note."
    ]
    assert (records(), log_entries()) == before


def test_hours_already_saved_that_day_count_towards_the_24_hours_of_a_day(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus
    note = {f"note-{first.pk}": "Night shift for the order"}
    supervisor_client.post(grid_url(world.workshop), {cell("h", first, sku_a): "20", **note})
    before = (records(), log_entries())

    response = supervisor_client.post(
        grid_url(world.workshop),
        {cell("h", first, sku_a): "20.00", cell("h", first, sku_b): "20", **note},
    )

    assert response.status_code == 400
    assert problems(response) == [
        "W-000000 would have 40.00 hours on Nov 5, 2026: more than a day holds."
    ]
    assert (records(), log_entries()) == before


def test_a_grid_saved_as_shown_changes_no_record(supervisor_client, world):
    """Records keep a note each (imported rows, adjustments); the grid shows one per worker."""
    first = world.workers[0]
    sku_a, sku_b = world.skus
    for sku, hours, note in ((sku_a, "9", "Order due"), (sku_b, "1", "")):
        ProductionRecord.objects.create(
            worker=first,
            workshop=world.workshop,
            day=DAY,
            sku=sku,
            hours=Decimal(hours),
            supervisor=world.supervisor,
            supervisor_note=note,
            breaches="HOURS_DAY" if note else "",
        )
    before = records()

    shown = grid_inputs(supervisor_client.get(grid_url(world.workshop)))
    response = supervisor_client.post(grid_url(world.workshop), shown)

    assert response.status_code == 302
    assert records() == before
    assert [data for _action, _id, data, _user in log_entries()] == [
        {"day": "2026-11-05", "rows": 2, "created": 0, "corrected": 0, "removed": 0}
    ]


def test_a_grid_saved_as_shown_after_an_adjustment_is_accepted(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus
    supervisor_client.post(
        grid_url(world.workshop), {cell("h", first, sku_a): "4.50", cell("h", first, sku_b): "2"}
    )
    lock_production(ProductionRecord.objects.all(), "PR-1")
    adjust_production(
        record=ProductionRecord.objects.get(sku=sku_a),
        hours="5",
        pieces=0,
        rejects=0,
        reason="Clocked out late",
        user=world.supervisor,
    )
    before = records()

    shown = grid_inputs(supervisor_client.get(grid_url(world.workshop)))
    response = supervisor_client.post(grid_url(world.workshop), shown)

    assert problems(response) == []
    assert response.status_code == 302
    assert records() == before


@pytest.mark.parametrize("workers", [10, 40])
def test_saving_a_full_grid_takes_the_same_number_of_queries_whatever_its_size(
    client, django_assert_num_queries, workers
):
    """grid.py: "saved in one request with a fixed number of queries whatever the grid's size"."""
    build_home()
    world = build_world(workers=workers, skus=5)
    login_with_second_factor(client, world.supervisor)
    data = {}
    for worker in world.workers:
        for sku in world.skus:
            data.update(
                {
                    cell("h", worker, sku): "1.50",
                    cell("p", worker, sku): "10",
                    cell("r", worker, sku): "1",
                }
            )
    assert client.get(grid_url(world.workshop)).status_code == 200

    with django_assert_num_queries(QUERIES_TO_SAVE_A_GRID):
        response = client.post(grid_url(world.workshop), data)

    assert response.status_code == 302
    assert ProductionRecord.objects.filter(hours=Decimal("1.50"), pieces=10, rejects=1).count() == (
        workers * 5
    )


def test_a_day_saved_by_someone_else_after_the_grid_was_opened_is_refused(supervisor_client, world):
    """The grid carries the version of the day it was opened at: a save over a day that changed
    since (two supervisors on one day) is refused instead of overwriting the other's entries."""
    worker, sku = world.workers[0], world.skus[0]
    opened_page = supervisor_client.get(grid_url(world.workshop))
    opened = {**grid_inputs(opened_page), "version": version_of(opened_page)}
    assert len(opened["version"]) == 32
    save_grid(
        workshop=world.workshop,
        day=DAY,
        entries=[Entry(worker=worker, workshop=world.workshop, day=DAY, sku=sku, hours=Decimal(5))],
        user=world.supervisor,
    )
    before = records()

    response = supervisor_client.post(
        grid_url(world.workshop),
        {**opened, cell("h", worker, sku): "7", cell("p", worker, sku): "9"},
    )

    assert response.status_code == 400
    assert problems(response) == [
        "Someone else saved this day after you opened it; open it again to see their entries, "
        "then make your changes."
    ]
    assert records() == before
    reopened = supervisor_client.get(grid_url(world.workshop))
    assert grid_inputs(reopened)[cell("h", worker, sku)] == "5.00"
    assert version_of(reopened) != opened["version"]


def test_work_recorded_on_a_sunday_is_noted(supervisor_client, world):
    sunday = day(6)  # 2026-11-08
    first, (sku_a, _sku_b) = world.workers[0], world.skus
    weekday = supervisor_client.get(grid_url(world.workshop))
    assert page(weekday).select(".help-warning") == []

    opened = supervisor_client.get(grid_url(world.workshop, sunday))
    assert [p.get_text() for p in page(opened).select(".help-warning")] == [
        "Sunday is the weekly rest day: work recorded on it is noted."
    ]
    supervisor_client.post(grid_url(world.workshop, sunday), {cell("h", first, sku_a): "4"})
    reopened = supervisor_client.get(grid_url(world.workshop, sunday))
    assert [message.get_text(strip=True) for message in page(reopened).select(".messages li")] == [
        "Saved Workshop tailoring-north on Nov 8, 2026: 1 new, 0 corrected, 0 removed. "
        "Work was recorded on a Sunday, the weekly rest day."
    ]
    assert records() == [("W-000000", "SKU-A", Decimal("4.00"), 0, 0, "sup", "", "")]
