"""What a signed assessment does in ``workshops``: ``set_partner_fairness`` and
``set_workshop_fairness`` keep the status, the day it was signed and the assessment's reference
(an older assessment never replaces a newer one); a suspended partner's or workshop's refusal of
new assignments names the assessment; and work under way is recorded up to the working-time
policy's ``suspension_notice_days`` after the signing, not a day later.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.workshops.builders import D, build_partner, build_worker, build_workshop, contract_fields
from tests.workshops.production_builders import SINCE, build_world, csv_file
from tests.workshops.production_files import imported, line, refusal, rows
from workshops.models import Assignment, Consent, Partner, Workshop
from workshops.production.checks import Entry, check_entries
from workshops.register.admin import PartnerViewSet, WorkingTimePolicyViewSet, WorkshopViewSet
from workshops.register.assignments import assign_worker
from workshops.register.contracts import (
    create_contract,
    set_partner_fairness,
    set_workshop_fairness,
)

pytestmark = pytest.mark.django_db

SIGNED = D(2026, 10, 1)
LAST_DAY = D(2026, 10, 29)  # SIGNED + 28 days, the policy's default notice
TODAY = D(2026, 11, 26)  # the importer's today in production_files


def refused(message, operation, **kwargs):
    with pytest.raises(ValidationError) as error:
        operation(**kwargs)
    assert error.value.messages == [message]


def fairness_of(model, pk) -> tuple:
    return model.objects.filter(pk=pk).values_list(
        "fairness", "fairness_since", "fairness_assessment"
    )[0]


def log_data(action) -> list[dict]:
    return [entry.data for entry in ModelLogEntry.objects.filter(action=action).order_by("pk")]


# Setting the status


def test_a_partners_status_keeps_the_assessment_and_its_day_and_is_logged():
    acme = build_partner()

    partner = set_partner_fairness(
        partner=acme,
        fairness=Partner.Fairness.SUSPENDED,
        reason="Two critical findings open",
        assessment="AS-2026-0003",
        assessed_on=D(2026, 12, 4),
    )

    assert (partner.fairness, partner.fairness_since, partner.fairness_assessment) == (
        "suspended",
        D(2026, 12, 4),
        "AS-2026-0003",
    )
    assert fairness_of(Partner, acme.pk) == ("suspended", D(2026, 12, 4), "AS-2026-0003")
    assert log_data("bridgework.partner_fairness") == [
        {
            "from": "not_assessed",
            "to": "suspended",
            "reason": "Two critical findings open",
            "assessment": "AS-2026-0003",
            "on": "2026-12-04",
        }
    ]


def test_a_workshops_own_status_is_set_the_same_way():
    bakery = build_workshop()

    workshop = set_workshop_fairness(
        workshop=bakery,
        fairness=Workshop.Fairness.COMPLIANT,
        reason="",
        assessment="AS-2026-0007",
        assessed_on=D(2026, 11, 30),
    )

    assert (workshop.fairness, workshop.fairness_since, workshop.fairness_assessment) == (
        "compliant",
        D(2026, 11, 30),
        "AS-2026-0007",
    )
    assert fairness_of(Workshop, bakery.pk) == ("compliant", D(2026, 11, 30), "AS-2026-0007")
    assert log_data("bridgework.workshop_fairness") == [
        {
            "from": "not_assessed",
            "to": "compliant",
            "reason": "",
            "assessment": "AS-2026-0007",
            "on": "2026-11-30",
        }
    ]


def test_a_newer_or_same_day_assessment_supersedes_the_one_in_force():
    acme = build_partner()
    set_partner_fairness(
        partner=acme, fairness="suspended", assessment="AS-2026-0003", assessed_on=D(2026, 12, 4)
    )

    set_partner_fairness(
        partner=acme, fairness="compliant", assessment="AS-2026-0004", assessed_on=D(2026, 12, 4)
    )

    assert fairness_of(Partner, acme.pk) == ("compliant", D(2026, 12, 4), "AS-2026-0004")
    assert [data["to"] for data in log_data("bridgework.partner_fairness")] == [
        "suspended",
        "compliant",
    ]


def test_without_a_day_the_status_is_dated_today():
    acme = build_partner()

    set_partner_fairness(partner=acme, fairness="compliant")

    assert fairness_of(Partner, acme.pk) == ("compliant", timezone.localdate(), "")


@pytest.mark.parametrize(
    ("operation", "model", "argument", "builder", "message"),
    [
        (
            set_partner_fairness,
            Partner,
            "partner",
            build_partner,
            "Acme's fairness status was set by an assessment signed Dec 4, 2026; one signed "
            "Dec 3, 2026 is older and cannot replace it.",
        ),
        (
            set_workshop_fairness,
            Workshop,
            "workshop",
            build_workshop,
            "Workshop bakery-north's fairness status was set by an assessment signed Dec 4, "
            "2026; one signed Dec 3, 2026 is older and cannot replace it.",
        ),
    ],
    ids=["partner", "workshop"],
)
def test_an_older_assessment_cannot_replace_a_newer_one(
    operation, model, argument, builder, message
):
    subject = builder()
    operation(
        **{argument: subject},
        fairness="suspended",
        assessment="AS-2026-0003",
        assessed_on=D(2026, 12, 4),
    )
    logged = ModelLogEntry.objects.count()

    refused(
        message,
        operation,
        **{argument: subject},
        fairness="compliant",
        assessment="AS-2026-0002",
        assessed_on=D(2026, 12, 3),
    )

    assert fairness_of(model, subject.pk) == ("suspended", D(2026, 12, 4), "AS-2026-0003")
    assert ModelLogEntry.objects.count() == logged


def test_an_unknown_status_or_an_overlong_reference_is_refused():
    bakery = build_workshop()

    refused(
        "Unknown fairness status 'fair'.", set_workshop_fairness, workshop=bakery, fairness="fair"
    )
    refused(
        "An assessment reference has at most 40 characters.",
        set_workshop_fairness,
        workshop=bakery,
        fairness="compliant",
        assessment="A" * 41,
    )

    assert fairness_of(Workshop, bakery.pk) == ("not_assessed", None, "")
    assert ModelLogEntry.objects.count() == 0


# New assignments


@pytest.fixture
def bakery():
    return build_workshop()


@pytest.fixture
def worker(bakery):
    return build_worker(prison=bakery.prison, since=D(2026, 1, 1))


def test_no_new_assignment_to_a_suspended_partners_workshop_and_the_refusal_names_it(
    worker, bakery
):
    acme = build_partner()
    create_contract(workshop=bakery, **contract_fields(acme))
    set_partner_fairness(
        partner=acme, fairness="suspended", assessment="AS-2026-0003", assessed_on=D(2026, 12, 4)
    )

    refused(
        "Workshop bakery-north works under contract C-1 of Acme, which is suspended by "
        "assessment AS-2026-0003 signed Dec 4, 2026: no new assignments until the partner puts "
        "things right.",
        assign_worker,
        worker=worker,
        workshop=bakery,
        start=D(2026, 12, 7),
    )
    assert Assignment.objects.count() == 0


def test_no_new_assignment_to_a_suspended_workshop_even_from_an_older_copy_of_it(worker, bakery):
    set_workshop_fairness(
        workshop=bakery, fairness="suspended", assessment="AS-2026-0005", assessed_on=SIGNED
    )

    refused(
        "Workshop bakery-north is suspended by assessment AS-2026-0005 signed Oct 1, 2026: no new "
        "assignments until the workshop puts things right.",
        assign_worker,
        worker=worker,
        workshop=bakery,  # loaded before the status changed
        start=D(2026, 12, 7),
    )
    assert Assignment.objects.count() == 0


def test_a_suspension_set_without_an_assessment_still_refuses_in_plain_words(worker, bakery):
    Workshop.objects.filter(pk=bakery.pk).update(fairness="suspended")

    refused(
        "Workshop bakery-north is suspended: no new assignments until the workshop puts things "
        "right.",
        assign_worker,
        worker=worker,
        workshop=bakery,
        start=D(2026, 12, 7),
    )
    assert Assignment.objects.count() == 0


def test_action_required_does_not_stop_assignments(worker, bakery):
    set_workshop_fairness(
        workshop=bakery, fairness="action_required", assessment="AS-2026-0005", assessed_on=SIGNED
    )

    assign_worker(worker=worker, workshop=bakery, start=D(2026, 12, 7))

    assert Assignment.objects.count() == 1


# Work under way


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def suspended_partner(world):
    """Work at ``world.workshop`` is for Acme, with W-000000's consent, and Acme is suspended by
    an assessment signed on 1 October 2026."""
    acme = build_partner("acme")
    create_contract(workshop=world.workshop, **contract_fields(acme))
    Consent.objects.create(
        worker=world.workers[0], kind=Consent.Kind.WORK, partner=acme, signed_on=SINCE
    )
    set_partner_fairness(
        partner=acme, fairness="suspended", assessment="AS-2026-0003", assessed_on=SIGNED
    )
    return acme


def test_partner_work_on_the_last_day_of_notice_is_recorded(world, suspended_partner):
    imported(csv_file(line(when=LAST_DAY)))

    assert rows() == [
        (LAST_DAY, "W-000000", "tailoring-north", "SKU-A", "4.00", 0, 0, "sup", "", "", False)
    ]


def test_partner_work_the_day_after_the_notice_is_refused_naming_the_assessment(
    world, suspended_partner
):
    assert refusal(csv_file(line(when=LAST_DAY), line(when=LAST_DAY + datetime.timedelta(1)))) == [
        "Line 3: tailoring-north works under contract C-1 of Acme, which is suspended by "
        "assessment AS-2026-0003 signed Oct 1, 2026: work under way could be recorded until "
        "Oct 29, 2026, not on Oct 30, 2026."
    ]
    assert rows() == []


def test_the_workshops_own_suspension_ends_its_work_after_the_notice(world):
    set_workshop_fairness(
        workshop=world.workshop, fairness="suspended", assessment="AS-2026-0005", assessed_on=SIGNED
    )

    assert refusal(csv_file(line(when=D(2026, 10, 30)))) == [
        "Line 2: tailoring-north is suspended by assessment AS-2026-0005 signed Oct 1, 2026: "
        "work under way could be recorded until Oct 29, 2026, not on Oct 30, 2026."
    ]
    imported(csv_file(line(when=LAST_DAY)))
    assert [row[0] for row in rows()] == [LAST_DAY]


def test_the_notice_is_the_policys_in_force_on_the_day(world, suspended_partner):
    world.policy.suspension_notice_days = 0
    world.policy.save()

    assert refusal(csv_file(line(when=SIGNED + datetime.timedelta(1)))) == [
        "Line 2: tailoring-north works under contract C-1 of Acme, which is suspended by "
        "assessment AS-2026-0003 signed Oct 1, 2026: work under way could be recorded until "
        "Oct 1, 2026, not on Oct 2, 2026."
    ]
    imported(csv_file(line(when=SIGNED)))
    assert [row[0] for row in rows()] == [SIGNED]


def test_other_workshops_and_other_statuses_are_not_stopped(world, suspended_partner):
    set_workshop_fairness(
        workshop=world.crew,
        fairness="action_required",
        assessment="AS-2026-0006",
        assessed_on=SIGNED,
    )

    imported(csv_file(line(when=day_after_notice(), workshop="crew-north", sku="")))

    assert [row[:3] for row in rows()] == [(day_after_notice(), "W-000000", "crew-north")]


def day_after_notice() -> datetime.date:
    return LAST_DAY + datetime.timedelta(1)


def test_the_suspension_check_reads_nothing_per_entry(world, suspended_partner):
    """The partner comes with the contracts the checks load anyway, the notice with the
    policies, the workshop's own status with the entry's workshop: one entry or many, the same
    queries."""

    def queries(count):
        entries = [
            Entry(
                worker=world.workers[n % len(world.workers)],
                workshop=world.workshop,
                day=LAST_DAY + datetime.timedelta(n),
                sku=world.skus[0],
                hours=Decimal(1),
                supervisor=world.supervisor,
            )
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            check_entries(entries, today=TODAY)
        return len(captured)

    assert queries(1) == queries(6)


def test_the_policy_form_asks_for_the_suspension_notice_and_not_for_the_status():
    def fields(viewset):
        return set(viewset(name="x").get_edit_handler().get_form_class().base_fields)

    assert "suspension_notice_days" in fields(WorkingTimePolicyViewSet)
    for viewset in (PartnerViewSet, WorkshopViewSet):
        assert not fields(viewset) & {"fairness", "fairness_since", "fairness_assessment"}
