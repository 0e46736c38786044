"""Ed25519 signatures over canonical content, with keys from configuration.

What is signed is a JSON object made canonical (``canonical_bytes``): keys sorted, no
insignificant whitespace, UTF-8, strings in Unicode NFC. Anyone with the published public key and
the canonical bytes can check a signature offline with any Ed25519 library; nothing here depends
on Bridgework. Signing keys come from configuration only, never from the database or a key made
at start-up (DESIGN.md, "Signing keys"): ``BRIDGEWORK_SIGNING_KEYS`` holds one key per line,
``<key id> <base64 of the 32-byte private seed>``, or ``BRIDGEWORK_SIGNING_KEYS_FILE`` names a file
of such lines. The first key signs; the others still verify what they signed (a retired key keeps
its signatures valid). ``manage.py make_signing_key`` writes a new line.

The ledger signs its checkpoints with keys of its own, kept the same way in
``BRIDGEWORK_LEDGER_KEYS`` or ``BRIDGEWORK_LEDGER_KEYS_FILE`` (``configured_ledger_keys``): a
certificate key and a ledger key are different secrets, held by different people.
"""

import base64
import json
import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ImproperlyConfigured


class SigningKeysMissing(ImproperlyConfigured):
    """No signing key is configured, or a line of the configuration cannot be read."""


class LedgerKeysMissing(SigningKeysMissing):
    """No ledger key is configured, or a line of its configuration cannot be read."""


@dataclass(frozen=True)
class Signature:
    key_id: str
    value: str  # base64 of the 64-byte Ed25519 signature


def _normalised(value):
    kind = type(value)  # the common exact types first: ledgers hash millions of values
    if kind is str:
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if kind is list:
        return [_normalised(item) for item in value]
    if kind is int or value is None:
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_normalised(key): _normalised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(item) for item in value]
    if value is None or isinstance(value, bool | int):
        return value
    raise TypeError(f"Only JSON text, numbers, lists and objects are signed, not {type(value)}")


def canonical_bytes(content: dict) -> bytes:
    """The exact bytes that are signed: the same content gives the same bytes, always."""
    return json.dumps(
        _normalised(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def canonical_bytes_of_built(content: dict) -> bytes:
    """``canonical_bytes(content)`` for content the caller built itself of text, integers, None,
    lists and objects, without floats (not checked here), from one C-speed dump instead of the
    walk that normalises each value: ledgers hash hundreds of thousands of journals and lines at
    a time. When the dump is NFC, so is every text in it (its quotes are normalisation boundaries;
    an escape such as ``\\n`` before a combining mark makes the dump not NFC, never the reverse),
    and keys sort the same; otherwise the walk decides."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text.encode()
    return canonical_bytes(content)


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def parse_keys(
    text: str, *, label: str = "Signing keys", missing: type = SigningKeysMissing
) -> dict[str, Ed25519PrivateKey]:
    """``<key id> <base64 seed>`` lines (blank lines and ``#`` comments ignored), in order."""
    keys = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            raise missing(f"{label}, line {number}: expected '<key id> <seed>'.")
        key_id, seed = parts
        try:
            raw = _b64decode(seed)
        except ValueError:
            raise missing(f"{label}, line {number}: not base64.") from None
        if len(raw) != 32:
            raise missing(f"{label}, line {number}: a seed is 32 bytes.")
        if key_id in keys:
            raise missing(f"{label}, line {number}: key id {key_id} twice.")
        keys[key_id] = Ed25519PrivateKey.from_private_bytes(raw)
    return keys


def _keys_from_environment(variable: str, *, label: str, missing: type):
    text = os.environ.get(variable, "")
    path = os.environ.get(f"{variable}_FILE", "")
    if not text and path:
        try:
            text = Path(path).read_text()
        except OSError as error:
            raise missing(f"{label} file {path}: {error.strerror}.") from None
    keys = parse_keys(text, label=label, missing=missing)
    if not keys:
        raise missing(
            f"No {label.lower()[:-1]} is configured: set {variable} or {variable}_FILE "
            "(python manage.py make_signing_key writes one)."
        )
    return keys


@cache
def configured_keys() -> dict[str, Ed25519PrivateKey]:
    """The configured certificate keys by id, the signing one first; ``SigningKeysMissing``
    when none."""
    return _keys_from_environment(
        "BRIDGEWORK_SIGNING_KEYS", label="Signing keys", missing=SigningKeysMissing
    )


@cache
def configured_ledger_keys() -> dict[str, Ed25519PrivateKey]:
    """The configured ledger keys by id, the one that signs checkpoints first;
    ``LedgerKeysMissing`` when none."""
    return _keys_from_environment(
        "BRIDGEWORK_LEDGER_KEYS", label="Ledger keys", missing=LedgerKeysMissing
    )


def new_key_line(key_id: str) -> str:
    """A configuration line for a new key (the only place a key is generated: on request)."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return f"{key_id} {base64.b64encode(seed).decode()}"


def sign(content: dict, *, keys: dict[str, Ed25519PrivateKey] | None = None) -> Signature:
    keys = keys if keys is not None else configured_keys()
    key_id, key = next(iter(keys.items()))
    value = key.sign(canonical_bytes(content))
    return Signature(key_id=key_id, value=base64.b64encode(value).decode())


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The 32-byte raw public key, base64: what is published."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_keys(*, keys: dict[str, Ed25519PrivateKey] | None = None) -> dict[str, str]:
    """Key id → base64 raw public key, for publishing at a stable address."""
    keys = keys if keys is not None else configured_keys()
    return {key_id: public_key_text(key) for key_id, key in keys.items()}


def verify(content: dict, signature: Signature, *, published: dict[str, str] | None = None) -> bool:
    """True when ``signature`` is a valid signature of ``content`` by the key it names, among
    ``published`` public keys (default: the configured ones). Never raises for bad input."""
    published = published if published is not None else public_keys()
    encoded = published.get(signature.key_id)
    if encoded is None:
        return False
    try:
        public = Ed25519PublicKey.from_public_bytes(_b64decode(encoded))
        public.verify(_b64decode(signature.value), canonical_bytes(content))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
