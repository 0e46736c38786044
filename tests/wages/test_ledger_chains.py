"""Chains, checkpoints and periods (``wages.ledger.chains``, ``hashing``, ``periods``): each
journal's hash links to the one before, closed chains make a checkpoint sequence, a journal's hash
is SHA-256 of its canonical JSON, and a period closes only after the last close.
"""

import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.formatting import format_day
from tests.wages.ledger_builders import ON, days, everything, pay
from wages.ledger import (
    checkpoint_hash,
    close_chain,
    close_period,
    journal_hash,
    open_chain,
    verify_ledger,
)
from wages.models import Chain, Checkpoint, Journal, PeriodClose

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


# Chains and checkpoints


def test_each_journal_of_a_chain_follows_the_one_before(ledger, chain):
    for n, amount in enumerate(["10.00", "20.50", "30.25"], start=1):
        pay(ledger, chain, key=f"j-{n}", amount=amount, on=days(n))

    journals = list(Journal.objects.order_by("sequence"))
    hashes = [
        journal_hash(
            key=f"j-{n}",
            on=days(n),
            memo="Pay",
            chain="run-1",
            sequence=n,
            previous=previous,
            reverses=None,
            entries=[("wages", "EUR", Decimal(amount)), ("bank", "EUR", -Decimal(amount))],
        )
        for n, amount, previous in [
            (1, "10.00", ""),
            (2, "20.50", journals[0].hash),
            (3, "30.25", journals[1].hash),
        ]
    ]
    assert [(j.key, j.sequence, j.previous, j.hash) for j in journals] == [
        ("j-1", 1, "", hashes[0]),
        ("j-2", 2, hashes[0], hashes[1]),
        ("j-3", 3, hashes[1], hashes[2]),
    ]
    assert len(set(hashes)) == 3
    assert Chain.objects.values_list("length", "head", "closed_at").get() == (3, hashes[2], None)


def test_closed_chains_make_a_checkpoint_sequence_each_following_the_one_before(ledger):
    first, second, empty = open_chain("run-1"), open_chain("run-2"), open_chain("run-3")
    pay(ledger, first, key="j-1")
    pay(ledger, first, key="j-2")
    last = pay(ledger, second, key="j-3")
    heads = [Journal.objects.get(key="j-2").hash, last.hash, ""]

    made = [close_chain(chain) for chain in (first, second, empty)]

    expected, previous = [], ""
    for sequence, name, length, head in [
        (1, "run-1", 2, heads[0]),
        (2, "run-2", 1, heads[1]),
        (3, "run-3", 0, heads[2]),
    ]:
        digest = checkpoint_hash(
            sequence=sequence, chain=name, length=length, head=head, previous=previous
        )
        expected.append((sequence, name, length, head, previous, digest))
        previous = digest
    assert (
        list(
            Checkpoint.objects.values_list(
                "sequence", "chain_name", "length", "head", "previous", "hash"
            )
        )
        == expected
    )
    assert [checkpoint.sequence for checkpoint in made] == [1, 2, 3]
    assert Chain.objects.filter(closed_at__isnull=True).count() == 0
    assert verify_ledger() == []


def test_closing_a_chain_again_returns_its_checkpoint(ledger, chain):
    pay(ledger, chain)
    checkpoint = close_chain(chain)
    before = everything()

    again = close_chain(chain)

    assert again.pk == checkpoint.pk
    assert everything() == before
    assert Checkpoint.objects.count() == 1


def test_opening_a_chain_twice_is_the_same_chain():
    assert open_chain("run-1").pk == open_chain("run-1").pk
    assert Chain.objects.count() == 1


def test_a_journal_hash_is_sha256_of_its_canonical_json():
    """Anyone can recompute a hash without Bridgework (``wages.ledger.hashing``): form 2 names
    its form and writes each amount with its currency's decimals."""
    content = {
        "chain": "run-1",
        "entries": [["bank", "EUR", "-10.50"], ["wages", "EUR", "10.50"]],
        "form": 2,
        "key": "j-1",
        "memo": "Pay",
        "on": "2026-10-31",
        "previous": "",
        "reverses": None,
        "sequence": 1,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    assert (
        journal_hash(
            key="j-1",
            on=ON,
            memo="Pay",
            chain="run-1",
            sequence=1,
            previous="",
            reverses=None,
            entries=[("wages", "EUR", Decimal("10.5")), ("bank", "EUR", Decimal("-10.50"))],
        )
        == hashlib.sha256(canonical).hexdigest()
    )


def test_the_first_hash_form_is_the_one_published_before_form_2():
    """Journals hashed before migration 0007 keep verifying: form 1 has no ``form`` member and
    writes every amount with two decimals, whatever its currency."""
    content = {
        "chain": "run-1",
        "entries": [["bank", "TND", "-1.00"], ["wages", "TND", "1.00"]],
        "key": "j-1",
        "memo": "Pay",
        "on": "2026-10-31",
        "previous": "",
        "reverses": None,
        "sequence": 1,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    assert (
        journal_hash(
            key="j-1",
            on=ON,
            memo="Pay",
            chain="run-1",
            sequence=1,
            previous="",
            reverses=None,
            entries=[("wages", "TND", Decimal("1.000")), ("bank", "TND", Decimal("-1"))],
            form=1,
        )
        == hashlib.sha256(canonical).hexdigest()
    )


# close_period


def test_a_period_closes_only_after_the_last_close(closer):
    close_period(ON, user=closer)
    close_period(days(1), user=closer)

    for up_to in (days(1), ON, days(-5)):
        with pytest.raises(ValidationError) as refused:
            close_period(up_to, user=closer)
        assert refused.value.messages == [
            f"The period up to {format_day(days(1))} is already closed."
        ]

    assert list(PeriodClose.objects.values_list("up_to", "closed_by")) == [
        (days(1), closer.pk),
        (ON, closer.pk),
    ]


def test_the_closed_day_takes_no_posting_and_the_next_day_does(ledger, chain, closer):
    close_period(ON, user=closer)

    with pytest.raises(ValidationError) as refused:
        pay(ledger, chain, key="j-1", on=ON)
    assert refused.value.messages == [
        f"The period up to {format_day(ON)} is closed: no posting may be dated {format_day(ON)}."
    ]
    assert Journal.objects.count() == 0

    journal = pay(ledger, chain, key="j-1", on=days(1))

    assert list(Journal.objects.values_list("key", "on")) == [("j-1", days(1))]
    assert journal.sequence == 1
    assert verify_ledger() == []
