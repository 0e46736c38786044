"""What the certificates' back office (workshops.training.certificate_admin) shows: the PDF in
the holder's language naming no prison or brand, the listing's status of each certificate, and
no download of a certificate no longer in force. Fixtures: the workshops conftest."""

import pytest
from django.utils import timezone

from tests.workshops.certificate_screens import (
    HOLDER,
    listing,
    pdf_text,
    signed_in,
    url,
)
from workshops.models import Certificate
from workshops.training.certificates import verify_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key")]


def test_the_pdf_is_in_the_holders_language_and_names_no_prison_or_brand(
    world, programme, certificate, settings, tmp_path
):
    response = programme.get(url("pdf", certificate.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.public_id}.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    words = " ".join(text.split())
    joined = "".join(text.split())  # the narrow address column breaks lines anywhere
    assert "Amina B." in words
    assert "Couturier confirmé" in words
    assert "Date d’obtention : 6 novembre 2026" in words
    assert certificate.public_id in joined
    assert verify_url(certificate) in joined
    worker = world.workers[0]
    for absent in [
        "Garment maker",  # the qualification in English: the certificate is in French
        settings.WAGTAIL_SITE_NAME,
        world.workshop.prison.name,
        world.workshop.name,
        world.workshop.public_name,
        worker.reference,
        worker.prison_number,
        worker.legal_name,
    ]:
        assert absent not in words
        assert "".join(absent.split()) not in joined
    assert "prison" not in joined.lower()


def test_the_listing_shows_each_certificates_status(staff, programme, certificate):
    programme.post(
        url("reissue", certificate.pk), {"holder_name": "Amina Haddad", "language": "en"}
    )
    reissued = Certificate.objects.get(holder_name="Amina Haddad")
    programme.post(
        url("revoke", reissued.pk), {"reason": "Wrong name", "on": timezone.localdate().isoformat()}
    )
    programme.post(
        url("add"),
        {"enrolment": certificate.enrolment_id, "holder_name": "Amina H.", "language": "en"},
    )

    every = ["Inspect", "Verification page"]  # only a certificate in force is downloaded
    in_force = ["Inspect", "Download PDF", "Verification page"]
    assert listing(programme.get(url("index"))) == [
        ("Amina H.", "Valid", [*in_force, "Reissue", "Revoke"]),
        ("Amina Haddad", "Revoked", every),
        (HOLDER, "Replaced", every),
    ]
    assert listing(signed_in(staff["auditor"]).get(url("index"))) == [
        ("Amina H.", "Valid", in_force),
        ("Amina Haddad", "Revoked", every),
        (HOLDER, "Replaced", every),
    ]


def test_a_certificate_no_longer_in_force_is_not_downloaded(programme, certificate):
    programme.post(
        url("revoke", certificate.pk),
        {"reason": "Issued in error", "on": timezone.localdate().isoformat()},
    )

    response = programme.get(url("pdf", certificate.pk), follow=True)

    assert response.redirect_chain == [(url("inspect", certificate.pk), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The certificate of Amina B. is revoked.",
        "This certificate is not in force (Revoked): it cannot be downloaded.",
    ]
    assert b"Download PDF" not in response.content
