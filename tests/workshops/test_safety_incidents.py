"""Safety incidents in the back office, kept by supervisors for their own workshops, and the
production listings' scope: a supervisor sees their workshops only, an auditor every workshop,
and nobody (the superuser included) adds, edits or deletes a production record there."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import build_worker_in, day
from workshops.models import ProductionRecord, SafetyIncident

pytestmark = pytest.mark.django_db
INCIDENTS = "/admin/workshops/safetyincident/"
RECORDS = "/admin/workshops/productionrecord/"
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def auditor_client(client, world):
    auditor = User.objects.create_user("auditor", password="x")
    auditor.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, auditor)
    return client


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def options(response, name) -> list[str]:
    return [option.get_text() for option in page(response).select(f"select[name={name}] option")]


def field_errors(response, name) -> list[str]:
    return [
        error.get_text(strip=True)
        for error in page(response).select(f"[data-contentpath={name}] [data-field-errors] p")
    ]


def form_errors(response) -> list[str]:
    return [
        error.get_text(strip=True) for error in page(response).select(".messages .errorlist li")
    ]


def listing(response) -> list[list[str]]:
    return [
        [
            cell.get_text(" ", strip=True)
            for cell in row.select("td")
            if not cell.select("input[type=checkbox]")  # a snippet listing's bulk-action column
        ]
        for row in page(response).select("table.listing tbody tr")
    ]


def incidents() -> list[tuple]:
    return list(
        SafetyIncident.objects.order_by("pk").values_list(
            "workshop__slug",
            "occurred_on",
            "severity",
            "worker__reference",
            "description",
            "follow_up",
            "followed_up_on",
            "reported_by__username",
        )
    )


def assert_refused(response) -> None:
    """Wagtail's refusal of a member of staff: back to the dashboard with its message."""
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def assert_not_found(client, url) -> None:
    """A 404 in the back office; the site's language middleware first sends it to the same path
    under the default language, where it is not found either."""
    response = client.get(url, follow=True)
    assert (response.status_code, response.redirect_chain) == (404, [(f"/en{url}", 302)])


def incident_data(workshop, **changes) -> dict:
    return {
        "workshop": workshop.pk,
        "occurred_on": "2026-11-04",
        "severity": "first_aid",
        "worker": "",
        "description": "Needle through a finger at the overlocker",
        "follow_up": "",
        "followed_up_on": "",
        **changes,
    }


@pytest.fixture
def three_incidents(world):
    """One in each workshop: the supervisor's two, and the other supervisor's."""
    return [
        SafetyIncident.objects.create(
            workshop=workshop, occurred_on=on, severity=severity, description=description
        )
        for workshop, on, severity, description in (
            (world.workshop, day(1), "first_aid", "Cut"),
            (world.crew, day(2), "near_miss", "Slipped on a wet floor"),
            (world.other, day(3), "lost_time", "Burn at the oven"),
        )
    ]


def test_a_supervisor_records_an_incident_for_their_workshop(supervisor_client, world):
    worker = world.workers[1]

    response = supervisor_client.post(
        f"{INCIDENTS}new/",
        incident_data(
            world.workshop,
            worker=worker.pk,
            follow_up="Guard fitted to the overlocker",
            followed_up_on="2026-11-06",
        ),
    )

    assert (response.status_code, response["Location"]) == (302, INCIDENTS)
    assert incidents() == [
        (
            "tailoring-north",
            day(2),
            "first_aid",
            "W-000001",
            "Needle through a finger at the overlocker",
            "Guard fitted to the overlocker",
            day(4),
            "sup",
        )
    ]


def test_the_form_offers_only_the_supervisors_workshops_and_their_workers(supervisor_client, world):
    build_worker_in([world.other], "W-000099")

    response = supervisor_client.get(f"{INCIDENTS}new/")

    assert response.status_code == 200
    assert options(response, "workshop") == [
        "---------",
        "Workshop crew-north",
        "Workshop tailoring-north",
    ]
    assert options(response, "worker") == ["---------", "W-000000", "W-000001", "W-000002"]


def test_an_incident_in_another_workshop_is_refused_by_the_form(supervisor_client, world):
    response = supervisor_client.post(f"{INCIDENTS}new/", incident_data(world.other))

    assert response.status_code == 200
    assert field_errors(response, "workshop") == [NOT_A_CHOICE]
    assert incidents() == []


def test_a_worker_of_another_workshop_is_refused_by_the_form(supervisor_client, world):
    stranger = build_worker_in([world.other], "W-000099")

    response = supervisor_client.post(
        f"{INCIDENTS}new/", incident_data(world.workshop, worker=stranger.pk)
    )

    assert response.status_code == 200
    assert field_errors(response, "worker") == [NOT_A_CHOICE]
    assert incidents() == []


def test_a_follow_up_before_the_incident_is_refused(supervisor_client, world):
    response = supervisor_client.post(
        f"{INCIDENTS}new/",
        incident_data(world.workshop, follow_up="Guard fitted", followed_up_on="2026-11-03"),
    )

    assert response.status_code == 200
    assert form_errors(response) == ["A follow-up cannot come before the incident."]
    assert incidents() == []


def test_a_follow_up_date_without_saying_what_it_was_is_refused(supervisor_client, world):
    response = supervisor_client.post(
        f"{INCIDENTS}new/", incident_data(world.workshop, followed_up_on="2026-11-06")
    )

    assert response.status_code == 200
    assert form_errors(response) == ["Say what the follow-up was."]
    assert incidents() == []


def test_the_supervisor_lists_only_their_workshops_incidents(
    supervisor_client, world, three_incidents
):
    response = supervisor_client.get(INCIDENTS)

    assert response.status_code == 200
    assert listing(response) == [
        ["Nov 4, 2026 Edit Copy Inspect", "Workshop crew-north", "Near miss", "", ""],
        ["Nov 3, 2026 Edit Copy Inspect", "Workshop tailoring-north", "First aid", "", ""],
    ]


def test_the_supervisor_edits_their_own_workshops_incident(
    supervisor_client, world, three_incidents
):
    incident = three_incidents[1]

    response = supervisor_client.post(
        f"{INCIDENTS}edit/{incident.pk}/",
        incident_data(
            world.crew,
            occurred_on="2026-11-04",
            severity="near_miss",
            description="Slipped on a wet floor",
            follow_up="Mats laid by the sink",
            followed_up_on="2026-11-05",
        ),
    )

    assert (response.status_code, response["Location"]) == (302, INCIDENTS)
    assert incidents()[1] == (
        "crew-north",
        day(2),
        "near_miss",
        None,
        "Slipped on a wet floor",
        "Mats laid by the sink",
        day(3),
        None,  # editing does not make the editor its reporter
    )


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history", "usage", "copy"])
def test_another_workshops_incident_is_not_found(supervisor_client, world, three_incidents, view):
    assert_not_found(supervisor_client, f"{INCIDENTS}{view}/{three_incidents[2].pk}/")


def test_another_workshops_incident_cannot_be_changed_or_deleted(
    supervisor_client, world, three_incidents
):
    foreign = three_incidents[2]
    before = incidents()

    edited = supervisor_client.post(
        f"{INCIDENTS}edit/{foreign.pk}/", incident_data(world.other, description="Rewritten")
    )
    deleted = supervisor_client.post(f"{INCIDENTS}delete/{foreign.pk}/")

    assert (edited.status_code, edited["Location"]) == (302, f"/en{INCIDENTS}edit/{foreign.pk}/")
    assert (deleted.status_code, deleted["Location"]) == (
        302,
        f"/en{INCIDENTS}delete/{foreign.pk}/",
    )
    assert incidents() == before


def test_an_auditor_lists_every_incident(auditor_client, world, three_incidents):
    response = auditor_client.get(INCIDENTS)

    assert response.status_code == 200
    assert listing(response) == [
        ["Nov 5, 2026 Inspect", "Workshop bakery-north", "Lost-time injury", "", ""],
        ["Nov 4, 2026 Inspect", "Workshop crew-north", "Near miss", "", ""],
        ["Nov 3, 2026 Inspect", "Workshop tailoring-north", "First aid", "", ""],
    ]


def test_an_auditor_cannot_add_or_edit_an_incident(auditor_client, world, three_incidents):
    before = incidents()

    assert_refused(auditor_client.get(f"{INCIDENTS}new/"))
    assert_refused(auditor_client.post(f"{INCIDENTS}new/", incident_data(world.workshop)))
    assert_refused(
        auditor_client.post(
            f"{INCIDENTS}edit/{three_incidents[0].pk}/",
            incident_data(world.workshop, description="Rewritten"),
        )
    )
    assert incidents() == before


# The production records listing.


@pytest.fixture
def three_records(world):
    """One record in each workshop, all by W-000000 (assigned to workshop and crew)."""
    worker = world.workers[0]
    return [
        ProductionRecord.objects.create(
            worker=worker,
            workshop=workshop,
            day=day(3),
            sku=sku,
            hours=Decimal(hours),
            pieces=pieces,
            supervisor=supervisor,
        )
        for workshop, sku, hours, pieces, supervisor in (
            (world.workshop, world.skus[0], "4.50", 12, world.supervisor),
            (world.crew, None, "2", 0, world.supervisor),
            (world.other, world.other.skus.get(), "1.25", 3, world.other_supervisor),
        )
    ]


def records() -> list[tuple]:
    return list(ProductionRecord.objects.order_by("pk").values_list("pk", "hours", "pieces"))


def test_the_supervisor_lists_only_their_workshops_records(supervisor_client, three_records):
    response = supervisor_client.get(RECORDS)

    assert response.status_code == 200
    assert listing(response) == [
        [
            "Nov 5, 2026 Inspect",
            "Workshop crew-north",
            "W-000000",
            "",
            "2.00",
            "0",
            "0",
            "",
            "False",
            "",
        ],
        [
            "Nov 5, 2026 Inspect",
            "Workshop tailoring-north",
            "W-000000",
            "SKU-A Product 0",
            "4.50",
            "12",
            "0",
            "",
            "False",
            "",
        ],
    ]


def test_an_auditor_lists_every_workshops_records(auditor_client, three_records):
    response = auditor_client.get(RECORDS)

    assert response.status_code == 200
    assert [row[1] for row in listing(response)] == [
        "Workshop bakery-north",
        "Workshop crew-north",
        "Workshop tailoring-north",
    ]


@pytest.fixture(params=["superuser", "supervisor", "auditor", "programme"])
def anyone_client(request, client, world):
    if request.param == "superuser":
        user = User.objects.create_superuser("root", password="x")
    elif request.param == "supervisor":
        user = world.supervisor
    else:
        user = User.objects.create_user(request.param, password="x")
        user.groups.add(sync_roles()[request.param])
    login_with_second_factor(client, user)
    return client


def test_nobody_adds_edits_or_deletes_a_production_record_in_the_admin(
    anyone_client, world, three_records
):
    record = three_records[0]
    before = records()
    posted = {"worker": record.worker_id, "workshop": record.workshop_id, "hours": "8"}

    assert_refused(anyone_client.get(f"{RECORDS}new/"))
    assert_refused(anyone_client.post(f"{RECORDS}new/", {**posted, "day": "2026-11-05"}))
    assert_refused(anyone_client.get(f"{RECORDS}edit/{record.pk}/"))
    assert_refused(anyone_client.post(f"{RECORDS}edit/{record.pk}/", posted))
    assert_refused(anyone_client.get(f"{RECORDS}delete/{record.pk}/"))
    assert_refused(anyone_client.post(f"{RECORDS}delete/{record.pk}/"))
    assert_not_found(anyone_client, f"{RECORDS}copy/{record.pk}/")  # no copy view
    # its own page reads it (compliance findings cite it as evidence), with no way to change it
    inspected = anyone_client.get(f"{RECORDS}inspect/{record.pk}/")
    assert inspected.status_code == 200
    assert page(inspected).select(f"a[href*='{RECORDS}edit/']") == []
    bulk_delete = f"/admin/bulk/workshops/productionrecord/delete/?id={record.pk}"
    anyone_client.post(bulk_delete)
    assert_not_found(anyone_client, bulk_delete)  # no bulk actions outside snippets
    assert records() == before


def test_the_records_listing_offers_no_way_to_add_or_edit(anyone_client, three_records):
    response = anyone_client.get(RECORDS)

    document = page(response)
    assert response.status_code == 200
    assert document.select(f"a[href^='{RECORDS}new/']") == []
    assert document.select(f"a[href*='{RECORDS}edit/']") == []
    assert document.select(f"a[href*='{RECORDS}delete/']") == []
