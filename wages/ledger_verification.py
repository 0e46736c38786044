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
ledger is intact.
"""

import time
from collections import defaultdict
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.money import decimal_places, minor_unit
from core.signing import LedgerKeysMissing
from wages.ledger_hashing import (
    FORMS,
    checkpoint_content,
    digest,
    journal_hash,
    ledger_public_keys,
    signature_holds,
)
from wages.models import Checkpoint, Journal, LedgerVerification
from wages.models.ledger import AMOUNT_LIMIT
from wages.payrun_verification import verify_pay_runs

STREAM_CHUNK = 2_000  # rows fetched at a time from each stream
PROGRESS_EVERY = 10_000  # journals between two calls of ``progress``
ANCHORS_FORMAT = "bridgework-ledger-anchors/1"


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
    with _snapshot():
        problems: list[str] = []
        problems += _verify_journals(progress)
        problems += _verify_balances()
        problems += _verify_checkpoints(anchors)
        problems += verify_pay_runs()
    return problems


def export_anchors() -> dict:
    """The checkpoint heads as an auditor keeps them, outside the database: a later
    ``verify_ledger --anchors FILE`` finds any of them missing or different. The ledger's public
    keys come along, so the signatures can be checked offline (``wages.ledger_hashing``)."""
    try:
        keys = ledger_public_keys()
    except LedgerKeysMissing:
        keys = {}
    with _snapshot():
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
            for sequence, chain, length, head, previous, digest, form, key_id, signature in _rows(
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


def in_units(total, currency: str) -> Decimal:
    """A database sum, exact to the minor unit of ``currency`` (SQLite adds decimals as
    floats)."""
    value = _decimal(total)
    return (value if value is not None else Decimal(0)).quantize(
        minor_unit(currency), rounding=ROUND_HALF_UP
    )


@contextmanager
def _snapshot():
    """One consistent view of the ledger for the whole check."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _rows(sql: str, params=()):
    """The rows of ``sql``, fetched ``STREAM_CHUNK`` at a time (a server-side cursor on
    PostgreSQL), as the database gives them."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(STREAM_CHUNK):
            yield from chunk


class _Stream:
    """Rows taken in order, with a look at the next one."""

    _END = object()

    def __init__(self, rows):
        self._rows = iter(rows)
        self._next = next(self._rows, self._END)

    def peek(self):
        return None if self._next is self._END else self._next

    def take(self):
        row, self._next = self._next, next(self._rows, self._END)
        return row

    def take_while(self, keep) -> list:
        taken = []
        while self._next is not self._END and keep(self._next):
            taken.append(self.take())
        return taken


def _decimal(value) -> Decimal | None:
    """A stored amount as an exact Decimal (SQLite gives floats and integers); None when it is
    no finite number."""
    if value is None:
        return None
    try:
        number = (
            value
            if isinstance(value, Decimal)
            else Decimal(repr(value) if isinstance(value, float) else str(value))
        )
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(amount: Decimal, currency: str) -> str:
    try:
        return f"{amount:.{decimal_places(currency)}f}"
    except (ValueError, TypeError):
        return str(amount)


def _amount_problem(amount: Decimal, currency: str) -> str | None:
    if abs(amount) >= AMOUNT_LIMIT:
        return f"{amount} {currency} is more than the ledger holds"
    if amount != amount.quantize(minor_unit(currency)):
        return f"{amount} has more decimals than {currency} has"
    return None


# Journals and chains

JOURNALS = (
    'SELECT j.id, j.key, j."on", j.memo, j.chain_id, j.sequence, j.previous, j.hash, j.form, '
    "r.key FROM wages_journal j LEFT JOIN wages_journal r ON r.id = j.reverses_id "
    "ORDER BY j.chain_id, j.sequence, j.id"
)
ENTRIES = (
    "SELECT e.journal_id, e.account_id, a.code, a.currency, e.currency, e.amount "
    "FROM wages_entry e JOIN wages_journal j ON j.id = e.journal_id "
    "LEFT JOIN wages_account a ON a.id = e.account_id "
    "ORDER BY j.chain_id, j.sequence, j.id, e.id"
)
CHAINS = "SELECT id, name, length, head FROM wages_chain ORDER BY id"
ORPHAN_ENTRIES = (
    "SELECT e.journal_id FROM wages_entry e LEFT JOIN wages_journal j ON j.id = e.journal_id "
    "WHERE j.id IS NULL GROUP BY e.journal_id ORDER BY e.journal_id"
)


class _ChainWalk:
    """One chain's journals as they stream past: the number and hash of the last one seen."""

    def __init__(self, chain_id: int, row):
        self.chain_id = chain_id
        self.name = row[1] if row else None
        self.stored = (row[2], row[3]) if row else None
        self.sequence, self.hash, self.journals = 0, "", 0

    def finish(self) -> list[str]:
        if self.stored is None:
            return [f"chain #{self.chain_id}: missing, though {self.journals} journal(s) name it"]
        if self.stored != (self.sequence, self.hash):
            return [f"chain {self.name}: its head does not match its journals"]
        return []


def _empty_chains_before(chains: _Stream, chain_id: int | None) -> list[str]:
    """Chains, up to ``chain_id`` (all when None), that no journal names: they must be empty."""
    problems = []
    for _pk, name, length, head in chains.take_while(
        lambda row: chain_id is None or row[0] < chain_id
    ):
        if (length, head) != (0, ""):
            problems.append(f"chain {name}: its head does not match its journals")
    return problems


def _verify_journals(progress) -> list[str]:
    problems = []
    entries = _Stream(_rows(ENTRIES))
    chains = _Stream(_rows(CHAINS))
    walk: _ChainWalk | None = None
    for count, row in enumerate(_rows(JOURNALS), start=1):
        pk, key, on, memo, chain_id, sequence, previous, stored, form, reverses = row
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        if walk is None or walk.chain_id != chain_id:
            if walk is not None:
                problems += walk.finish()
            problems += _empty_chains_before(chains, chain_id)
            here = chains.peek()
            walk = _ChainWalk(chain_id, chains.take() if here and here[0] == chain_id else None)
        lines, line_problems = _lines(key, pk, entries.take_while(lambda e, pk=pk: e[0] == pk))
        problems += line_problems
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for _code, currency, amount in lines:
            totals[currency] += amount
        if any(total != 0 for total in totals.values()) or len(lines) < 2:
            problems.append(f"journal {key}: does not balance")
        if sequence != walk.sequence + 1:
            problems.append(
                f"chain {walk.name or chain_id}: journal {walk.sequence + 1} is missing"
            )
        if previous != walk.hash:
            problems.append(f"journal {key}: does not follow the journal before it")
        if form not in FORMS:
            problems.append(f"journal {key}: hash form {form} is unknown")
        elif walk.name is not None:
            recomputed = journal_hash(
                key=key,
                on=on,
                memo=memo,
                chain=walk.name,
                sequence=sequence,
                previous=previous,
                reverses=reverses,
                entries=lines,
                form=form,
            )
            if recomputed != stored:
                problems.append(f"journal {key}: its content does not match its hash")
        walk.sequence, walk.hash = sequence, stored
        walk.journals += 1
    if walk is not None:
        problems += walk.finish()
    problems += _empty_chains_before(chains, None)
    for (journal_id,) in _rows(ORPHAN_ENTRIES):
        problems.append(f"entries of journal {journal_id}, which does not exist")
    return problems


def _lines(key: str, pk: int, rows) -> tuple[list, list[str]]:
    """A journal's entries as (account code, currency, amount), and what is wrong with them."""
    lines, problems = [], []
    for _journal, account_id, code, account_currency, currency, raw in rows:
        if code is None:
            problems.append(f"journal {key}: an entry's account {account_id} does not exist")
        elif currency != account_currency:
            problems.append(f"journal {pk}: an entry in {currency} on a {account_currency} account")
        amount = _decimal(raw)
        if amount is None:
            problems.append(f"journal {key}: an amount is not a number ({raw!r})")
            continue
        if problem := _amount_problem(amount, currency):
            problems.append(f"journal {key}: {problem}")
            if abs(amount) >= AMOUNT_LIMIT:
                continue
        lines.append((code if code is not None else "", currency, amount))
    return lines, problems


# Balances

BALANCES = (
    "SELECT a.code, a.currency, a.balance, s.total FROM wages_account a LEFT JOIN "
    "(SELECT account_id, SUM(amount) AS total FROM wages_entry GROUP BY account_id) s "
    "ON s.account_id = a.id ORDER BY a.code, a.currency, a.id"
)


def _verify_balances() -> list[str]:
    problems = []
    for code, currency, raw_balance, raw_total in _rows(BALANCES):
        balance = _decimal(raw_balance)
        if balance is None or abs(balance) >= AMOUNT_LIMIT:
            problems.append(
                f"account {code} ({currency}): its balance {raw_balance} is more than the "
                "ledger holds"
            )
            continue
        total = in_units(raw_total, currency)
        if in_units(balance, currency) != total:
            problems.append(
                f"account {code} ({currency}): balance {_text(balance, currency)}, "
                f"entries sum to {_text(total, currency)}"
            )
    return problems


# Checkpoints, signatures and anchors

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


def _verify_checkpoints(anchors) -> list[str]:
    problems = []
    anchored, anchor_problems = _anchors(anchors)
    problems += anchor_problems
    signatures = _Signatures()
    previous = ""
    expected = 1
    for row in _rows(CHECKPOINTS):
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
    for (name,) in _rows(CLOSED_WITHOUT_CHECKPOINT):
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
