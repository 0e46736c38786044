"""The supervisors' daily grid, used as a supervisor uses it: choose a workshop and a day, fill in
the cells, save the day as a whole. Every refusal shows its exact message and saves nothing."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.formatting import format_day
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.production_builders import build_world, day
from workshops.models import ProductionRecord, Worker
from workshops.production import Entry, adjust_production, lock_production, save_grid

pytestmark = pytest.mark.django_db
DAY = day(3)  # Thursday 2026-11-05
# The request's session, user, second factor, permissions and profile (6); the view's workshop,
# permission check and grid (5); in save_grid its savepoint, permission check, the workers and the
# day's records locked (4), the checks (8, training hours among them), the INSERT, the audit log (3) and the release (1); the
# success message saved in the session (3).
QUERIES_TO_SAVE_A_GRID = 31


def grid_url(workshop, on=DAY) -> str:
    return f"/admin/production/{workshop.pk}/{on.isoformat()}/"


def cell(kind, worker, sku) -> str:
    return f"{kind}-{worker.pk}-{sku.pk if sku else 't'}"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def grid_inputs(response) -> dict[str, str]:
    return {
        field["name"]: field["value"] for field in page(response).select(".production-grid input")
    }


def version_of(response) -> str:
    return page(response).select_one("input[name=version]")["value"]


def problems(response) -> list[str]:
    return [item.get_text() for item in page(response).select("#problems li")]


def records() -> list[tuple]:
    return list(
        ProductionRecord.objects.order_by("worker__reference", "sku__code").values_list(
            "worker__reference",
            "sku__code",
            "hours",
            "pieces",
            "rejects",
            "supervisor__username",
            "supervisor_note",
            "breaches",
        )
    )


def log_entries(action=None) -> list[tuple]:
    entries = ModelLogEntry.objects.order_by("pk")
    if action is not None:
        entries = entries.filter(action=action)
    return list(entries.values_list("action", "object_id", "data", "user__username"))


def assert_refused(response) -> None:
    """Wagtail's refusal of a member of staff: back to the dashboard with its message."""
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_the_choose_form_lists_exactly_the_supervisors_workshops(supervisor_client, world):
    response = supervisor_client.get("/admin/production/")

    options = page(response).select("#id_workshop option")
    assert response.status_code == 200
    assert [(option["value"], option.get_text()) for option in options] == [
        ("", "---------"),
        (str(world.crew.pk), "Workshop crew-north"),
        (str(world.workshop.pk), "Workshop tailoring-north"),
    ]


def test_choosing_a_workshop_and_day_opens_its_grid(supervisor_client, world):
    response = supervisor_client.get(
        "/admin/production/", {"workshop": world.workshop.pk, "day": "2026-11-05"}
    )

    assert (response.status_code, response["Location"]) == (302, grid_url(world.workshop))


def test_choosing_another_supervisors_workshop_is_refused_by_the_form(supervisor_client, world):
    response = supervisor_client.get(
        "/admin/production/", {"workshop": world.other.pk, "day": "2026-11-05"}
    )

    assert response.status_code == 200
    assert page(response).select("[data-field-errors] p")[0].get_text(strip=True) == (
        "Select a valid choice. That choice is not one of the available choices."
    )


def test_the_grid_shows_the_assigned_workers_as_rows_and_the_skus_as_columns(
    supervisor_client, world
):
    Worker.objects.filter(pk=world.workers[0].pk).update(known_as="Amina")
    response = supervisor_client.get(grid_url(world.workshop))

    document = page(response)
    assert response.status_code == 200
    assert [th.get_text(" ") for th in document.select(".production-grid thead th")] == [
        "Worker",
        "Product 0 SKU-A · hours · pieces · rejects",
        "Product 1 SKU-B · hours · pieces · rejects",
        "Note",
    ]
    # The supervisor of this workshop knows the people in it: the reference, then the name the
    # workshop knows them by when the register has one; never the legal name.
    assert [th.get_text(" ") for th in document.select(".production-grid tbody th")] == [
        "W-000000 Amina",
        "W-000001",
        "W-000002",
    ]
    assert "Legal W-00000" not in response.content.decode()
    assert grid_inputs(response) == {
        **{
            cell(kind, worker, sku): ""
            for worker in world.workers
            for sku in world.skus
            for kind in "hpr"
        },
        **{f"note-{worker.pk}": "" for worker in world.workers},
    }


def test_a_time_only_workshop_has_an_hours_column_only(supervisor_client, world):
    response = supervisor_client.get(grid_url(world.crew))

    document = page(response)
    assert response.status_code == 200
    assert [th.get_text() for th in document.select(".production-grid thead th")] == [
        "Worker",
        "Hours",
        "Note",
    ]
    assert [th.get_text(" ") for th in document.select(".production-grid tbody th")] == [
        "W-000000",
        "W-000001",
    ]
    first, second = world.workers[:2]
    assert grid_inputs(response) == {
        cell("h", first, None): "",
        f"note-{first.pk}": "",
        cell("h", second, None): "",
        f"note-{second.pk}": "",
    }


def test_a_saved_grid_is_shown_again_with_its_values(supervisor_client, world):
    first, second, _third = world.workers
    sku_a, sku_b = world.skus

    response = supervisor_client.post(
        grid_url(world.workshop),
        {
            cell("h", first, sku_a): "4.50",
            cell("p", first, sku_a): "12",
            cell("r", first, sku_a): "1",
            cell("h", first, sku_b): "3",
            cell("p", first, sku_b): "5",
            cell("h", second, sku_b): "7.25",
            cell("p", second, sku_b): "",
            cell("r", second, sku_b): "",
        },
    )

    assert (response.status_code, response["Location"]) == (302, grid_url(world.workshop))
    assert records() == [
        ("W-000000", "SKU-A", Decimal("4.50"), 12, 1, "sup", "", ""),
        ("W-000000", "SKU-B", Decimal("3.00"), 5, 0, "sup", "", ""),
        ("W-000001", "SKU-B", Decimal("7.25"), 0, 0, "sup", "", ""),
    ]
    reopened = supervisor_client.get(grid_url(world.workshop))
    filled = {name: value for name, value in grid_inputs(reopened).items() if value}
    assert filled == {
        cell("h", first, sku_a): "4.50",
        cell("p", first, sku_a): "12",
        cell("r", first, sku_a): "1",
        cell("h", first, sku_b): "3.00",
        cell("p", first, sku_b): "5",
        cell("r", first, sku_b): "0",
        cell("h", second, sku_b): "7.25",
        cell("p", second, sku_b): "0",
        cell("r", second, sku_b): "0",
    }
    assert [message.get_text(strip=True) for message in page(reopened).select(".messages li")] == [
        "Saved Workshop tailoring-north on Nov 5, 2026: 3 new, 0 corrected, 0 removed."
    ]
    assert log_entries() == [
        (
            "bridgework.production_saved",
            str(world.workshop.pk),
            {"day": "2026-11-05", "rows": 3, "created": 3, "corrected": 0, "removed": 0},
            "sup",
        )
    ]


def test_a_time_only_grid_saves_hours(supervisor_client, world):
    first, second = world.workers[:2]

    response = supervisor_client.post(
        grid_url(world.crew), {cell("h", first, None): "6", cell("h", second, None): ""}
    )

    assert response.status_code == 302
    assert records() == [("W-000000", None, Decimal("6.00"), 0, 0, "sup", "", "")]
    assert grid_inputs(supervisor_client.get(grid_url(world.crew)))[cell("h", first, None)] == (
        "6.00"
    )


def test_a_correction_changes_the_record_and_logs_its_old_and_new_values(supervisor_client, world):
    first = world.workers[0]
    sku_a = world.skus[0]
    supervisor_client.post(
        grid_url(world.workshop),
        {
            cell("h", first, sku_a): "4.50",
            cell("p", first, sku_a): "12",
            cell("r", first, sku_a): "1",
        },
    )
    record = ProductionRecord.objects.get()

    response = supervisor_client.post(
        grid_url(world.workshop),
        {
            cell("h", first, sku_a): "5.25",
            cell("p", first, sku_a): "14",
            cell("r", first, sku_a): "0",
            f"note-{first.pk}": "Recount",
        },
    )

    assert response.status_code == 302
    assert records() == [("W-000000", "SKU-A", Decimal("5.25"), 14, 0, "sup", "Recount", "")]
    assert ProductionRecord.objects.get().pk == record.pk
    assert log_entries() == [
        (
            "bridgework.production_saved",
            str(world.workshop.pk),
            {"day": "2026-11-05", "rows": 1, "created": 1, "corrected": 0, "removed": 0},
            "sup",
        ),
        (
            "bridgework.production_saved",
            str(world.workshop.pk),
            {"day": "2026-11-05", "rows": 1, "created": 0, "corrected": 1, "removed": 0},
            "sup",
        ),
        (
            "bridgework.production_corrected",
            str(record.pk),
            {
                "old": {"hours": "4.50", "pieces": 12, "rejects": 1, "supervisor_note": ""},
                "new": {"hours": "5.25", "pieces": 14, "rejects": 0, "supervisor_note": "Recount"},
            },
            "sup",
        ),
    ]
    saved, corrected = ModelLogEntry.objects.order_by("pk")[1:]
    assert saved.uuid == corrected.uuid


def test_saving_the_same_values_again_corrects_nothing(supervisor_client, world):
    first = world.workers[0]
    sku_a = world.skus[0]
    data = {cell("h", first, sku_a): "4.50", cell("p", first, sku_a): "12"}
    supervisor_client.post(grid_url(world.workshop), data)

    response = supervisor_client.post(grid_url(world.workshop), data)

    assert response.status_code == 302
    assert records() == [("W-000000", "SKU-A", Decimal("4.50"), 12, 0, "sup", "", "")]
    assert [data for _action, _id, data, _user in log_entries()] == [
        {"day": "2026-11-05", "rows": 1, "created": 1, "corrected": 0, "removed": 0},
        {"day": "2026-11-05", "rows": 1, "created": 0, "corrected": 0, "removed": 0},
    ]


def test_clearing_a_cell_removes_its_record(supervisor_client, world):
    first = world.workers[0]
    sku_a, sku_b = world.skus
    supervisor_client.post(
        grid_url(world.workshop),
        {
            cell("h", first, sku_a): "4.50",
            cell("p", first, sku_a): "12",
            cell("h", first, sku_b): "2",
        },
    )
    removed = ProductionRecord.objects.get(sku=sku_a)

    response = supervisor_client.post(
        grid_url(world.workshop),
        {
            cell("h", first, sku_a): "",
            cell("p", first, sku_a): "",
            cell("r", first, sku_a): "",
            cell("h", first, sku_b): "2.00",
        },
    )

    assert response.status_code == 302
    assert records() == [("W-000000", "SKU-B", Decimal("2.00"), 0, 0, "sup", "", "")]
    assert log_entries()[1:] == [
        (
            "bridgework.production_saved",
            str(world.workshop.pk),
            {"day": "2026-11-05", "rows": 1, "created": 0, "corrected": 0, "removed": 1},
            "sup",
        ),
        (
            "bridgework.production_removed",
            str(removed.pk),
            {
                "old": {"hours": "4.50", "pieces": 12, "rejects": 0, "supervisor_note": ""},
                "new": None,
            },
            "sup",
        ),
    ]
    assert ModelLogEntry.objects.get(action="bridgework.production_removed").deleted is True


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
