"""The operations that keep the compliance data: permission, refusals in words with nothing
saved, the audit log; and their admin forms, where a refusal shows on the form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.register.operations import (
    answer_grievance,
    save_declaration,
    save_grievance,
    save_inspection,
    save_insurance,
    save_thresholds,
)
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.compliance.office_builders import build_partner_world, staff

pytestmark = pytest.mark.django_db
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return build_partner_world()


@pytest.fixture
def programme():
    return staff("programme")


def logged(instance):
    return list(ModelLogEntry.objects.for_instance(instance).values_list("action", flat=True))


def cover(partner, start, end, **fields):
    return InsuranceCover(
        partner=partner,
        insurer=fields.pop("insurer", "Mutual"),
        policy_number=fields.pop("policy_number", "POL-1"),
        start=start,
        end=end,
        **fields,
    )


def test_an_inspection_is_recorded_changed_and_logged(world, programme):
    partner, _, _ = world
    inspection = save_inspection(
        user=programme,
        inspection=SafetyInspection(
            partner=partner, inspected_on=D(2026, 1, 5), inspector="Inspectorate", result="passed"
        ),
    )
    inspection.result, inspection.findings = "failed", "No guard on the saw."
    save_inspection(user=programme, inspection=inspection)

    assert SafetyInspection.objects.get().result == "failed"
    assert logged(inspection) == ["wagtail.edit", "wagtail.create"]


def test_a_failed_inspection_without_findings_is_refused_in_words(world, programme):
    partner, _, _ = world
    with pytest.raises(ValidationError) as refused:
        save_inspection(
            user=programme,
            inspection=SafetyInspection(
                partner=partner, inspected_on=D(2026, 1, 5), inspector="I", result="failed"
            ),
        )
    assert "Say what a failed inspection found." in refused.value.messages
    assert not SafetyInspection.objects.exists()


def test_an_auditor_may_not_keep_compliance_data(world):
    partner, _, _ = world
    with pytest.raises(PermissionDenied):
        save_declaration(
            user=staff("auditor"),
            declaration=InterestDeclaration(
                staff=staff("supervisor"), partner=partner, declared_on=D(2026, 1, 1)
            ),
        )
    assert not InterestDeclaration.objects.exists()


def test_a_declaration_is_recorded_and_one_declaring_an_interest_must_describe_it(world, programme):
    partner, _, _ = world
    supervisor = staff("supervisor")
    with pytest.raises(ValidationError) as refused:
        save_declaration(
            user=programme,
            declaration=InterestDeclaration(
                staff=supervisor, partner=partner, has_interest=True, declared_on=D(2026, 1, 1)
            ),
        )
    assert refused.value.messages == ["Describe the interest declared."]
    declaration = save_declaration(
        user=programme,
        declaration=InterestDeclaration(
            staff=supervisor, partner=partner, declared_on=D(2026, 1, 1)
        ),
    )
    assert logged(declaration) == ["wagtail.create"]


def test_an_overlapping_insurance_cover_is_refused_naming_the_other(world, programme):
    partner, _, _ = world
    first = save_insurance(user=programme, cover=cover(partner, D(2026, 1, 1), D(2026, 6, 30)))

    with pytest.raises(ValidationError) as refused:
        save_insurance(
            user=programme,
            cover=cover(partner, D(2026, 6, 30), D(2026, 12, 31), policy_number="POL-2"),
        )

    assert refused.value.messages == [
        "Acme is already insured for all of its work by Mutual (policy POL-1) from Jan 1, 2026 "
        "to Jun 30, 2026: covers of the same partner and placement never overlap."
    ]
    assert list(InsuranceCover.objects.values_list("pk", flat=True)) == [first.pk]


def test_covers_end_to_end_and_of_another_placement_are_recorded(world, programme):
    partner, workshop, _ = world
    save_insurance(user=programme, cover=cover(partner, D(2026, 1, 1), D(2026, 6, 30)))
    save_insurance(user=programme, cover=cover(partner, D(2026, 7, 1), D(2026, 12, 31)))
    save_insurance(
        user=programme, cover=cover(partner, D(2026, 1, 1), D(2026, 12, 31), workshop=workshop)
    )
    assert InsuranceCover.objects.count() == 3


def test_a_cover_changed_to_overlap_another_is_refused_and_unchanged(world, programme):
    partner, _, _ = world
    save_insurance(user=programme, cover=cover(partner, D(2026, 1, 1), D(2026, 6, 30)))
    later = save_insurance(user=programme, cover=cover(partner, D(2026, 7, 1), D(2026, 12, 31)))
    later.start = D(2026, 6, 1)
    with pytest.raises(ValidationError):
        save_insurance(user=programme, cover=later)
    assert InsuranceCover.objects.get(pk=later.pk).start == D(2026, 7, 1)


def test_a_grievance_is_recorded_and_answered(world, programme):
    partner, _, worker = world
    grievance = save_grievance(
        user=programme,
        grievance=Grievance(
            worker=worker,
            partner=partner,
            received_on=D(2026, 2, 1),
            subject="Overtime",
            category="pay",
        ),
    )
    answer_grievance(
        user=programme, grievance=grievance, answered_on=D(2026, 2, 1), outcome="Paid."
    )
    grievance.refresh_from_db()
    assert (grievance.answered_on, grievance.outcome) == (D(2026, 2, 1), "Paid.")
    assert logged(grievance) == ["bridgework.grievance_answered", "wagtail.create"]


def test_an_answer_dated_before_the_grievance_was_received_is_refused(world, programme):
    partner, _, worker = world
    grievance = save_grievance(
        user=programme,
        grievance=Grievance(
            worker=worker, partner=partner, received_on=D(2026, 2, 1), subject="S", category="pay"
        ),
    )
    with pytest.raises(ValidationError) as refused:
        answer_grievance(
            user=programme, grievance=grievance, answered_on=D(2026, 1, 31), outcome="Paid."
        )
    assert refused.value.message_dict == {
        "answered_on": [
            "The answer is dated Jan 31, 2026, before the grievance was received on Feb 1, 2026."
        ]
    }
    grievance.refresh_from_db()
    assert (grievance.answered_on, grievance.outcome) == (None, "")
    with pytest.raises(ValidationError):
        save_grievance(
            user=programme,
            grievance=Grievance(
                worker=worker,
                partner=partner,
                received_on=D(2026, 2, 1),
                subject="S",
                category="pay",
                answered_on=D(2026, 1, 1),
                outcome="x",
            ),
        )
    assert Grievance.objects.count() == 1


def thresholds(day, **fields):
    return ComplianceThresholds(effective_from=day, **fields)


def test_the_first_thresholds_may_take_effect_in_the_past_later_ones_only_after_today(programme):
    today = timezone.localdate()
    first = save_thresholds(user=programme, thresholds=thresholds(D(2025, 1, 1)))
    with pytest.raises(ValidationError) as refused:
        save_thresholds(user=programme, thresholds=thresholds(today, training_share=Decimal(12)))
    assert refused.value.message_dict["effective_from"][0].startswith(
        "A new version takes effect after today"
    )
    later = save_thresholds(
        user=programme, thresholds=thresholds(today + ONE_DAY, training_share=Decimal(12))
    )
    assert list(ComplianceThresholds.objects.values_list("pk", flat=True)) == [later.pk, first.pk]
    assert logged(later) == ["wagtail.create"]


def test_thresholds_in_force_are_never_edited_but_a_future_version_may_be(programme):
    today = timezone.localdate()
    in_force = save_thresholds(user=programme, thresholds=thresholds(D(2025, 1, 1)))
    in_force.gender_gap = Decimal(15)
    with pytest.raises(ValidationError) as refused:
        save_thresholds(user=programme, thresholds=in_force)
    assert refused.value.messages == [
        "The thresholds in effect from Jan 1, 2025 are in force: they never change. Add a new "
        "version from a later day."
    ]
    assert ComplianceThresholds.objects.get(pk=in_force.pk).gender_gap == Decimal(10)

    future = save_thresholds(user=programme, thresholds=thresholds(today + 7 * ONE_DAY))
    future.gender_gap = Decimal(15)
    save_thresholds(user=programme, thresholds=future)
    assert ComplianceThresholds.objects.get(pk=future.pk).gender_gap == Decimal(15)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"victims_fund_max": Decimal(120)},
            {"victims_fund_max": ["120 % is not a share: write 0 to 100 %."]},
        ),
        (
            {"victims_fund_min": Decimal(25), "victims_fund_max": Decimal(20)},
            {
                "victims_fund_max": [
                    "The victims' fund's greatest share (20 %) is below its least (25 %)."
                ]
            },
        ),
        (
            {"training_share": Decimal(-1)},
            {"training_share": ["-1 % is not a share: write 0 to 100 %."]},
        ),
    ],
)
def test_thresholds_out_of_their_sensible_range_are_refused_in_words(programme, fields, errors):
    with pytest.raises(ValidationError) as refused:
        save_thresholds(user=programme, thresholds=thresholds(D(2025, 1, 1), **fields))
    assert refused.value.message_dict == errors
    assert not ComplianceThresholds.objects.exists()


# The admin forms run the operations ---------------------------------------------------------


@pytest.fixture
def signed_in(client, programme):
    build_home()
    login_with_second_factor(client, programme)
    return client


def test_the_insurance_form_shows_the_overlap_and_saves_nothing(signed_in, world, programme):
    partner, _, _ = world
    save_insurance(user=programme, cover=cover(partner, D(2026, 1, 1), D(2026, 6, 30)))
    response = signed_in.post(
        "/admin/compliance/insurancecover/new/",
        {
            "partner": partner.pk,
            "insurer": "Other",
            "policy_number": "POL-9",
            "start": "2026-03-01",
            "end": "2026-09-30",
        },
    )
    assert response.status_code == 200
    assert "covers of the same partner and placement never overlap" in response.content.decode()
    assert InsuranceCover.objects.count() == 1


def test_the_grievance_form_refuses_an_answer_before_receipt(signed_in, world):
    partner, _, worker = world
    response = signed_in.post(
        "/admin/compliance/grievance/new/",
        {
            "worker": worker.pk,
            "partner": partner.pk,
            "received_on": "2026-03-02",
            "subject": "Rest day refused",
            "category": "hours",
            "answered_on": "2026-03-01",
            "outcome": "Answered",
        },
    )
    assert response.status_code == 200
    assert "before" in response.content.decode()
    assert not Grievance.objects.exists()


def test_the_thresholds_form_refuses_editing_a_version_in_force(signed_in, programme):
    version = save_thresholds(user=programme, thresholds=thresholds(D(2025, 1, 1)))
    response = signed_in.post(
        f"/admin/compliance/compliancethresholds/edit/{version.pk}/",
        {
            "effective_from": "2025-01-01",
            "training_share": "10",
            "gender_gap": "30",
            "grievance_answer_days": "30",
            "victims_fund_min": "5",
            "victims_fund_max": "20",
            "inspection_valid_days": "365",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "they never change" in response.content.decode()
    assert ComplianceThresholds.objects.get().gender_gap == Decimal(10)


def test_the_inspection_form_records_through_the_operation(signed_in, world):
    partner, _, _ = world
    response = signed_in.post(
        "/admin/compliance/safetyinspection/new/",
        {
            "partner": partner.pk,
            "inspected_on": "2026-01-05",
            "inspector": "Inspectorate",
            "result": "passed",
            "findings": "",
        },
    )
    assert response.status_code == 302
    inspection = SafetyInspection.objects.get()
    assert logged(inspection) == ["wagtail.create"]


def test_a_consent_signed_after_the_work_it_covers_keeps_its_real_date(world):
    """Recorded as signed, never back-dated: the CONSENT_BEFORE_WORK rule reports it."""
    from workshops.models import SKU, Consent, ProductionRecord
    from workshops.register.consents import record_consent

    _, workshop, worker = world
    ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=D(2026, 2, 2),
        sku=SKU.objects.create(code="SKU-1", name="Loaf", workshop=workshop),
        hours=Decimal(6),
        supervisor=staff("supervisor"),
    )
    consent = record_consent(
        worker=worker, kind="work", signed_on=D(2026, 2, 9), partner_slug="acme"
    )
    stored = Consent.objects.get(pk=consent.pk)
    assert (stored.signed_on, stored.recorded_on) == (D(2026, 2, 9), timezone.localdate())


def test_an_answer_entered_with_the_grievance_is_logged_as_its_answer(world, programme):
    partner, _, worker = world
    grievance = save_grievance(
        user=programme,
        grievance=Grievance(
            worker=worker, partner=partner, received_on=D(2026, 2, 1), subject="S", category="pay"
        ),
    )
    grievance.answered_on, grievance.outcome = D(2026, 2, 10), "Paid."
    save_grievance(user=programme, grievance=grievance)
    assert logged(grievance) == [
        "bridgework.grievance_answered",
        "wagtail.edit",
        "wagtail.create",
    ]
