"""The supervisors' daily grid, used as a supervisor uses it: choose a workshop and a day, see
its workers and SKUs, save the day as a whole, correct and clear cells (each change logged)."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from tests.workshops.production_grid_checks import (
    cell,
    grid_inputs,
    grid_url,
    log_entries,
    page,
    records,
)
from workshops.models import ProductionRecord, Worker

pytestmark = pytest.mark.django_db


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
