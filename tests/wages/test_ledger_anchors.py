"""Anchors an auditor exported earlier find what signatures cannot: a checkpoint deleted and its
chain reopened. A malformed or unreadable anchors document is named in words, not a traceback, by
``verify_ledger`` and by the command.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.testing.database import triggers_off
from tests.wages.ledger_tamper_builders import LEDGER_TABLES, build
from wages.ledger import export_anchors, verify_ledger
from wages.ledger.hashing import ledger_public_keys
from wages.models import Chain, Checkpoint

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def ledger(accounts):
    build(accounts)
    assert verify_ledger() == []
    return accounts


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
