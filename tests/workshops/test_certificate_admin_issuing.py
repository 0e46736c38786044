"""Issuing, revoking and reissuing certificates on the certificates' back office
(workshops.training.certificate_admin) through the operations of workshops.training.certificates,
and the add form listing the enrolments ready for a certificate first. Fixtures: the workshops
conftest."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.workshops.certificate_screens import (
    HOLDER,
    enrol,
    errors,
    log_of,
    message_buttons,
    message_text,
    recorded,
    url,
)
from workshops.models import Certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key")]


def test_a_programme_manager_issues_a_certificate_through_the_add_form(staff, programme, earned):
    response = programme.post(
        url("add"), {"enrolment": earned.pk, "holder_name": " Amina   B. ", "language": "fr"}
    )

    certificate = Certificate.objects.get()
    assert (response.status_code, response["Location"]) == (302, url("inspect", certificate.pk))
    assert (
        certificate.enrolment,
        certificate.holder_name,
        certificate.language,
        certificate.issued_on,
        certificate.issued_by,
        certificate.key_id,
        certificate.revoked_on,
        certificate.revocation_reason,
        certificate.superseded_by,
    ) == (
        earned,
        HOLDER,
        "fr",
        timezone.localdate(),
        staff["programme"],
        "test-2026",
        None,
        "",
        None,
    )
    assert certificate.content == {
        "version": 2,
        "certificate": certificate.public_id,
        "holder": HOLDER,
        "language": "fr",
        "qualification": "Garment maker",
        "qualification_code": "NVA-GM-2",
        "level": "EQF level 2",
        "awarding_body": "National Vocational Authority",
        "awarded_on": "2026-11-06",
        "translated": {"qualification": "Couturier confirmé"},
    }
    assert log_of(certificate) == [("bridgework.certificate_issued", "programme")]
    inspect = programme.get(response["Location"])
    assert inspect.status_code == 200
    assert [message_text(message) for message in inspect.context["messages"]] == [
        "Certificate issued to Amina B.."  # the name's own full stop, then the sentence's
    ]


def test_the_issued_message_offers_no_edit_button(programme, earned):
    programme.post(url("add"), {"enrolment": earned.pk, "holder_name": HOLDER, "language": "fr"})

    inspect = programme.get(url("inspect", Certificate.objects.get().pk))

    assert [message_buttons(message) for message in inspect.context["messages"]] == [[]]


@pytest.mark.parametrize(
    ("days", "outcome", "message"),
    [
        ((1,), "passed", "2.00 of the 4.00 hours the course requires were attended."),
        ((1, 2), "failed", "No passed assessment is recorded for this enrolment."),
        ((1, 2), None, "No passed assessment is recorded for this enrolment."),
    ],
    ids=["short-of-hours", "assessment-failed", "no-assessment"],
)
def test_issuing_is_refused_short_of_the_hours_or_without_a_passed_assessment(
    world, course, programme, days, outcome, message
):
    enrolment = enrol(world, course, world.workers[0], days=days, outcome=outcome)
    before = recorded()
    assert Certificate.objects.count() == 0

    response = programme.post(
        url("add"), {"enrolment": enrolment.pk, "holder_name": HOLDER, "language": "fr"}
    )

    assert response.status_code == 200
    assert errors(response) == [message]
    assert Certificate.objects.count() == 0
    assert recorded() == before


def test_a_second_certificate_in_force_is_refused_through_the_add_form(programme, certificate):
    before = recorded()

    response = programme.post(
        url("add"),
        {"enrolment": certificate.enrolment_id, "holder_name": "Other", "language": "en"},
    )

    assert response.status_code == 200
    assert errors(response) == [
        "A certificate of this enrolment is in force: reissue or revoke it instead."
    ]
    assert (Certificate.objects.count(), recorded()) == (1, before)


def test_revoking_records_the_date_and_reason_once(programme, certificate):
    today = timezone.localdate()

    response = programme.post(
        url("revoke", certificate.pk), {"reason": "Issued in error", "on": today.isoformat()}
    )

    assert (response.status_code, response["Location"]) == (302, url("inspect", certificate.pk))
    certificate.refresh_from_db()
    assert (certificate.revoked_on, certificate.revocation_reason) == (today, "Issued in error")
    assert log_of(certificate) == [
        ("bridgework.certificate_issued", "programme"),
        ("bridgework.certificate_revoked", "programme"),
    ]
    before = recorded()

    again = programme.post(
        url("revoke", certificate.pk), {"reason": "Again", "on": today.isoformat()}
    )

    assert again.status_code == 400
    assert errors(again) == ["This certificate is already revoked."]
    assert recorded() == before


@pytest.mark.parametrize(
    ("reason", "days_from_today", "message"),
    [
        ("Issued in error", 1, "A revocation cannot be dated in the future."),
        ("Issued in error", -1, "A certificate cannot be revoked before it is issued."),
        ("", 0, "This field is required."),
        ("   ", 0, "This field is required."),
    ],
    ids=["future", "before-issue", "no-reason", "blank-reason"],
)
def test_a_refused_revocation_changes_nothing(
    programme, certificate, reason, days_from_today, message
):
    on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    before = recorded()

    response = programme.post(
        url("revoke", certificate.pk), {"reason": reason, "on": on.isoformat()}
    )

    assert response.status_code == 400
    assert errors(response) == [message]
    assert recorded() == before


def test_reissuing_supersedes_the_old_certificate_once(programme, certificate):
    response = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )

    new = Certificate.objects.exclude(pk=certificate.pk).get()
    assert (response.status_code, response["Location"]) == (302, url("inspect", new.pk))
    certificate.refresh_from_db()
    assert certificate.superseded_by == new
    assert (new.enrolment_id, new.holder_name, new.language, new.superseded_by) == (
        certificate.enrolment_id,
        "Amina Haddad",
        "en",
        None,
    )
    assert (new.content["holder"], new.content["awarded_on"]) == ("Amina Haddad", "2026-11-06")
    assert log_of(certificate) == [
        ("bridgework.certificate_issued", "programme"),
        ("bridgework.certificate_superseded", "programme"),
    ]
    assert log_of(new) == [("bridgework.certificate_issued", "programme")]
    before = recorded()

    again = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina H.", "language": "en"}
    )

    assert again.status_code == 400
    assert errors(again) == ["This certificate was already reissued."]
    assert (Certificate.objects.count(), recorded()) == (2, before)


def test_a_revoked_certificate_is_not_reissued(staff, programme, certificate):
    programme.post(
        url("revoke", certificate.pk),
        {"reason": "Issued in error", "on": timezone.localdate().isoformat()},
    )
    before = recorded()

    response = programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )

    assert response.status_code == 400
    assert errors(response) == ["A revoked certificate cannot be reissued."]
    assert (Certificate.objects.count(), recorded()) == (1, before)


def test_the_add_form_lists_enrolments_ready_for_a_certificate_first(world, programme, earned):
    course = earned.course
    enrol(world, course, world.workers[1], days=(1,), outcome="")  # 2 of 4 hours, no assessment
    enrol(world, course, world.workers[2], days=(1,))  # 2 of 4 hours, assessment passed

    response = programme.get(url("add") + f"?enrolment={earned.pk}")

    document = BeautifulSoup(response.content, "html.parser")
    groups = [
        (group["label"], [option.get_text() for option in group.select("option")])
        for group in document.select("select[name=enrolment] optgroup")
    ]
    assert groups == [
        (
            "Ready for a certificate",
            ["W-000000 · Garment maker — ready: 4 hours, assessment passed"],
        ),
        (
            "Not yet ready",
            [
                "W-000001 · Garment maker — 2 of 4 hours, no passed assessment",
                "W-000002 · Garment maker — 2 of 4 hours, assessment passed",
            ],
        ),
    ]
    chosen = document.select_one("select[name=enrolment] option[selected]")
    assert chosen["value"] == str(earned.pk)
