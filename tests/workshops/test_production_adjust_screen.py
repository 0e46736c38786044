"""The adjust screen and the lock listing: a supervisor adjusts a locked record of their own
workshops on the screen (a refusal shown, nothing saved), and locks are listed as history to an
auditor and by workshop to a supervisor.
"""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.production_builders import build_world
from tests.workshops.production_lock_checks import DAY, state
from workshops.models import ProductionAdjustment, ProductionRecord
from workshops.production import lock_production, unlock_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


# The adjust screen.


@pytest.fixture
def locked_record(world, records):
    build_home()
    lock_production(records[:1], "PR-1")
    return records[0]


def adjust_url(record) -> str:
    return f"/admin/production/records/{record.pk}/adjust/"


ADJUSTMENT = {"hours": "5.25", "pieces": "14", "rejects": "0", "reason": "Two were not rejects"}


def test_the_adjust_screen_shows_the_records_values(client, world, locked_record):
    login_with_second_factor(client, world.supervisor)

    response = client.get(adjust_url(locked_record))

    form = BeautifulSoup(response.content, "html.parser").select_one("main form")
    assert response.status_code == 200
    assert {
        field["name"]: field.get("value") for field in form.select("input:not([type=hidden])")
    } == {
        "hours": "4.50",
        "pieces": "12",
        "rejects": "1",
    }


def test_the_supervisor_adjusts_a_locked_record_on_the_adjust_screen(client, world, locked_record):
    login_with_second_factor(client, world.supervisor)

    response = client.post(adjust_url(locked_record), ADJUSTMENT)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/production/{world.workshop.pk}/2026-11-05/",
    )
    assert list(
        ProductionAdjustment.objects.values_list(
            "record",
            "old_hours",
            "old_pieces",
            "old_rejects",
            "new_hours",
            "new_pieces",
            "new_rejects",
            "reason",
            "made_by__username",
        )
    ) == [
        (
            locked_record.pk,
            Decimal("4.50"),
            12,
            1,
            Decimal("5.25"),
            14,
            0,
            "Two were not rejects",
            "sup",
        )
    ]
    locked_record.refresh_from_db()
    assert (locked_record.hours, locked_record.pieces, locked_record.rejects) == (
        Decimal("5.25"),
        14,
        0,
    )


def test_the_adjust_screen_shows_a_refusal_and_saves_nothing(client, world, records):
    build_home()
    login_with_second_factor(client, world.supervisor)
    before = state()

    response = client.post(adjust_url(records[0]), ADJUSTMENT)

    assert response.status_code == 400
    errors = BeautifulSoup(response.content, "html.parser").select("main .help-critical p")
    assert [error.get_text() for error in errors] == [
        "This record is not locked: correct it in the grid instead of adjusting it."
    ]
    assert state() == before


def test_the_adjust_screen_is_refused_to_another_workshops_supervisor(client, world, locked_record):
    login_with_second_factor(client, world.other_supervisor)
    before = state()

    shown = client.get(adjust_url(locked_record))
    posted = client.post(adjust_url(locked_record), ADJUSTMENT)

    assert (shown.status_code, shown["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    assert state() == before


def test_an_auditor_lists_released_locks_as_history(client, world, records):
    build_home()
    auditor = User.objects.create_user("auditor", password="x")
    auditor.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, auditor)
    lock_production(records[:1], "PR-1")
    unlock_production("PR-1")
    lock_production(records[1:2], "PR-2")

    response = client.get("/admin/workshops/productionlock/")

    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert response.status_code == 200
    assert [row.select("td")[0].get_text(strip=True) for row in rows] == ["PR-2", "PR-1"]


def test_a_supervisor_lists_only_the_locks_over_their_workshops_records(client, world, records):
    """Scoped through the locked records: the other workshop's lock is not listed."""
    build_home()
    elsewhere = ProductionRecord.objects.create(
        worker=world.workers[2],
        workshop=world.other,
        day=DAY,
        sku=world.other.skus.get(),
        hours=Decimal("3.00"),
        pieces=5,
        supervisor=world.other_supervisor,
    )
    lock_production(records[:2], "PR-1")
    lock_production([elsewhere], "PR-2")
    login_with_second_factor(client, world.supervisor)

    response = client.get("/admin/workshops/productionlock/")

    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert response.status_code == 200
    assert [row.select("td")[0].get_text(strip=True) for row in rows] == ["PR-1"]
