"""The choosers of workshop records (workshops.choosers on core.choosers): refused to a role with
no permission on the model, narrowed to a supervisor's workshops, closed where nothing chooses."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.workshops.production_builders import day
from workshops.models import SafetyIncident, Worker

pytestmark = pytest.mark.django_db
WORKERS = "/admin/workshops/worker/choose/"
INCIDENTS = "/admin/workshops/safetyincident/choose/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # how the chooser modal asks


def signed_in(client, role):
    user = User.objects.create_user(role, password="x")
    user.groups.add(sync_roles()[role])
    login_with_second_factor(client, user)
    return client


def rows(response) -> list[str]:
    """The titles the chooser modal lists."""
    html = json.loads(response.content)["html"]
    return [
        link.get_text(strip=True)
        for link in BeautifulSoup(html, "html.parser").select("tbody tr td.title a")
    ]


@pytest.fixture
def incidents(world):
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


@pytest.mark.parametrize("role", ["finance", "editor", "fulfilment"])
def test_a_role_with_no_permission_on_workers_is_refused_the_worker_chooser(client, world, role):
    worker = world.workers[0]
    client = signed_in(client, role)
    urls = [WORKERS, f"{WORKERS}results/?q=W-", f"{WORKERS}chosen/{worker.pk}/"]

    answers = [client.get(url) for url in urls]
    asked_by_the_modal = [client.get(url, **XHR).status_code for url in urls]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/admin/")] * 3
    assert asked_by_the_modal == [403, 403, 403]
    assert Worker.objects.count() == 3


def test_a_supervisor_is_refused_the_worker_chooser(supervisor_client, world):
    response = supervisor_client.get(WORKERS, **XHR)

    assert response.status_code == 403
    assert b"W-000000" not in response.content


def test_an_auditor_chooses_among_every_worker(client, world):
    client = signed_in(client, "auditor")

    response = client.get(WORKERS, **XHR)
    chosen = client.get(f"{WORKERS}chosen/{world.workers[2].pk}/", **XHR)

    assert response.status_code == 200
    assert rows(response) == ["W-000000", "W-000001", "W-000002"]
    assert json.loads(chosen.content)["result"]["title"] == "W-000002"


def test_a_supervisors_incident_chooser_lists_their_workshops_incidents_only(
    supervisor_client, world, incidents
):
    foreign = incidents[2]

    response = supervisor_client.get(INCIDENTS, **XHR)
    chosen = supervisor_client.get(f"{INCIDENTS}chosen/{incidents[0].pk}/", **XHR)
    not_theirs = supervisor_client.get(f"{INCIDENTS}chosen/{foreign.pk}/", follow=True, **XHR)
    several = supervisor_client.get(
        f"{INCIDENTS}chosen-multiple/?id={incidents[1].pk}&id={foreign.pk}", **XHR
    )

    assert rows(response) == [  # the latest first
        "Workshop crew-north 2026-11-04 near miss",
        "Workshop tailoring-north 2026-11-03 first aid",
    ]
    assert json.loads(chosen.content)["result"]["id"] == str(incidents[0].pk)
    assert (not_theirs.status_code, not_theirs.redirect_chain) == (
        404,  # the site's language middleware first retries the path under /en/
        [(f"/en{INCIDENTS}chosen/{foreign.pk}/", 302)],
    )
    assert [item["id"] for item in json.loads(several.content)["result"]] == [str(incidents[1].pk)]


def test_a_programme_manager_chooses_among_every_workshops_incidents(client, world, incidents):
    client = signed_in(client, "programme")

    response = client.get(INCIDENTS, **XHR)

    assert rows(response) == [
        "Workshop bakery-north 2026-11-05 lost-time injury",
        "Workshop crew-north 2026-11-04 near miss",
        "Workshop tailoring-north 2026-11-03 first aid",
    ]
