"""Tamper evidence that survives a writer of the database (issue 16, items 8 and 11): checkpoints
are signed with the ledger key from configuration, so a rewrite that recomputes every hash is
still found; anchors an auditor exported earlier find what signatures cannot (a checkpoint
deleted and its chain reopened); every malformed state is a named finding, never a traceback;
and verification streams the ledger in memory that does not grow with it. Runs on SQLite and on
PostgreSQL (the database's own refusals are in tests/postgres/test_ledger_database.py)."""

import base64
import datetime
import json
import tracemalloc
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from core.signing import LedgerKeysMissing, Signature, configured_ledger_keys, verify
from core.testing.database import raw, triggers_off
from wages.ledger import (
    Posting,
    checkpoint_hash,
    close_chain,
    export_anchors,
    journal_hash,
    open_chain,
    post_journal,
    post_journals,
    verify_ledger,
)
from wages.ledger.checks import ledger_keys_are_configured
from wages.ledger.hashing import checkpoint_content, ledger_public_keys
from wages.models import Account, Chain, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
ON = datetime.date(2026, 10, 31)
LEDGER_TABLES = ("wages_entry", "wages_journal", "wages_chain", "wages_checkpoint")
CHAINS = [("run-1", [1, 2, 3]), ("run-2", [4]), ("run-3", [5])]


@pytest.fixture
def accounts():
    return {
        code: Account.objects.create(code=code, name=code, kind=kind, currency="EUR")
        for code, kind in (("bank", "asset"), ("wages", "expense"))
    }


def build(accounts, *, extra=Decimal(0)):
    """run-1 (j-1, j-2, j-3), run-2 (j-4) and run-3 (j-5), closed in that order; j-1 pays
    ``extra`` more."""
    for name, numbers in CHAINS:
        chain = open_chain(name)
        for n in numbers:
            amount = Decimal(f"{n}0.00") + (extra if n == 1 else 0)
            post_journal(
                key=f"j-{n}",
                on=ON,
                lines=[(accounts["wages"], amount), (accounts["bank"], -amount)],
                memo="Pay",
                chain=chain,
            )
        close_chain(chain)


@pytest.fixture
def ledger(accounts):
    build(accounts)
    assert verify_ledger() == []
    return accounts


def everything():
    return {
        "journals": sorted(Journal.objects.values_list("key", "sequence", "hash")),
        "entries": sorted(Entry.objects.values_list("journal__key", "account__code", "amount")),
        "balances": sorted(Account.objects.values_list("code", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(Checkpoint.objects.values_list("sequence", "hash", "signature")),
    }


@pytest.fixture
def ledger_key(monkeypatch):
    """Sets the configured ledger keys for a while (``with ledger_key("id seed")``)."""

    class Keys:
        def __call__(self, line):
            self.line = line
            return self

        def __enter__(self):
            monkeypatch.setenv("BRIDGEWORK_LEDGER_KEYS", self.line)
            configured_ledger_keys.cache_clear()

        def __exit__(self, *exc):
            monkeypatch.undo()
            configured_ledger_keys.cache_clear()

    yield Keys()
    configured_ledger_keys.cache_clear()


ATTACKER_SEED = base64.b64encode(bytes(range(100, 132))).decode()


# Signed checkpoints


def test_each_checkpoint_is_signed_with_the_ledger_key(ledger):
    published = ledger_public_keys()

    for checkpoint in Checkpoint.objects.all():
        content = checkpoint_content(
            sequence=checkpoint.sequence,
            chain=checkpoint.chain_name,
            length=checkpoint.length,
            head=checkpoint.head,
            previous=checkpoint.previous,
        )
        assert (checkpoint.form, checkpoint.key_id) == (2, "test-ledger-key")
        assert checkpoint.hash == checkpoint_hash(**{k: v for k, v in content.items()})
        assert verify(
            content, Signature("test-ledger-key", checkpoint.signature), published=published
        )
    assert list(published) == ["test-ledger-key"]


def test_no_chain_is_closed_without_a_ledger_key(accounts, ledger_key):
    chain = open_chain("run-1")
    before = everything()

    with ledger_key(""), pytest.raises(LedgerKeysMissing) as missing:
        close_chain(chain)

    assert str(missing.value) == (
        "No ledger key is configured: set BRIDGEWORK_LEDGER_KEYS or BRIDGEWORK_LEDGER_KEYS_FILE "
        "(python manage.py make_signing_key writes one)."
    )
    assert everything() == before


def test_a_retired_key_still_verifies_what_it_signed(ledger, ledger_key):
    with ledger_key(
        f"new-key {ATTACKER_SEED}\ntest-ledger-key ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
    ):
        later = open_chain("run-4")
        close_chain(later)
        assert Checkpoint.objects.get(sequence=4).key_id == "new-key"
        assert verify_ledger() == []


def tamper_newest_journal(accounts, extra=Decimal(250)):
    """What a database writer could do past every trigger: pay j-5 ``extra`` more, and recompute
    its hash, its chain's head and its checkpoint's hash (the signature it cannot make)."""
    journal = Journal.objects.get(key="j-5")
    amount = Decimal("50.00") + extra
    digest = journal_hash(
        key="j-5",
        on=ON,
        memo="Pay",
        chain="run-3",
        sequence=1,
        previous="",
        reverses=None,
        entries=[("wages", "EUR", amount), ("bank", "EUR", -amount)],
    )
    checkpoint = Checkpoint.objects.get(sequence=3)
    with triggers_off(*LEDGER_TABLES):
        Entry.objects.filter(journal=journal, account=accounts["wages"]).update(amount=amount)
        Entry.objects.filter(journal=journal, account=accounts["bank"]).update(amount=-amount)
        Account.objects.filter(code="wages").update(balance=Decimal("100.00") + amount)
        Account.objects.filter(code="bank").update(balance=-Decimal("100.00") - amount)
        Journal.objects.filter(pk=journal.pk).update(hash=digest)
        Chain.objects.filter(name="run-3").update(head=digest)
        Checkpoint.objects.filter(pk=checkpoint.pk).update(
            head=digest,
            hash=checkpoint_hash(
                sequence=3, chain="run-3", length=1, head=digest, previous=checkpoint.previous
            ),
        )


def test_verify_finds_the_newest_journal_chain_head_and_checkpoint_recomputed(ledger):
    tamper_newest_journal(ledger)

    assert verify_ledger() == ["checkpoint 3: its signature does not match its content"]


def test_verify_finds_checkpoints_stripped_of_their_signatures(ledger):
    """Back to the unsigned first form, every hash recomputed: still named."""
    with triggers_off(*LEDGER_TABLES):
        previous = ""
        for checkpoint in Checkpoint.objects.order_by("sequence"):
            digest = checkpoint_hash(
                sequence=checkpoint.sequence,
                chain=checkpoint.chain_name,
                length=checkpoint.length,
                head=checkpoint.head,
                previous=previous,
                form=1,
            )
            Checkpoint.objects.filter(pk=checkpoint.pk).update(
                form=1, key_id="", signature="", previous=previous, hash=digest
            )
            previous = digest

    assert verify_ledger() == [
        "checkpoint 1: not signed",
        "checkpoint 2: not signed",
        "checkpoint 3: not signed",
    ]


def wipe():
    """Everything deleted, as the owner of the database could (no trigger stops the owner)."""
    with triggers_off(*LEDGER_TABLES):
        Entry.objects.all().delete()
        Journal.objects.all().delete()
        Checkpoint.objects.all().delete()
        raw("DELETE FROM wages_chain")
        Account.objects.update(balance=0)


@pytest.mark.parametrize(
    ("key_line", "finding"),
    [
        (
            f"attacker-key {ATTACKER_SEED}",
            "checkpoint {n}: signed with the ledger key attacker-key, which is not configured",
        ),
        (
            f"test-ledger-key {ATTACKER_SEED}",
            "checkpoint {n}: its signature does not match its content",
        ),
    ],
    ids=["own-key", "own-key-under-our-key-id"],
)
def test_verify_finds_the_whole_ledger_rewritten_with_recomputed_hashes(
    accounts, ledger_key, key_line, finding
):
    """The probe of issue 16: everything replaced with +250.00 for one worker, every hash and
    checkpoint recomputed by Bridgework's own code, but signed with a key other than ours."""
    build(accounts)
    anchors = export_anchors()
    wipe()
    with ledger_key(key_line):
        build(accounts, extra=Decimal("250.00"))

    assert verify_ledger() == [finding.format(n=n) for n in (1, 2, 3)]
    assert verify_ledger(anchors=anchors) == [
        finding.format(n=1),
        "anchor 1: checkpoint 1 differs from it in head, hash, signature",
        finding.format(n=2),
        "anchor 2: checkpoint 2 differs from it in hash, signature",
        finding.format(n=3),
        "anchor 3: checkpoint 3 differs from it in hash, signature",
    ]


# Anchors


def test_anchors_hold_every_checkpoint_and_the_public_keys(ledger):
    anchors = export_anchors()

    assert anchors["format"] == "bridgework-ledger-anchors/1"
    assert anchors["public_keys"] == ledger_public_keys()
    assert [
        (a["sequence"], a["chain"], a["length"], a["form"], a["key_id"])
        for a in anchors["checkpoints"]
    ] == [
        (1, "run-1", 3, 2, "test-ledger-key"),
        (2, "run-2", 1, 2, "test-ledger-key"),
        (3, "run-3", 1, 2, "test-ledger-key"),
    ]
    assert [(a["head"], a["hash"], a["signature"]) for a in anchors["checkpoints"]] == list(
        Checkpoint.objects.values_list("head", "hash", "signature")
    )
    assert verify_ledger(anchors=anchors) == []
    assert verify_ledger(anchors=json.loads(json.dumps(anchors))) == []


def test_anchors_find_the_last_checkpoint_deleted_and_its_chain_reopened(ledger):
    """Past every trigger and with no signature to break, only what the auditor kept outside
    the database tells that checkpoint 3 was there."""
    anchors = export_anchors()
    with triggers_off(*LEDGER_TABLES):
        Checkpoint.objects.filter(sequence=3).delete()
        Chain.objects.filter(name="run-3").update(closed_at=None)

    assert verify_ledger(anchors=anchors) == ["anchor 3: checkpoint 3 is missing"]


def test_verify_finds_a_chain_reopened_after_its_checkpoint(ledger):
    with triggers_off(*LEDGER_TABLES):
        Chain.objects.filter(name="run-2").update(closed_at=None)

    assert verify_ledger() == ["chain run-2: open again after its checkpoint 2"]


@pytest.mark.parametrize(
    ("document", "findings"),
    [
        ({"checkpoints": "none"}, ["anchors: not an anchors file (no list of checkpoints)"]),
        ("text", ["anchors: not an anchors file (no list of checkpoints)"]),
        (
            {"checkpoints": [{"sequence": 1}, 7]},
            [
                "anchors: entry 1 is not an anchor (it needs a sequence, chain, length, head and "
                "hash)",
                "anchors: entry 2 is not an anchor (it needs a sequence, chain, length, head and "
                "hash)",
            ],
        ),
        (
            [{"sequence": 9, "chain": "run-9", "length": 1, "head": "a", "hash": "b"}],
            ["anchor 9: checkpoint 9 is missing"],
        ),
    ],
    ids=["not-a-list", "not-an-object", "not-anchors", "an-anchor-beyond-the-database"],
)
def test_a_malformed_anchors_document_is_named_not_a_traceback(ledger, document, findings):
    assert verify_ledger(anchors=document) == findings


def test_the_command_checks_an_anchors_file(ledger, tmp_path, capsys):
    path = tmp_path / "anchors.json"
    path.write_text(json.dumps(export_anchors()))

    call_command("verify_ledger", "--anchors", str(path))
    assert capsys.readouterr().out == (
        "The ledger is intact: 5 journals, 3 checkpoints, 3 anchors.\n"
    )

    with triggers_off(*LEDGER_TABLES):
        Checkpoint.objects.filter(sequence=3).delete()
        Chain.objects.filter(name="run-3").update(closed_at=None)
    with pytest.raises(CommandError) as broken:
        call_command("verify_ledger", "--anchors", str(path))
    assert str(broken.value) == "The ledger is not intact: 1 problem(s)."
    assert capsys.readouterr().out == "anchor 3: checkpoint 3 is missing\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read the anchors file {path}: No such file or directory."),
        ("{not json", "The anchors file {path} is not JSON: "),
        ('{"checkpoints": 3}', "The anchors file {path} holds no list of checkpoints: "),
    ],
    ids=["missing", "not-json", "no-checkpoints"],
)
def test_the_command_refuses_an_unreadable_anchors_file_in_words(
    ledger, tmp_path, content, message
):
    path = tmp_path / "anchors.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError) as refused:
        call_command("verify_ledger", "--anchors", str(path))

    assert str(refused.value).startswith(message.format(path=path))


# Every malformed state is a named finding


@contextmanager
def undone():
    """What the test does inside is rolled back before the test ends: the database checks its
    foreign keys then, and the row that broke one must not be left behind."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_verify_names_a_deleted_chain_row_instead_of_a_key_error(ledger):
    """Before, the check died with a KeyError."""
    pk = Chain.objects.get(name="run-2").pk
    with undone(), triggers_off(*LEDGER_TABLES):
        if connection.vendor == "postgresql":  # past the foreign keys too, as a superuser can
            raw("SET LOCAL session_replication_role = replica")
        raw("DELETE FROM wages_chain WHERE id = %s", pk)
        if connection.vendor == "postgresql":
            raw("SET LOCAL session_replication_role = DEFAULT")

        assert verify_ledger() == [
            f"chain #{pk}: missing, though 1 journal(s) name it",
            "chain run-2 of checkpoint 2 is missing",
        ]


def test_verify_names_an_entry_whose_account_is_gone(ledger):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's foreign key refuses it even with the triggers off")
    bank = ledger["bank"].pk
    with undone():
        raw("DELETE FROM wages_account WHERE code = 'bank'")
        problems = verify_ledger()

    assert problems == [
        f"journal j-1: an entry's account {bank} does not exist",
        "journal j-1: its content does not match its hash",
        f"journal j-2: an entry's account {bank} does not exist",
        "journal j-2: its content does not match its hash",
        f"journal j-3: an entry's account {bank} does not exist",
        "journal j-3: its content does not match its hash",
        f"journal j-4: an entry's account {bank} does not exist",
        "journal j-4: its content does not match its hash",
        f"journal j-5: an entry's account {bank} does not exist",
        "journal j-5: its content does not match its hash",
    ]


def test_verify_names_an_amount_finer_than_its_currency(ledger):
    """A cent's fraction added past the triggers: the sums and the hash (which writes EUR with
    two decimals) would not tell it, so it is named on its own."""
    with triggers_off("wages_entry"):
        Entry.objects.filter(journal__key="j-2", account=ledger["wages"]).update(
            amount=Decimal("20.004")
        )

    assert verify_ledger() == [
        "journal j-2: 20.004 has more decimals than EUR has",
        "journal j-2: does not balance",
    ]


def test_verify_without_ledger_keys_says_the_signatures_were_not_checked(ledger, ledger_key):
    with ledger_key(""):
        problems = verify_ledger()

    assert problems == [
        "ledger keys: No ledger key is configured: set BRIDGEWORK_LEDGER_KEYS or "
        "BRIDGEWORK_LEDGER_KEYS_FILE (python manage.py make_signing_key writes one). "
        "Checkpoint signatures were not checked."
    ]


def test_the_deploy_check_asks_for_a_ledger_key(ledger_key):
    assert ledger_keys_are_configured(None) == []
    with ledger_key("test-ledger-key not-base64"):
        assert [error.id for error in ledger_keys_are_configured(None)] == ["wages.E003"]
    with ledger_key(""):
        errors = ledger_keys_are_configured(None)
    assert [(error.id, error.msg) for error in errors] == [
        (
            "wages.E003",
            "Ledger checkpoints cannot be signed or verified: No ledger key is configured: set "
            "BRIDGEWORK_LEDGER_KEYS or BRIDGEWORK_LEDGER_KEYS_FILE (python manage.py "
            "make_signing_key writes one).",
        )
    ]


@override_settings(BRIDGEWORK_LEDGER_UNSIGNED_UP_TO=2)
def test_only_the_configured_first_checkpoints_may_be_unsigned(ledger):
    with triggers_off(*LEDGER_TABLES):
        Checkpoint.objects.update(form=1, key_id="", signature="")
        previous = ""
        for checkpoint in Checkpoint.objects.order_by("sequence"):
            digest = checkpoint_hash(
                sequence=checkpoint.sequence,
                chain=checkpoint.chain_name,
                length=checkpoint.length,
                head=checkpoint.head,
                previous=previous,
                form=1,
            )
            Checkpoint.objects.filter(pk=checkpoint.pk).update(previous=previous, hash=digest)
            previous = digest

    assert verify_ledger() == ["checkpoint 3: not signed"]


# Streaming


def journals(accounts, count):
    chain = open_chain(f"run-{count}")
    post_journals(
        (
            Posting(
                key=f"k-{count}-{n}",
                on=ON,
                memo="Pay",
                lines=[(accounts["wages"], Decimal(n)), (accounts["bank"], -Decimal(n))],
            )
            for n in range(1, count + 1)
        ),
        chain=chain,
    )
    close_chain(chain)


def peak_while_verifying() -> int:
    connection.ensure_connection()
    verify_ledger()  # warm: statements compiled, caches filled
    tracemalloc.start()
    try:
        assert verify_ledger() == []
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verification_streams_in_memory_that_does_not_grow_with_the_ledger(accounts, monkeypatch):
    """Ten times the journals, not ten times the memory: before, every entry was held at once."""
    monkeypatch.setattr("wages.ledger.verification.streams.STREAM_CHUNK", 50, raising=False)
    journals(accounts, 300)
    small = peak_while_verifying()
    journals(accounts, 2_700)
    large = peak_while_verifying()

    assert large < small * 1.5, (small, large)


def test_progress_is_told_the_journals_checked(accounts, monkeypatch):
    monkeypatch.setattr("wages.ledger.verification.journals.PROGRESS_EVERY", 100, raising=False)
    journals(accounts, 250)
    told = []

    assert verify_ledger(progress=told.append) == []
    assert told == [100, 200]
