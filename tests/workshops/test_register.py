"""The register's refusals: each with a specific message, and nothing changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail import hooks
from wagtail.models import ModelLogEntry

from tests.workshops.builders import D, build_partner, build_worker, build_workshop, contract_fields
from workshops.models import (
    SKU,
    Assignment,
    Consent,
    Contract,
    DeductionCategory,
    Partner,
    Prison,
    Stay,
    WorkingTimePolicy,
)
from workshops.register.assignments import assign_worker, release_worker, transfer_worker
from workshops.register.consents import STORY_CONSENT_WITHDRAWN, record_consent, withdraw_consent
from workshops.register.contracts import contract_in_force, create_contract, set_partner_fairness

pytestmark = pytest.mark.django_db


def refused(message, operation, **kwargs):
    with pytest.raises(ValidationError) as error:
        operation(**kwargs)
    assert error.value.messages == [message]


@pytest.fixture
def bakery():
    return build_workshop()


@pytest.fixture
def worker(bakery):
    return build_worker(prison=bakery.prison, since=D(2026, 1, 1))


def test_an_assignment_within_a_stay_is_made_and_logged(worker, bakery):
    assignment = assign_worker(worker=worker, workshop=bakery, start=D(2026, 2, 1))

    assert (assignment.worker, assignment.workshop, assignment.start, assignment.end) == (
        worker,
        bakery,
        D(2026, 2, 1),
        None,
    )
    assert (
        ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(assignment.pk)).count()
        == 1
    )


def test_an_assignment_outside_the_workers_stay_is_refused(worker, bakery):
    refused(
        "W-000001 is not held at North Prison for the whole period Dec 1, 2025 to open; "
        "an assignment must fall within a stay there.",
        assign_worker,
        worker=worker,
        workshop=bakery,
        start=D(2025, 12, 1),
    )
    assert Assignment.objects.count() == 0


def test_an_assignment_overlapping_another_in_the_same_workshop_is_refused(worker, bakery):
    assign_worker(worker=worker, workshop=bakery, start=D(2026, 2, 1), end=D(2026, 3, 31))

    refused(
        "W-000001 is already assigned to Workshop bakery-north from Feb 1, 2026 to Mar 31, 2026.",
        assign_worker,
        worker=worker,
        workshop=bakery,
        start=D(2026, 3, 15),
    )
    assert Assignment.objects.count() == 1


def test_an_assignment_to_a_suspended_partners_workshop_is_refused(worker, bakery):
    partner = build_partner()
    create_contract(workshop=bakery, **contract_fields(partner))
    set_partner_fairness(
        partner=partner,
        fairness=Partner.Fairness.SUSPENDED,
        reason="audit",
        assessment="AS-2026-0003",
        assessed_on=D(2026, 12, 4),
    )

    refused(
        "Workshop bakery-north works under contract C-1 of Acme, which is suspended by "
        "assessment AS-2026-0003 signed Dec 4, 2026: no new assignments until the partner puts "
        "things right.",
        assign_worker,
        worker=worker,
        workshop=bakery,
        start=D(2026, 2, 1),
    )
    assert Assignment.objects.count() == 0


def test_overlapping_contracts_for_one_workshop_are_refused(bakery):
    partner = build_partner()
    first = create_contract(workshop=bakery, **contract_fields(partner, end=D(2026, 6, 30)))

    refused(
        "Workshop bakery-north already has contract C-1 in force from Jan 1, 2026 to Jun 30, 2026; "
        "a workshop has one contract at a time.",
        create_contract,
        workshop=bakery,
        **contract_fields(partner, reference="C-2", start=D(2026, 6, 1)),
    )
    second = create_contract(
        workshop=bakery, **contract_fields(partner, reference="C-2", start=D(2026, 7, 1))
    )
    assert list(Contract.objects.order_by("start")) == [first, second]
    assert contract_in_force(bakery, D(2026, 6, 30)) == first
    assert contract_in_force(bakery, D(2026, 7, 1)) == second
    assert contract_in_force(bakery, D(2025, 12, 31)) is None


def test_a_contract_without_any_rate_is_refused(bakery):
    fields = contract_fields(build_partner()) | {"hourly_rate": None}

    refused(
        "A contract pays an hourly rate, a piece rate or both.",
        create_contract,
        workshop=bakery,
        **fields,
    )
    assert Contract.objects.count() == 0


def test_a_consent_for_an_unknown_partner_is_refused(worker):
    refused(
        "No partner company has the slug 'nobody': a work consent names a known partner.",
        record_consent,
        worker=worker,
        kind=Consent.Kind.WORK,
        signed_on=D(2026, 1, 5),
        partner_slug="nobody",
    )
    assert Consent.objects.count() == 0


def test_a_late_consent_keeps_its_signing_date(worker):
    build_partner()
    DeductionCategory.objects.create(code="release-savings", name="Release savings")

    consent = record_consent(
        worker=worker,
        kind=Consent.Kind.WORK,
        signed_on=D(2026, 1, 5),
        partner_slug="acme",
        deduction_codes=("release-savings",),
    )

    assert consent.signed_on == D(2026, 1, 5)
    assert consent.recorded_on > consent.signed_on
    assert [c.code for c in consent.deduction_categories.all()] == ["release-savings"]
    assert consent.is_complete is False  # no signed document on file


def test_withdrawing_a_story_consent_calls_the_brands_hook(worker):
    consent = record_consent(worker=worker, kind=Consent.Kind.STORY, signed_on=D(2026, 1, 5))
    calls = []

    with hooks.register_temporarily(
        STORY_CONSENT_WITHDRAWN, lambda consent, user: calls.append(consent.pk)
    ):
        withdraw_consent(consent=consent, on=D(2026, 3, 1))

    assert calls == [consent.pk]
    assert Consent.objects.get().withdrawn_on == D(2026, 3, 1)
    refused(
        "This consent was already withdrawn on Mar 1, 2026.",
        withdraw_consent,
        consent=consent,
        on=D(2026, 4, 1),
    )


@pytest.mark.parametrize(
    ("day", "week", "message"),
    [
        ("25", "40", "The daily limit is more than 0 and at most 24 hours."),
        ("8", "57", "The weekly limit is more than 0 and at most 7 times the daily limit."),
    ],
)
def test_a_working_time_policy_beyond_the_limits_is_refused(day, week, message):
    policy = WorkingTimePolicy(
        effective_from=D(2026, 1, 1),
        max_hours_per_day=Decimal(day),
        max_hours_per_week=Decimal(week),
    )

    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert error.value.messages == [message]
    with pytest.raises(IntegrityError), transaction.atomic():
        policy.save()
    assert WorkingTimePolicy.objects.count() == 0


def test_an_sku_code_used_twice_is_refused(bakery):
    SKU.objects.create(code="BRD-001", name="Country loaf", workshop=bakery)
    twice = SKU(code="BRD-001", name="Another loaf", workshop=bakery)

    with pytest.raises(ValidationError) as error:
        twice.full_clean()
    assert error.value.messages == ["SKU with this Code already exists."]
    assert SKU.objects.count() == 1


def test_a_transfer_ends_the_stay_and_assignments_and_keeps_the_history(worker, bakery):
    south = Prison.objects.create(
        name="South Prison", slug="south", region=bakery.prison.region, population="women"
    )
    assign_worker(worker=worker, workshop=bakery, start=D(2026, 2, 1))

    transfer_worker(worker=worker, to_prison=south, on=D(2026, 5, 1))
    release_worker(worker=worker, on=D(2026, 9, 30))

    assert list(Stay.objects.values_list("prison__slug", "start", "end")) == [
        ("north-prison", D(2026, 1, 1), D(2026, 4, 30)),
        ("south", D(2026, 5, 1), D(2026, 9, 30)),
    ]
    assert list(Assignment.objects.values_list("start", "end")) == [(D(2026, 2, 1), D(2026, 4, 30))]
    worker.refresh_from_db()
    assert worker.release_date == D(2026, 9, 30)
