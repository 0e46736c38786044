"""Certificates: issued only for the hours and a passed assessment, signed, revoked, reissued;
tampering detected; verifiable offline with the published key; nothing about prison in them."""

import base64
import datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from core import signing
from core.signing import canonical_bytes
from tests.workshops.production_builders import TODAY, day
from workshops.models import Assessment, Certificate, Course, Enrolment
from workshops.training.attendance import record_attendance
from workshops.training.certificates import (
    Status,
    certificate_status,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key")]


@pytest.fixture
def enrolment(world):
    course = Course.objects.create(
        code="garment-2",
        trade=world.workshop.trade,
        qualification="Garment maker",
        qualification_code="NVA-GM-2",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )
    return Enrolment.objects.create(worker=world.workers[0], course=course, enrolled_on=day(0))


def attend(world, enrolment, *days):
    for on in days:
        record_attendance(
            enrolment=enrolment,
            workshop=world.workshop,
            day=on,
            hours="2",
            trainer="A. Trainer",
            user=world.supervisor,
            today=TODAY,
        )


def passed(enrolment):
    return Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(4), outcome="passed", assessor="B. Assessor"
    )


@pytest.fixture
def earned(world, enrolment):
    attend(world, enrolment, day(1), day(2))
    passed(enrolment)
    return enrolment


def issue(enrolment, user, name="Amina B."):
    return issue_certificate(
        enrolment=enrolment, holder_name=name, user=user, on=datetime.date(2026, 11, 10)
    )


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


def test_a_certificate_is_refused_without_the_hours_or_a_passed_assessment(world, enrolment):
    attend(world, enrolment, day(1))
    Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(3), outcome="failed", assessor="B. Assessor"
    )

    assert refusal(lambda: issue(enrolment, world.supervisor)) == [
        "2.00 of the 4.00 hours the course requires were attended.",
        "No passed assessment is recorded for this enrolment.",
    ]
    assert Certificate.objects.count() == 0


def test_an_issued_certificate_holds_signed_neutral_content(world, earned):
    certificate = issue(earned, world.supervisor)

    assert certificate.content == {
        "version": 2,
        "certificate": certificate.public_id,
        "holder": "Amina B.",
        "language": "en",
        "qualification": "Garment maker",
        "qualification_code": "NVA-GM-2",
        "level": "EQF level 2",
        "awarding_body": "National Vocational Authority",
        "awarded_on": "2026-11-06",
    }
    assert (certificate.key_id, len(certificate.public_id)) == ("test-2026", 24)
    assert certificate_status(certificate) == Status.VALID
    text = canonical_bytes(certificate.content).decode()
    worker = earned.worker
    for private in [worker.reference, worker.legal_name, worker.prison_number, "Prison", "prison"]:
        assert private not in text
    assert (
        ModelLogEntry.objects.filter(
            action="bridgework.certificate_issued", object_id=str(certificate.pk)
        ).count()
        == 1
    )


def test_a_second_certificate_in_force_is_refused(world, earned):
    issue(earned, world.supervisor)

    assert refusal(lambda: issue(earned, world.supervisor)) == [
        "A certificate of this enrolment is in force: reissue or revoke it instead."
    ]
    assert Certificate.objects.count() == 1


def test_issue_verify_revoke_verify(world, earned):
    certificate = issue(earned, world.supervisor)
    assert certificate_status(certificate) == Status.VALID

    revoke_certificate(
        certificate=certificate,
        reason="Issued in error",
        user=world.supervisor,
        on=datetime.date(2026, 11, 12),
    )

    certificate.refresh_from_db()
    assert certificate_status(certificate) == Status.REVOKED
    assert (certificate.revoked_on, certificate.revocation_reason) == (
        datetime.date(2026, 11, 12),
        "Issued in error",
    )
    assert refusal(
        lambda: revoke_certificate(certificate=certificate, reason="Again", user=world.supervisor)
    ) == ["This certificate is already revoked."]


def test_a_revocation_needs_a_reason_and_a_date_after_issue(world, earned):
    certificate = issue(earned, world.supervisor)

    assert refusal(
        lambda: revoke_certificate(certificate=certificate, reason=" ", user=world.supervisor)
    ) == ["A revocation needs a reason."]
    assert refusal(
        lambda: revoke_certificate(
            certificate=certificate,
            reason="Error",
            user=world.supervisor,
            on=datetime.date(2026, 11, 1),
        )
    ) == ["A certificate cannot be revoked before it is issued."]
    certificate.refresh_from_db()
    assert certificate_status(certificate) == Status.VALID


def test_reissue_supersedes_the_old_certificate(world, earned):
    old = issue(earned, world.supervisor)

    new = reissue_certificate(certificate=old, holder_name="Amina Benali", user=world.supervisor)

    old.refresh_from_db()
    assert (certificate_status(old), old.superseded_by) == (Status.SUPERSEDED, new)
    assert certificate_status(new) == Status.VALID
    assert (new.content["holder"], new.content["awarded_on"]) == ("Amina Benali", "2026-11-06")
    assert refusal(
        lambda: reissue_certificate(certificate=old, holder_name="X", user=world.supervisor)
    ) == ["This certificate was already reissued."]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c.content.update(level="EQF level 5"),
        lambda c: c.content.update(holder="Someone Else"),
        lambda c: setattr(c, "signature", base64.b64encode(bytes(64)).decode()),
        lambda c: setattr(c, "key_id", "unknown-key"),
        lambda c: c.content.update(certificate="another-id"),
    ],
    ids=["level", "holder", "signature", "key", "id"],
)
def test_altered_content_or_signature_is_not_valid(world, earned, tamper):
    certificate = issue(earned, world.supervisor)
    tamper(certificate)
    certificate.save()

    certificate.refresh_from_db()
    assert certificate_status(certificate) == Status.NOT_VALID


def test_an_employer_verifies_offline_with_the_published_key_and_the_content(world, earned):
    certificate = issue(earned, world.supervisor)
    published = signing.public_keys()[certificate.key_id]
    downloaded = canonical_bytes(certificate.content)

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published))
    key.verify(base64.b64decode(certificate.signature), downloaded)  # raises if not valid
