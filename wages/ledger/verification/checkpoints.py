"""Verifying the checkpoints: their sequence, the chains they close, their signatures against
the ledger's keys, and the anchors an auditor exported earlier."""

from django.conf import settings

from core.signing import LedgerKeysMissing
from wages.ledger.hashing import (
    FORMS,
    checkpoint_content,
    digest,
    ledger_public_keys,
    signature_holds,
)
from wages.ledger.verification.streams import stream_rows

CHECKPOINTS = (
    "SELECT c.sequence, c.chain_name, c.length, c.head, c.previous, c.hash, c.form, c.key_id, "
    "c.signature, ch.id, ch.length, ch.head, ch.closed_at FROM wages_checkpoint c "
    "LEFT JOIN wages_chain ch ON ch.name = c.chain_name ORDER BY c.sequence"
)
CLOSED_WITHOUT_CHECKPOINT = (
    "SELECT ch.name FROM wages_chain ch WHERE ch.closed_at IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM wages_checkpoint c WHERE c.chain_name = ch.name) ORDER BY ch.id"
)
ANCHORED = ("chain", "length", "head", "hash")


class _Signatures:
    """Checks checkpoint signatures against the configured ledger keys, read once."""

    def __init__(self):
        self.unsigned_up_to = getattr(settings, "BRIDGEWORK_LEDGER_UNSIGNED_UP_TO", 0)
        self._published = None
        self._missing = None

    def problems(self, content: dict, *, sequence: int, form: int, key_id: str, signature: str):
        if not signature:
            # Only checkpoints made before signing began, and configured as such, may be unsigned.
            if form != 1 or sequence > self.unsigned_up_to:
                return [f"checkpoint {sequence}: not signed"]
            return []
        if self._published is None and self._missing is None:
            try:
                self._published = ledger_public_keys()
            except LedgerKeysMissing as missing:
                self._missing = missing
                return [f"ledger keys: {missing} Checkpoint signatures were not checked."]
        if self._missing is not None:
            return []
        if key_id not in self._published:
            return [
                f"checkpoint {sequence}: signed with the ledger key {key_id}, which is not "
                "configured"
            ]
        if not signature_holds(
            content, key_id=key_id, signature=signature, published=self._published
        ):
            return [f"checkpoint {sequence}: its signature does not match its content"]
        return []


def verify_checkpoints(anchors) -> list[str]:
    problems = []
    anchored, anchor_problems = _anchors(anchors)
    problems += anchor_problems
    signatures = _Signatures()
    previous = ""
    expected = 1
    for row in stream_rows(CHECKPOINTS):
        (sequence, name, length, head, stored_previous, stored, form, key_id, signature) = row[:9]
        chain_id, chain_length, chain_head, closed_at = row[9:]
        problems += [f"checkpoint {number} is missing" for number in range(expected, sequence)]
        expected = sequence + 1
        if stored_previous != previous:
            problems.append(f"checkpoint {sequence}: does not follow the one before it")
        if form not in FORMS:
            problems.append(f"checkpoint {sequence}: hash form {form} is unknown")
        else:
            content = checkpoint_content(
                sequence=sequence,
                chain=name,
                length=length,
                head=head,
                previous=stored_previous,
                form=form,
            )
            if digest(content) != stored:
                problems.append(f"checkpoint {sequence}: its content does not match its hash")
            problems += signatures.problems(
                content, sequence=sequence, form=form, key_id=key_id, signature=signature
            )
        if chain_id is None:
            problems.append(f"chain {name} of checkpoint {sequence} is missing")
        elif (chain_length, chain_head) != (length, head):
            problems.append(f"chain {name}: does not match its checkpoint")
        elif closed_at is None:
            problems.append(f"chain {name}: open again after its checkpoint {sequence}")
        if (anchor := anchored.pop(sequence, None)) is not None:
            here = {"chain": name, "length": length, "head": head, "hash": stored}
            differ = [field for field in ANCHORED if anchor[field] != here[field]]
            if anchor.get("signature") and anchor["signature"] != signature:
                differ.append("signature")
            if differ:
                problems.append(
                    f"anchor {sequence}: checkpoint {sequence} differs from it in "
                    f"{', '.join(differ)}"
                )
        previous = stored
    for sequence in sorted(anchored):
        problems.append(f"anchor {sequence}: checkpoint {sequence} is missing")
    for (name,) in stream_rows(CLOSED_WITHOUT_CHECKPOINT):
        problems.append(f"chain {name}: closed without a checkpoint")
    return problems


def _anchors(document) -> tuple[dict[int, dict], list[str]]:
    """The anchors of an exported document by sequence, and what is wrong with the document."""
    if document is None:
        return {}, []
    entries = document.get("checkpoints") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        return {}, ["anchors: not an anchors file (no list of checkpoints)"]
    anchored, problems = {}, []
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sequence"), int)
            and isinstance(entry.get("length"), int)
            and all(isinstance(entry.get(field), str) for field in ("chain", "head", "hash"))
        ):
            problems.append(
                f"anchors: entry {number} is not an anchor "
                "(it needs a sequence, chain, length, head and hash)"
            )
            continue
        if entry["sequence"] in anchored:
            problems.append(f"anchors: checkpoint {entry['sequence']} is anchored twice")
            continue
        anchored[entry["sequence"]] = entry
    return anchored, problems
