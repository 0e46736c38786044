"""What the tests of the public certificate verification share: the signing keys' seeds and how
they are configured and published, the holder and the details shown, the pages and documents of a
certificate, and the offline check an employer makes with any Ed25519 library."""

import base64
import datetime
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.urls import reverse

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


def page_of(client, certificate):
    return client.get(reverse("certificate_verify", args=[certificate.public_id]))


def json_of(client, certificate):
    return client.get(reverse("certificate_json", args=[certificate.public_id]))


def verdict(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


def details(response) -> list[tuple[str, str]]:
    return re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", response.content.decode())


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


def lookup(client, typed, **extra):
    return client.get(reverse("certificate_lookup"), {"number": typed}, **extra)
