"""Looking a certificate up by its number (workshops.training.verification): a missing trailing
slash, the form, the rate limit of the address and the form, and the qualification printed in the
holder's language on the page and the PDF."""

import pytest
from django.urls import reverse

from tests.workshops.certificate_screens import pdf_text
from tests.workshops.verification.checks import (
    HOLDER,
    ISSUED_ON,
    details,
    json_of,
    lookup,
    page_of,
    verdict,
)
from workshops.models import Course
from workshops.training.certificates import (
    certificate_pdf,
    issue_certificate,
)

pytestmark = pytest.mark.django_db


def test_a_fourth_check_in_a_minute_from_one_address_is_refused(client, certificate, low_rate):
    answers = [page_of(client, certificate) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[3]
    assert (refused["Retry-After"], verdict(refused)) == ("60", "Too many requests")
    assert refused["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert certificate.public_id not in refused.content.decode()
    other = client.get(
        reverse("certificate_verify", args=[certificate.public_id]), REMOTE_ADDR="192.0.2.7"
    )
    assert (other.status_code, verdict(other)) == (200, "Valid certificate")


def test_an_id_typed_without_the_trailing_slash_goes_to_its_page(client, certificate):
    typed = client.get(f"/verify/{certificate.public_id}")
    malformed = client.get("/verify/not-an-id")

    assert (typed.status_code, typed["Location"]) == (
        301,
        reverse("certificate_verify", args=[certificate.public_id]),
    )
    assert typed["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert malformed.status_code == 404
    assert malformed.content == client.get("/verify/a/b/c").content


def test_the_number_typed_in_the_form_gives_the_same_answer_as_the_address(client, certificate):
    form = client.get(reverse("certificate_lookup"))
    assert (form.status_code, verdict(form)) == (200, "Check a certificate")
    assert '<label for="number">Certificate number</label>' in form.content.decode()

    by_address = page_of(client, certificate)
    spaced = " ".join(certificate.public_id[i : i + 6] for i in range(0, 24, 6))
    pasted = f"https://verify.example.org/verify/{certificate.public_id}/"
    for typed in (certificate.public_id, f"  {spaced} ", pasted):
        answer = lookup(client, typed)
        assert (answer.status_code, verdict(answer)) == (200, "Valid certificate")
        assert answer.content == by_address.content
        assert answer["X-Robots-Tag"] == "noindex, nofollow, noarchive"
        assert answer["Cache-Control"] == by_address["Cache-Control"]


def test_an_unknown_number_is_a_neutral_404_with_the_form_and_the_number_escaped(
    client, certificate
):
    answer = lookup(client, '<script>alert("x")</script>')

    html = answer.content.decode()
    assert (answer.status_code, verdict(answer)) == (404, "No such certificate")
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in html
    assert 'aria-invalid="true"' in html
    assert certificate.holder_name not in html


def test_the_form_counts_against_the_same_rate_limit_as_the_address(client, certificate, low_rate):
    answers = [
        page_of(client, certificate),
        lookup(client, certificate.public_id),
        lookup(client, "unknown"),
        lookup(client, certificate.public_id),
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 404, 429]
    assert certificate.public_id not in answers[3].content.decode()


def test_the_page_and_the_pdf_print_the_qualification_in_the_holders_language(
    world, client, earned, tmp_path
):
    Course.objects.filter(pk=earned.course_id).update(
        qualification_translations={"fr": "Couturier", "ar": "خياط"},
        level_translations={"fr": "CEC niveau 2"},
        awarding_body_translations={"fr": "Autorité nationale de la formation"},
    )
    earned.refresh_from_db()
    certificate = issue_certificate(
        enrolment=earned, holder_name=HOLDER, language="fr", user=world.supervisor, on=ISSUED_ON
    )

    page = page_of(client, certificate)
    assert details(page) == [
        ("Name", HOLDER),
        ("Qualification", "Couturier"),
        ("Qualification code", "NVA-GM-2"),
        ("Level", "CEC niveau 2"),
        ("Awarding body", "Autorité nationale de la formation"),
        ("Awarded on", "November 6, 2026"),
        ("Certificate number", certificate.public_id),
    ]
    assert page.content.decode().count('<dd lang="fr">') == 3
    assert json_of(client, certificate).json()["content"]["translated"] == {
        "qualification": "Couturier",
        "level": "CEC niveau 2",
        "awarding_body": "Autorité nationale de la formation",
    }
    text = pdf_text(certificate_pdf(certificate), tmp_path)
    letters = "".join(text.split()).upper()  # the awarding body is set in spaced capitals
    for printed in ("Couturier", "CEC niveau 2", "Autorité nationale de la formation", "NVA-GM-2"):
        assert "".join(printed.split()).upper() in letters
    for original in ("Garment maker", "EQF level 2", "National Vocational Authority", "garment-2"):
        assert "".join(original.split()).upper() not in letters
