"""Tamper evidence that survives a writer of the database: checkpoints are signed with the ledger
key from configuration (a retired key still verifies what it signed), so a rewrite that
recomputes every hash, or strips the signatures, is still found; only the configured first
checkpoints may be unsigned.
"""

import base64
from decimal import Decimal

import pytest
from django.test import override_settings

from core.signing import LedgerKeysMissing, Signature, verify
from core.testing.database import raw, triggers_off
from tests.wages.ledger_tamper_builders import LEDGER_TABLES, ON, build
from wages.ledger import (
    checkpoint_hash,
    close_chain,
    export_anchors,
    journal_hash,
    open_chain,
    verify_ledger,
)
from wages.ledger.hashing import checkpoint_content, ledger_public_keys
from wages.models import Account, Chain, Checkpoint, Entry, Journal

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


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
    """The probe that found the hole: everything replaced with +250.00 for one worker, every hash and
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
