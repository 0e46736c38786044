"""Verifying the ledger: every journal's hash and balance, every chain, every account's balance,
the checkpoint sequence and its signatures, and, when an auditor brings them, the anchors they
exported earlier.

The ledger is read as streams in one order (journals and their entries by chain, number and id;
chains by id), merged as they go, so memory stays the same whatever the size of the ledger. It is
read with plain SQL, not through the models: a row that the models could not read (an amount wider
than its column, kept by SQLite) is a finding like any other, never a traceback. On PostgreSQL the
whole check reads one snapshot (REPEATABLE READ), so postings made meanwhile are not mistaken for
tampering.

Every finding is one line of text, stable enough to be searched for; the list is empty when the
ledger is intact. The journals, chains and balances are walked in
``wages.ledger.verification.journals``; the checkpoints, their signatures and the anchors in
``wages.ledger.verification.checkpoints``; both read through ``wages.ledger.verification.streams``.
"""

import time
from decimal import Decimal

from django.utils import timezone

from core.signing import LedgerKeysMissing
from wages.ledger.hashing import ledger_public_keys
from wages.ledger.verification.checkpoints import verify_checkpoints
from wages.ledger.verification.journals import verify_balances, verify_journals
from wages.ledger.verification.streams import snapshot, stream_rows
from wages.models import Checkpoint, Journal, LedgerVerification
from wages.payruns.verification import verify_pay_runs

ANCHORS_FORMAT = "bridgework-ledger-anchors/1"

__all__ = ["ANCHORS_FORMAT", "export_anchors", "record_verification", "verify_ledger"]


def record_verification(*, user, progress=None) -> LedgerVerification:
    """Run ``verify_ledger`` and keep who ran it, when, and what it found. ``progress(done,
    total)`` is told the journals checked, of those there were when it started."""
    started = time.monotonic()
    journals, checkpoints = Journal.objects.count(), Checkpoint.objects.count()
    if progress is not None:
        progress(0, journals)
    problems = verify_ledger(progress=(lambda done: progress(done, journals)) if progress else None)
    if progress is not None:
        progress(journals, journals)
    return LedgerVerification.objects.create(
        run_by=user,
        journals=journals,
        checkpoints=checkpoints,
        problems=problems,
        seconds=Decimal(f"{time.monotonic() - started:.3f}"),
    )


def verify_ledger(progress=None, *, anchors=None) -> list[str]:
    """Recompute every journal's hash and balance, every chain, every account balance and the
    checkpoint sequence, check each checkpoint's signature against the configured ledger keys
    and, given ``anchors`` (an anchors document, ``export_anchors``), that every anchored
    checkpoint is still in the database as it was; each finding is one line. ``progress`` is
    called with the number of journals checked so far, every ``PROGRESS_EVERY``. Also checks that
    every posted pay run still holds exactly the records it paid (``verify_pay_runs``)."""
    with snapshot():
        problems: list[str] = []
        problems += verify_journals(progress)
        problems += verify_balances()
        problems += verify_checkpoints(anchors)
        problems += verify_pay_runs()
    return problems


def export_anchors() -> dict:
    """The checkpoint heads as an auditor keeps them, outside the database: a later
    ``verify_ledger --anchors FILE`` finds any of them missing or different. The ledger's public
    keys come along, so the signatures can be checked offline (``wages.ledger.hashing``)."""
    try:
        keys = ledger_public_keys()
    except LedgerKeysMissing:
        keys = {}
    with snapshot():
        checkpoints = [
            {
                "sequence": sequence,
                "chain": chain,
                "length": length,
                "head": head,
                "previous": previous,
                "hash": digest,
                "form": form,
                "key_id": key_id,
                "signature": signature,
            }
            for sequence, chain, length, head, previous, digest, form, key_id, signature in stream_rows(
                "SELECT sequence, chain_name, length, head, previous, hash, form, key_id, "
                "signature FROM wages_checkpoint ORDER BY sequence"
            )
        ]
    return {
        "format": ANCHORS_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "public_keys": keys,
        "checkpoints": checkpoints,
    }
