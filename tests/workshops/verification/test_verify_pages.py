"""What an employer sees at /verify/<id>/ (workshops.training.verification): a revoked or
replaced certificate, an altered record, the neutral 404, the headers that keep the pages out of
search engines and caches, and that nothing on them names the brand, a prison, a workshop or the
holder's identity."""

import base64
import json
import re

import pytest
from django.urls import reverse

from tests.workshops.verification.checks import (
    DETAILS,
    HOLDER,
    REVOKED_ON,
    details,
    json_of,
    page_of,
    verdict,
)
from workshops.models import Certificate
from workshops.training.certificates import (
    reissue_certificate,
    revoke_certificate,
    verify_url,
)

pytestmark = pytest.mark.django_db


def test_issued_then_revoked_the_page_says_so_with_the_date_but_not_the_reason(
    world, client, certificate
):
    valid = page_of(client, certificate)

    assert (valid.status_code, verdict(valid)) == (200, "Valid certificate")
    assert details(valid) == [
        ("Name", HOLDER),
        *DETAILS,
        ("Certificate number", certificate.public_id),
    ]
    assert json_of(client, certificate).json()["status"] == "valid"

    revoke_certificate(
        certificate=certificate, reason="Issued in error", user=world.supervisor, on=REVOKED_ON
    )

    revoked = page_of(client, certificate)
    html = revoked.content.decode()
    assert (revoked.status_code, verdict(revoked)) == (200, "Revoked certificate")
    assert "This certificate was revoked on November 12, 2026. It is no longer valid." in html
    assert "Issued in error" not in html
    assert "Valid certificate" not in html
    assert details(revoked) == [
        ("Name", HOLDER),
        *DETAILS,
        ("Certificate number", certificate.public_id),
    ]
    document = json_of(client, certificate).json()
    assert (document["status"], document["verify_url"]) == ("revoked", verify_url(certificate))
    assert "Issued in error" not in json.dumps(document)


def test_a_replaced_certificate_hides_the_old_name_and_links_to_the_new_one(
    world, client, certificate
):
    new = reissue_certificate(
        certificate=certificate, holder_name="Amina Haddad", user=world.supervisor
    )

    old_page = page_of(client, certificate)
    html = old_page.content.decode()
    assert (old_page.status_code, verdict(old_page)) == (200, "Replaced certificate")
    assert HOLDER not in html
    assert f'<a href="{verify_url(new)}">See the certificate that replaced it</a>' in html
    assert details(old_page) == [*DETAILS, ("Certificate number", certificate.public_id)]
    assert json_of(client, certificate).json()["status"] == "superseded"

    new_page = page_of(client, new)
    assert (new_page.status_code, verdict(new_page)) == (200, "Valid certificate")
    assert details(new_page) == [
        ("Name", "Amina Haddad"),
        *DETAILS,
        ("Certificate number", new.public_id),
    ]
    assert json_of(client, new).json()["status"] == "valid"


def test_a_replaced_certificate_does_not_publish_the_old_name_anywhere(world, client, certificate):
    reissue_certificate(certificate=certificate, holder_name="Amina Haddad", user=world.supervisor)

    assert HOLDER not in json_of(client, certificate).content.decode()


@pytest.mark.parametrize(
    "altered",
    [
        lambda certificate: {"content": {**certificate.content, "holder": "Someone Else"}},
        lambda certificate: {"signature": base64.b64encode(bytes(64)).decode()},
        lambda certificate: {"key_id": "unknown-key"},
    ],
    ids=["holder", "signature", "key"],
)
def test_an_altered_record_is_not_valid_and_shows_none_of_its_content(client, certificate, altered):
    Certificate.objects.filter(pk=certificate.pk).update(**altered(certificate))

    response = page_of(client, certificate)

    html = response.content.decode()
    assert (response.status_code, verdict(response)) == (200, "Certificate not valid")
    assert details(response) == []
    for shown in [
        HOLDER,
        "Someone Else",
        "Garment maker",
        "garment-2",
        "EQF level 2",
        "National Vocational Authority",
        "November 6, 2026",
        certificate.public_id,
    ]:
        assert shown not in html
    assert json_of(client, certificate).json()["status"] == "not_valid"


def test_malformed_unknown_and_other_addresses_get_the_same_neutral_404(client, certificate):
    last = certificate.public_id[-1]
    unknown = certificate.public_id[:-1] + ("A" if last != "A" else "B")  # well-formed, unknown
    paths = [
        "/verify/abc/",
        f"/verify/{unknown}/",
        f"/verify/{unknown}/certificate.json",
        "/verify/abc/certificate.json",
        "/verify/a/b/c",
    ]

    responses = [client.get(path) for path in paths]

    assert [response.status_code for response in responses] == [404] * len(paths)
    assert len({response.content for response in responses}) == 1
    assert verdict(responses[0]) == "No such certificate"
    assert [response.get("Location") for response in responses] == [None] * len(paths)


def test_every_answer_is_noindex_never_cached_and_sends_no_referrer(client, certificate):
    html_pages = [page_of(client, certificate), client.get("/verify/abc/")]
    documents = [json_of(client, certificate), client.get(reverse("certificate_keys"))]

    for response in html_pages + documents:
        assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
        assert (
            response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
        )
        assert response["Referrer-Policy"] == "no-referrer"
    for response in html_pages:
        assert '<meta name="robots" content="noindex, nofollow, noarchive">' in (
            response.content.decode()
        )
    assert [response["Content-Type"] for response in documents] == ["application/json"] * 2


def test_nothing_public_names_the_brand_the_prison_the_workshop_or_the_worker(
    world, client, certificate, settings
):
    worker = world.workers[0]
    page = page_of(client, certificate).content.decode()
    document = json_of(client, certificate).content.decode()
    assert worker.legal_name != HOLDER

    for private in [
        settings.WAGTAIL_SITE_NAME,
        world.workshop.prison.name,
        world.workshop.name,
        world.workshop.public_name,
        worker.reference,
        worker.prison_number,
        worker.legal_name,
    ]:
        assert private not in page
        assert private not in document
    assert re.findall(r'href="([^"]*)"', page) == [
        "/static/verify/verify.css",
        f"/verify/{certificate.public_id}/certificate.json",
        "/verify/keys.json",
    ]
