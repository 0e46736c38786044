"""What the ledger's hashes and signatures cover: the published forms, so that anyone can recompute
a hash or check a signature without Bridgework.

A hash is SHA-256 over canonical JSON (``core.signing.canonical_bytes``: keys sorted, no spaces,
UTF-8, NFC). Each journal and checkpoint keeps the ``form`` its hash was made in, and is checked in
that form, so rows made before a change of form verify as they were.

Journal, form 1 (before amounts of any currency): ``key``, ``on`` (ISO date), ``memo``, ``chain``
(its name), ``sequence``, ``previous`` (the hash before, "" for the first), ``reverses`` (the key
of the journal it reverses, or null) and ``entries``: sorted ``[account code, currency, amount]``,
each amount written with two decimals ("10.50"), whatever its currency.

Journal, form 2 (from migration 0007 of ``wages``): the same members and ``"form": 2``, each
amount written with exactly its currency's decimals ("10.50" EUR, "1.005" TND, "15" JPY), so a
three-decimal amount is covered to its last digit.

Checkpoint, form 1: ``sequence``, ``chain`` (its name), ``length``, ``head`` (the chain's last
hash), ``previous`` (the checkpoint before's hash, "" for the first). Unsigned.

Checkpoint, form 2: the same members and ``"form": 2``, signed: ``signature`` is Ed25519 over the
same canonical bytes, by the ledger key named ``key_id`` (``BRIDGEWORK_LEDGER_KEYS``). The key is
kept in configuration, never in the database, so a writer of the database cannot make a checkpoint
that verifies: each checkpoint's hash covers the one before and its chain's head, which covers
every journal of the chain, so one signature vouches for everything before it.
"""

import hashlib

from core.money import fixed_text
from core.signing import (
    Signature,
    canonical_bytes_of_built,
    configured_ledger_keys,
    public_keys,
    sign,
    verify,
)

JOURNAL_FORM = 2  # the form new journals are hashed in
CHECKPOINT_FORM = 2  # the form new checkpoints are hashed and signed in
FORMS = (1, 2)


def digest(content: dict) -> str:
    """SHA-256 of ``content`` made canonical: the hash of a journal's or a checkpoint's content."""
    return hashlib.sha256(canonical_bytes_of_built(content)).hexdigest()


def _amount_text(amount, currency: str, form: int) -> str:
    return f"{amount:.2f}" if form == 1 else fixed_text(amount, currency)


def journal_content(
    *, key, on, memo, chain, sequence, previous, reverses, entries, form=JOURNAL_FORM
) -> dict:
    """``entries``: (account code, currency, amount) triples, in any order; ``on`` a date or its
    ISO text."""
    content = {
        "key": key,
        "on": on if isinstance(on, str) else on.isoformat(),
        "memo": memo,
        "chain": chain,
        "sequence": sequence,
        "previous": previous,
        "reverses": reverses,
        "entries": sorted(
            [code, currency, _amount_text(amount, currency, form)]
            for code, currency, amount in entries
        ),
    }
    if form != 1:
        content["form"] = form
    return content


def journal_hash(
    *, key, on, memo, chain, sequence, previous, reverses, entries, form=JOURNAL_FORM
) -> str:
    return digest(
        journal_content(
            key=key,
            on=on,
            memo=memo,
            chain=chain,
            sequence=sequence,
            previous=previous,
            reverses=reverses,
            entries=entries,
            form=form,
        )
    )


def checkpoint_content(*, sequence, chain, length, head, previous, form=CHECKPOINT_FORM) -> dict:
    content = {
        "sequence": sequence,
        "chain": chain,
        "length": length,
        "head": head,
        "previous": previous,
    }
    if form != 1:
        content["form"] = form
    return content


def checkpoint_hash(*, sequence, chain, length, head, previous, form=CHECKPOINT_FORM) -> str:
    return digest(
        checkpoint_content(
            sequence=sequence, chain=chain, length=length, head=head, previous=previous, form=form
        )
    )


def sign_checkpoint(content: dict) -> Signature:
    """Signed by the first configured ledger key; ``LedgerKeysMissing`` when there is none."""
    return sign(content, keys=configured_ledger_keys())


def ledger_public_keys() -> dict[str, str]:
    """Key id → base64 raw Ed25519 public key of every configured ledger key (what an auditor
    needs to check signatures offline); ``LedgerKeysMissing`` when none is configured."""
    return public_keys(keys=configured_ledger_keys())


def signature_holds(content: dict, *, key_id: str, signature: str, published: dict) -> bool:
    return verify(content, Signature(key_id=key_id, value=signature), published=published)
