"""The signed content and keys of the public certificate verification
(workshops.training.verification), checked offline as an employer would: names signed composed, a
retired key still verifying, and a certificate signed before translations."""

import base64

import pytest
from cryptography.exceptions import InvalidSignature
from django.urls import reverse

from core import signing
from tests.workshops.verification.checks import (
    HOLDER,
    ISSUED_ON,
    RETIRED_SEED,
    SEED,
    details,
    json_of,
    key_line,
    offline_check,
    page_of,
    published_key,
    verdict,
)
from workshops.models import Certificate
from workshops.training.certificates import (
    issue_certificate,
    reissue_certificate,
)

pytestmark = pytest.mark.django_db


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
