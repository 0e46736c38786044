"""Ed25519 signatures over canonical content (core.signing): keys from configuration only, and a
signature anyone can check offline with the published key and the canonical bytes."""

import base64
import io

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from core import signing
from core.signing import Signature, SigningKeysMissing, canonical_bytes, parse_keys

SEED_A = base64.b64encode(bytes(range(32))).decode()
SEED_B = base64.b64encode(bytes(range(32, 64))).decode()
KEYS = parse_keys(f"# the signing key first\n2026-11 {SEED_A}\n\n2025-01 {SEED_B}\n")
CONTENT = {"qualification": "Boulanger·ère", "level": "EQF 3", "awarded_on": "2026-10-30"}


@pytest.fixture(autouse=True)
def fresh_configuration(monkeypatch):
    monkeypatch.delenv("BRIDGEWORK_SIGNING_KEYS", raising=False)
    monkeypatch.delenv("BRIDGEWORK_SIGNING_KEYS_FILE", raising=False)
    signing.configured_keys.cache_clear()
    yield
    signing.configured_keys.cache_clear()


def test_canonical_bytes_sort_keys_drop_whitespace_and_normalise_unicode():
    decomposed = {"b": "Cafe\u0301", "a": [1, True, None]}

    assert canonical_bytes(decomposed) == '{"a":[1,true,null],"b":"Café"}'.encode()
    assert canonical_bytes({"a": [1, True, None], "b": "Café"}) == canonical_bytes(decomposed)


@pytest.mark.parametrize(
    "content",
    [
        {"key": "payrun:PR-1:W-000001", "sequence": 3, "entries": [["a", "EUR", "-1.50"]]},
        {"b": "Cafe\u0301", "a": [1, True, None, {"z": "", "y": ["x"]}], "c": None},
        {"line": ["W-1", "7.00", 3, {"own": "2.10"}, [4, 5]]},
        {"memo": "Pay run PR-1 · W-000001", "chain": "payrun:PR-1"},
        {"note": "line\n\u0301", "tab": "\t\u0301", "quote": '"\u0301', "Cafe\u0301": 1},
        {"ang": "\u212b", "marks": "a\u0316\u0301", "é": "É"},
    ],
)
def test_canonical_bytes_of_built_content_are_the_canonical_bytes(content):
    assert signing.canonical_bytes_of_built(content) == canonical_bytes(content)


TEXT = st.text(alphabet=st.sampled_from('ae"\\\n\tnf\u0301\u0316\u0327\u212b\u00e9\u1e1f·'))
BUILT = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(TEXT, BUILT, max_size=5))
def test_canonical_bytes_of_any_built_content_are_the_canonical_bytes(content):
    """Text made of marks that compose, escapes and quotes, in keys and values."""
    assert signing.canonical_bytes_of_built(content) == canonical_bytes(content)


def test_canonical_bytes_refuse_floats():
    with pytest.raises(TypeError):
        canonical_bytes({"hours": 7.5})


def test_the_first_key_signs_and_every_configured_key_verifies():
    signature = signing.sign(CONTENT, keys=KEYS)
    published = signing.public_keys(keys=KEYS)

    assert signature.key_id == "2026-11"
    assert list(published) == ["2026-11", "2025-01"]
    assert signing.verify(CONTENT, signature, published=published)
    retired = Signature("2025-01", signing.sign(CONTENT, keys={"2025-01": KEYS["2025-01"]}).value)
    assert signing.verify(CONTENT, retired, published=published)


def test_altered_content_a_wrong_key_id_or_a_damaged_signature_do_not_verify():
    signature = signing.sign(CONTENT, keys=KEYS)
    published = signing.public_keys(keys=KEYS)

    assert not signing.verify({**CONTENT, "level": "EQF 4"}, signature, published=published)
    assert not signing.verify(CONTENT, Signature("2025-01", signature.value), published=published)
    assert not signing.verify(CONTENT, Signature("unknown", signature.value), published=published)
    assert not signing.verify(CONTENT, Signature("2026-11", "not base64!"), published=published)
    assert not signing.verify(CONTENT, Signature("2026-11", SEED_A), published=published)


def test_an_employer_verifies_offline_with_only_the_public_key_and_the_bytes():
    signature = signing.sign(CONTENT, keys=KEYS)
    public = signing.public_keys(keys=KEYS)[signature.key_id]
    downloaded = canonical_bytes(CONTENT)

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
    key.verify(base64.b64decode(signature.value), downloaded)  # raises if not valid


def test_keys_come_from_the_environment_or_a_file(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS", f"env-key {SEED_A}")
    assert list(signing.configured_keys()) == ["env-key"]

    signing.configured_keys.cache_clear()
    monkeypatch.delenv("BRIDGEWORK_SIGNING_KEYS")
    keys_file = tmp_path / "signing-keys"
    keys_file.write_text(f"file-key {SEED_B}\n")
    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS_FILE", str(keys_file))
    assert list(signing.configured_keys()) == ["file-key"]


def test_no_key_configured_is_an_error_never_a_key_made_on_the_spot(monkeypatch, tmp_path):
    with pytest.raises(SigningKeysMissing, match="No signing key is configured"):
        signing.sign(CONTENT)

    monkeypatch.setenv("BRIDGEWORK_SIGNING_KEYS_FILE", str(tmp_path / "missing"))
    signing.configured_keys.cache_clear()
    with pytest.raises(SigningKeysMissing, match="No such file or directory"):
        signing.configured_keys()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("only-an-id", "line 1: expected '<key id> <seed>'"),
        ("k not-base64!", "line 1: not base64"),
        (f"k {base64.b64encode(b'short').decode()}", "line 1: a seed is 32 bytes"),
        (f"k {SEED_A}\nk {SEED_B}", "line 2: key id k twice"),
    ],
)
def test_a_bad_configuration_line_is_refused_with_its_line(text, message):
    with pytest.raises(SigningKeysMissing, match=message):
        parse_keys(text)


def test_make_signing_key_prints_a_line_that_configures_a_key():
    out = io.StringIO()
    call_command("make_signing_key", "2026-12", stdout=out)

    keys = parse_keys(out.getvalue())
    assert list(keys) == ["2026-12"]
    assert signing.verify(
        CONTENT, signing.sign(CONTENT, keys=keys), published=signing.public_keys(keys=keys)
    )


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
        max_size=6,
    )
)
def test_any_json_content_signs_and_verifies(content):
    published = signing.public_keys(keys=KEYS)
    assert signing.verify(content, signing.sign(content, keys=KEYS), published=published)
