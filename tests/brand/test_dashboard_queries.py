"""The back office's home page takes a fixed number of queries for each role, however much waits:
counted after a warm-up request, with one waiting record and with more than a panel lists."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brand.dashboard import SHOWN, waiting_panels
from core.testing.twofactor import login_with_second_factor
from tests.brand.test_dashboard import enrol, payrun, user_in
from tests.workshops.production_builders import build_world
from workshops.models import Course, SafetyIncident

pytestmark = pytest.mark.django_db
D = datetime.date
MORE = SHOWN + 2
# Exact, after a warm-up: the same with one waiting record as with more than a panel lists.
SUPERVISOR_HOME = 25
FINANCE_HOME = 25  # one more since the overdue labour invoices
PROGRAMME_HOME = 24


def home_queries(client, user) -> int:
    login_with_second_factor(client, user)
    home = reverse("wagtailadmin_home")
    assert client.get(home).status_code == 200  # warm-up: caches, session, site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).status_code == 200
    return len(queries)


def waiting(user, title) -> int:
    [panel] = waiting_panels(user)
    return next(section.count for section in panel.sections if section.title == title)


def test_a_supervisors_home_takes_as_many_queries_for_one_open_incident_as_for_many(client):
    world = build_world(workers=1)

    def incident(n):
        SafetyIncident.objects.create(
            workshop=world.workshop,
            occurred_on=D(2026, 11, n),
            severity="first_aid",
            description="x",
        )

    incident(1)
    one = home_queries(client, world.supervisor)
    for n in range(2, MORE + 1):
        incident(n)
    assert home_queries(client, world.supervisor) == one == SUPERVISOR_HOME
    assert waiting(world.supervisor, "Safety incidents to follow up") == MORE


def test_a_finance_officers_home_takes_as_many_queries_for_one_run_as_for_many(client):
    world = build_world(workers=1)
    officer, other = user_in("finance", "officer"), user_in("finance", "other")

    def run(n):
        payrun(
            f"PR-{n}",
            world,
            status="calculated",
            calculated_by=other,
            created_by=other,
            end=D(2026, 11, n),
        )

    run(1)
    one = home_queries(client, officer)
    for n in range(2, MORE + 1):
        run(n)
    assert home_queries(client, officer) == one == FINANCE_HOME
    assert waiting(officer, "Pay runs waiting for your approval") == MORE


def test_a_programme_managers_home_takes_as_many_queries_for_one_ready_enrolment_as_for_many(
    client,
):
    world = build_world(workers=MORE)
    manager = user_in("programme", "manager")
    course = Course.objects.create(
        code="garment-2",
        trade=world.workshop.trade,
        qualification="Garment maker",
        level="EQF level 2",
        awarding_body="Authority",
        required_hours=Decimal(10),
        assessment="Practical test",
    )
    first, *others = world.workers
    enrol(world, first, course, Decimal(10))
    one = home_queries(client, manager)
    for worker in others:
        enrol(world, worker, course, Decimal(10))
    assert home_queries(client, manager) == one == PROGRAMME_HOME
    assert waiting(manager, "Ready for a certificate") == MORE
