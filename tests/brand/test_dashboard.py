"""The back office's home page says what waits for each role: exact counts, the records in
order, links to the waiting work; a role sees only its own panels."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from brand.dashboard import SHOWN, waiting_panels
from brand.roles import sync_roles
from core.formatting import format_day
from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import TODAY, build_worker_in, build_world
from wages.models import LedgerVerification, PayRun
from workshops.models import (
    Assessment,
    Consent,
    Contract,
    Course,
    Enrolment,
    FitnessClearance,
    ProductionRecord,
    SafetyIncident,
    Stock,
    TrainingAttendance,
)
from workshops.training.certificates import issue_certificate

pytestmark = pytest.mark.django_db
D = datetime.date


def user_in(role: str, username: str) -> User:
    user = User.objects.create_user(username, password="x", first_name=username.title())
    user.groups.add(sync_roles()[role])
    return User.objects.get(pk=user.pk)


def shown(panel):
    return {
        section.title: (section.count, [item.text for item in section.items])
        for section in panel.sections
    }


def panel_names(user):
    return [panel.name for panel in waiting_panels(user, TODAY)]


def test_a_supervisor_sees_unrecorded_days_open_follow_ups_and_stock_to_count():
    world = build_world()
    worker = world.workers[0]
    # TODAY is Thursday 26 November; the past week is the 19th to the 25th, Sunday the 22nd aside.
    for day in (
        D(2026, 11, 19),
        D(2026, 11, 20),
        D(2026, 11, 21),
        D(2026, 11, 23),
        D(2026, 11, 25),
    ):
        ProductionRecord.objects.create(
            worker=worker,
            workshop=world.workshop,
            day=day,
            sku=world.skus[0],
            hours=Decimal(6),
            supervisor=world.supervisor,
        )
    SafetyIncident.objects.create(
        workshop=world.workshop, occurred_on=D(2026, 11, 10), severity="first_aid", description="x"
    )
    SafetyIncident.objects.create(
        workshop=world.workshop,
        occurred_on=D(2026, 11, 11),
        severity="near_miss",
        description="y",
        follow_up="Guard fitted",
        followed_up_on=D(2026, 11, 12),
    )
    SafetyIncident.objects.create(
        workshop=world.other, occurred_on=D(2026, 11, 10), severity="serious", description="z"
    )
    Stock.objects.create(sku=world.skus[0], on_hand=5)

    [panel] = waiting_panels(world.supervisor, TODAY)

    tailoring, crew = world.workshop.name, world.crew.name
    assert shown(panel) == {
        "Days with no production recorded": (
            7,
            [
                f"{crew}: Nov 25, 2026",
                f"{crew}: Nov 24, 2026",
                f"{tailoring}: Nov 24, 2026",
                f"{crew}: Nov 23, 2026",
                f"{crew}: Nov 21, 2026",
            ],
        ),
        "Safety incidents to follow up": (1, [f"{tailoring}: first aid on Nov 10, 2026"]),
        "Stock to count": (1, [f"{tailoring}: never counted"]),
    }
    assert len(panel.sections[0].items) == SHOWN
    assert panel.sections[0].items[0].url == reverse(
        "production_grid", args=[world.crew.pk, "2026-11-25"]
    )
    assert panel.sections[2].items[0].url == reverse("stock_count", args=[world.workshop.pk])
    # The other supervisor's workshop has nobody assigned and no open incident of theirs.
    [other] = waiting_panels(world.other_supervisor, TODAY)
    assert shown(other)["Safety incidents to follow up"] == (
        1,
        [f"{world.other.name}: serious injury on Nov 10, 2026"],
    )
    assert shown(other)["Days with no production recorded"] == (0, [])


def payrun(reference, world, *, status, calculated_by, created_by, end, approved_by=None):
    return PayRun.objects.create(
        reference=reference,
        prison=world.workshop.prison,
        period_start=end.replace(day=1),
        period_end=end,
        status=status,
        currency="EUR",
        created_by=created_by,
        calculated_by=calculated_by,
        approved_by=approved_by,
    )


def test_finance_sees_runs_to_approve_its_own_runs_runs_to_post_and_overdue_runs():
    world = build_world(workers=1)
    first, second = user_in("finance", "first"), user_in("finance", "second")
    recent = D(2026, 11, 20)  # within a week of TODAY: not overdue
    payrun("PR-A", world, status="calculated", calculated_by=first, created_by=first, end=recent)
    payrun("PR-B", world, status="calculated", calculated_by=second, created_by=first, end=recent)
    payrun(
        "PR-C",
        world,
        status="approved",
        calculated_by=second,
        created_by=second,
        approved_by=first,
        end=recent,
    )
    payrun("PR-D", world, status="draft", calculated_by=None, created_by=first, end=D(2026, 10, 31))
    payrun(
        "PR-E", world, status="cancelled", calculated_by=None, created_by=first, end=D(2026, 9, 30)
    )
    prison = world.workshop.prison.name

    [panel] = waiting_panels(first, TODAY)

    assert shown(panel) == {
        "Pay runs waiting for your approval": (
            1,
            [f"PR-B, {prison}, Nov 1, 2026 to Nov 20, 2026"],
        ),
        "Runs you calculated, waiting for another officer": (
            1,
            [f"PR-A, {prison}, Nov 1, 2026 to Nov 20, 2026"],
        ),
        "Approved runs to post": (1, [f"PR-C, {prison}, Nov 1, 2026 to Nov 20, 2026"]),
        "Overdue: open more than a week after their period": (
            1,
            [f"PR-D, {prison}, Oct 1, 2026 to Oct 31, 2026"],
        ),
        "Overdue labour invoices": (0, []),
    }
    run_b = PayRun.objects.get(reference="PR-B")
    assert panel.sections[0].items[0].url.endswith(f"/{run_b.pk}/")
    assert shown(waiting_panels(second, TODAY)[0])["Pay runs waiting for your approval"][1] == [
        f"PR-A, {prison}, Nov 1, 2026 to Nov 20, 2026"
    ]


def enrol(world, worker, course, hours, *, passed=True):
    enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=D(2026, 9, 1))
    TrainingAttendance.objects.create(
        enrolment=enrolment,
        workshop=world.workshop,
        day=D(2026, 9, 2),
        hours=hours,
        trainer="T",
        recorded_by=world.supervisor,
    )
    if passed:
        Assessment.objects.create(
            enrolment=enrolment, assessed_on=D(2026, 9, 3), outcome="passed", assessor="A"
        )
    return enrolment


def test_a_programme_manager_sees_certificates_due_withdrawn_consents_and_clearances(signing_key):
    world = build_world(workers=4)
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
    w0, w1, w2, w3 = world.workers
    enrol(world, w0, course, Decimal(10))  # ready
    enrol(world, w1, course, Decimal("9.5"))  # short of the hours
    enrol(world, w2, course, Decimal(12), passed=False)  # no passed assessment
    issued = enrol(world, w3, course, Decimal(12))  # already certified
    issue_certificate(enrolment=issued, holder_name="Sam", user=manager, on=D(2026, 9, 10))

    partner = build_partner()
    Contract.objects.create(workshop=world.workshop, **contract_fields(partner))
    Consent.objects.create(
        worker=w1,
        kind="work",
        partner=partner,
        signed_on=D(2026, 1, 1),
        withdrawn_on=D(2026, 11, 20),
    )
    Consent.objects.create(  # withdrawn, then signed again: nothing waits
        worker=w2, kind="work", partner=partner, signed_on=D(2026, 1, 1), withdrawn_on=D(2026, 3, 1)
    )
    Consent.objects.create(worker=w2, kind="work", partner=partner, signed_on=D(2026, 3, 5))
    FitnessClearance.objects.filter(worker=w3).update(valid_until=D(2026, 12, 10))
    build_worker_in([world.crew], "W-NOCLEAR", cleared=False)

    [panel] = waiting_panels(manager, TODAY)

    assert shown(panel) == {
        "Ready for a certificate": (
            1,
            ["W-000000: Garment maker, 10 hours, assessment passed"],
        ),
        "Consent withdrawn, still assigned": (
            1,
            [
                "W-000001: consent to work for Acme withdrawn on Nov 20, 2026; work may be "
                "recorded until Nov 26, 2026"
            ],
        ),
        "Assigned without a fitness clearance in force": (
            2,
            ["W-000003: clearance ends on Dec 10, 2026", "W-NOCLEAR: no clearance in force"],
        ),
    }


def test_an_auditor_sees_the_last_verification_and_its_result():
    auditor = user_in("auditor", "auditor")
    [panel] = waiting_panels(auditor, TODAY)
    assert shown(panel) == {"Ledger verification": (1, ["The ledger has not been verified yet."])}
    assert panel.sections[0].items[0].url == reverse("ledger_verify")

    LedgerVerification.objects.create(
        run_by=auditor, journals=12, checkpoints=1, problems=[], seconds=Decimal("0.2")
    )
    today = format_day(timezone.localdate())
    assert shown(waiting_panels(auditor, TODAY)[0])["Ledger verification"] == (
        0,
        [f"Verified on {today} by Auditor: 12 journals, intact."],
    )

    LedgerVerification.objects.create(
        run_by=auditor, journals=12, checkpoints=1, problems=["a", "b"], seconds=Decimal("0.2")
    )
    assert shown(waiting_panels(auditor, TODAY)[0])["Ledger verification"] == (
        1,
        [f"Verified on {today} by Auditor: 2 problems found."],
    )


def test_each_role_sees_only_its_panels():
    world = build_world(workers=1)
    names = {role: user_in(role, f"{role}-1") for role in ("editor", "fulfilment", "auditor")}
    assert panel_names(world.supervisor) == ["waiting_supervisor"]
    assert panel_names(names["editor"]) == []
    assert panel_names(names["fulfilment"]) == []
    assert panel_names(names["auditor"]) == ["waiting_auditor"]
    assert panel_names(user_in("finance", "f")) == ["waiting_finance"]
    assert panel_names(user_in("programme", "p")) == ["waiting_programme"]


def test_the_home_page_shows_the_panel_with_its_links(client):
    world = build_world(workers=1)
    client.force_login(world.supervisor)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-panel="waiting_supervisor"' in body
    assert "Days with no production recorded" in body
    client.force_login(user_in("editor", "ed"))
    assert "bridgework-waiting" not in client.get(reverse("wagtailadmin_home")).content.decode()
