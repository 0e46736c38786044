"""The public certificate verification (workshops.training.verification): what an employer sees at
/verify/<id>/, the signed content and keys they can check offline, the neutral 404, the headers
that keep the pages out of search engines and caches, the rate limit, and that nothing on them
names the brand, a prison, a workshop or the holder's identity."""

import base64
import datetime
import json
import re
from decimal import Decimal

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.cache import cache
from django.urls import reverse

from core import signing
from tests.workshops.certificate_screens import pdf_text
from tests.workshops.production_builders import TODAY, day
from workshops.models import Assessment, Certificate, Course, Enrolment
from workshops.training.attendance import record_attendance
from workshops.training.certificates import (
    certificate_pdf,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
    verify_url,
)

pytestmark = pytest.mark.django_db

SEED = bytes(range(32))
RETIRED_SEED = bytes(range(32, 64))
ISSUED_ON = datetime.date(2026, 11, 10)
REVOKED_ON = datetime.date(2026, 11, 12)
HOLDER = "Amina B."  # the name the holder chose: not the worker's legal name
DETAILS = [
    ("Qualification", "Garment maker"),
    ("Qualification code", "NVA-GM-2"),
    ("Level", "EQF level 2"),
    ("Awarding body", "National Vocational Authority"),
    ("Awarded on", "November 6, 2026"),
]


def key_line(key_id: str, seed: bytes) -> str:
    return f"{key_id} {base64.b64encode(seed).decode()}"


def published_key(seed: bytes) -> str:
    raw = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return base64.b64encode(raw).decode()


@pytest.fixture(autouse=True)
def configure_keys(monkeypatch):
    """Sets BRIDGEWORK_SIGNING_KEYS to the given lines (the first signs); one key to start."""

    def configure(*lines):
        monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS", "\n".join(lines))
        signing.configured_keys.cache_clear()

    configure(key_line("test-2026", SEED))
    yield configure
    signing.configured_keys.cache_clear()


@pytest.fixture
def earned(world):
    """An enrolment with the course's 4 hours attended and an assessment passed on day(4)."""
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
    enrolment = Enrolment.objects.create(worker=world.workers[0], course=course, enrolled_on=day(0))
    for on in (day(1), day(2)):
        record_attendance(
            enrolment=enrolment,
            workshop=world.workshop,
            day=on,
            hours="2",
            trainer="A. Trainer",
            user=world.supervisor,
            today=TODAY,
        )
    Assessment.objects.create(
        enrolment=enrolment, assessed_on=day(4), outcome="passed", assessor="B. Assessor"
    )
    return enrolment


@pytest.fixture
def certificate(world, earned):
    return issue_certificate(
        enrolment=earned, holder_name=HOLDER, user=world.supervisor, on=ISSUED_ON
    )


def page_of(client, certificate):
    return client.get(reverse("certificate_verify", args=[certificate.public_id]))


def json_of(client, certificate):
    return client.get(reverse("certificate_json", args=[certificate.public_id]))


def verdict(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


def details(response) -> list[tuple[str, str]]:
    return re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", response.content.decode())


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


def offline_check(keys_document: dict, certificate_document: dict) -> bytes:
    """What an employer does with any Ed25519 library: rebuild the canonical bytes and check the
    signature with the published key; returns the canonical bytes, raises InvalidSignature."""
    signature = certificate_document["signature"]
    assert (keys_document["algorithm"], signature["algorithm"]) == ("Ed25519", "Ed25519")
    key = Ed25519PublicKey.from_public_bytes(
        base64.b64decode(keys_document["keys"][signature["key_id"]])
    )
    canonical = json.dumps(
        certificate_document["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    key.verify(base64.b64decode(signature["value"]), canonical)
    return canonical


def test_an_employer_verifies_the_downloads_offline_with_only_an_ed25519_library(
    client, certificate
):
    """Uses only cryptography, json and base64 on what the two public addresses return."""
    keys_document = client.get(reverse("certificate_keys")).json()
    document = json_of(client, certificate).json()

    canonical = offline_check(keys_document, document)

    assert canonical == document["canonical"].encode()
    altered = {**document, "content": {**document["content"], "level": "EQF level 3"}}
    with pytest.raises(InvalidSignature):
        offline_check(keys_document, altered)


def test_a_decomposed_accented_name_is_signed_composed_and_verifies_offline(world, client, earned):
    certificate = issue_certificate(
        enrolment=earned, holder_name="Ine\u0301s  Morales", user=world.supervisor, on=ISSUED_ON
    )

    document = json_of(client, certificate).json()
    certificate.refresh_from_db()
    assert certificate.content["holder"] == "In\u00e9s Morales"
    assert document["content"]["holder"] == "In\u00e9s Morales"
    canonical = offline_check(client.get(reverse("certificate_keys")).json(), document)
    assert canonical == document["canonical"].encode()
    assert "In\u00e9s Morales".encode() in canonical
    assert details(page_of(client, certificate))[0] == ("Name", "In\u00e9s Morales")


def test_the_name_on_the_certificate_record_is_stored_composed(world, earned):
    certificate = issue_certificate(
        enrolment=earned, holder_name="Ine\u0301s Morales", user=world.supervisor, on=ISSUED_ON
    )

    certificate.refresh_from_db()
    assert certificate.holder_name == "In\u00e9s Morales"


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


@pytest.fixture
def low_rate(settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    cache.clear()
    yield
    cache.clear()


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


def test_keys_json_publishes_the_raw_public_key_by_id(client):
    response = client.get(reverse("certificate_keys"))

    assert response.json() == {
        "algorithm": "Ed25519",
        "keys": {"test-2026": published_key(SEED)},
    }
    assert len(base64.b64decode(response.json()["keys"]["test-2026"])) == 32


def test_a_certificate_signed_by_a_retired_key_stays_valid(world, client, earned, configure_keys):
    configure_keys(key_line("test-2025", RETIRED_SEED))
    old = issue_certificate(
        enrolment=earned, holder_name=HOLDER, user=world.supervisor, on=ISSUED_ON
    )
    configure_keys(key_line("test-2026", SEED), key_line("test-2025", RETIRED_SEED))

    keys_document = client.get(reverse("certificate_keys")).json()
    assert keys_document == {
        "algorithm": "Ed25519",
        "keys": {"test-2026": published_key(SEED), "test-2025": published_key(RETIRED_SEED)},
    }
    assert verdict(page_of(client, old)) == "Valid certificate"
    document = json_of(client, old).json()
    assert (document["status"], document["signature"]["key_id"]) == ("valid", "test-2025")
    offline_check(keys_document, document)

    new = reissue_certificate(certificate=old, holder_name="Amina Haddad", user=world.supervisor)

    assert (old.key_id, new.key_id) == ("test-2025", "test-2026")
    assert [verdict(page_of(client, old)), verdict(page_of(client, new))] == [
        "Replaced certificate",
        "Valid certificate",
    ]


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


def lookup(client, typed, **extra):
    return client.get(reverse("certificate_lookup"), {"number": typed}, **extra)


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


def test_a_certificate_signed_before_translations_verifies_and_shows_what_it_signed(
    world, client, earned
):
    content = {
        "version": 1,
        "certificate": "A" * 24,
        "holder": HOLDER,
        "qualification": "Garment maker",
        "qualification_code": "garment-2",
        "level": "EQF level 2",
        "awarding_body": "National Vocational Authority",
        "awarded_on": "2026-11-06",
    }
    signature = signing.sign(content)
    certificate = Certificate.objects.create(
        public_id="A" * 24,
        enrolment=earned,
        holder_name=HOLDER,
        language="en",
        content=content,
        key_id=signature.key_id,
        signature=signature.value,
        issued_on=ISSUED_ON,
        issued_by=world.supervisor,
    )

    page = page_of(client, certificate)
    assert verdict(page) == "Valid certificate"
    assert details(page)[1:4] == [
        ("Qualification", "Garment maker"),
        ("Qualification code", "garment-2"),
        ("Level", "EQF level 2"),
    ]
