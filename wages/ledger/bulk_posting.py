"""Posting many journals at once, ``post_journals`` (a pay run's): the same rules as
``wages.ledger.posting`` journal by journal (``wages.ledger.rules``), written in batches, with
the balances updated by set-based statements (``wages.ledger.balances``)."""

import datetime
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.postgres import json_rows
from wages.ledger.balances import add_to_balances, add_written_to_balances
from wages.ledger.hashing import (
    JOURNAL_FORM,
    journal_hash,
)
from wages.ledger.periods import closed_up_to
from wages.ledger.rules import checked_line, journal_problems, key_reused, refuse_reused_key
from wages.models import Chain, Entry, Journal


@dataclass(frozen=True)
class Posting:
    """One journal for ``post_journals``: ``lines`` as for ``post_journal``."""

    key: str
    on: datetime.date
    memo: str
    lines: list


POSTING_BATCH = 2_000


@transaction.atomic
def post_journals(postings: Iterable[Posting], *, chain: Chain, user=None, progress=None) -> int:
    """Post many journals into ``chain`` at once, in the order given: each is checked as
    ``post_journal`` checks one, and any refusal refuses them all. Journals and entries are
    written in batches and balances updated in one statement, so a pay run of 100,000 workers
    takes seconds. A key posted before with the same lines is skipped (idempotent); with other
    lines it raises ``JournalKeyReused``. Returns how many journals were new. ``progress(done)``
    is told the postings written or skipped so far, after each batch."""
    closed = closed_up_to()
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if chain.closed_at is not None:
        raise ValidationError(_("The chain %(chain)s is closed.") % {"chain": chain.name})
    state = _ChainState(sequence=chain.length, head=chain.head)
    first = chain.length  # the journals of this call follow it
    summed = connection.vendor == "postgresql"  # the database sums what was written
    span: list[int] = []  # the least and greatest id of the journals written
    deltas: dict[int, Decimal] = defaultdict(Decimal)  # account → what the batches add, elsewhere
    new = handled = 0
    postings = iter(postings)
    while batch := list(itertools.islice(postings, POSTING_BATCH)):
        checked = []
        for posting in batch:
            lines = [checked_line(account, amount) for account, amount in posting.lines]
            problems = journal_problems(lines, memo=posting.memo, on=posting.on, closed=closed)
            if problems:
                raise ValidationError([f"{posting.key}: {problem}" for problem in problems])
            checked.append((posting, lines))
        keys = [posting.key for posting in batch]
        for attempt in range(1, 4):
            earlier = Journal.objects.in_bulk(keys, field_name="key")
            try:
                with transaction.atomic():  # a savepoint: keys may be taken at this moment
                    written = _write_batch(
                        checked, earlier=earlier, chain=chain, state=state, user=user
                    )
            except IntegrityError:
                # Some key was posted into another chain at the same moment (PostgreSQL made
                # these inserts wait for it to commit): look again, and answer as for any
                # earlier key.
                if attempt == 3 or Journal.objects.filter(key__in=keys).count() == len(earlier):
                    raise
                continue
            break
        state = written.state
        if not summed:
            for pk, delta in state.deltas.items():
                deltas[pk] += delta
        if written.ids:
            least, greatest = written.ids
            span = [min(span[0], least), max(span[1], greatest)] if span else written.ids
        new += written.count
        handled += len(batch)
        if progress is not None:
            progress(handled)
    if summed:
        if span:
            add_written_to_balances(chain, after=first, ids=span)
    else:
        add_to_balances(deltas)
    chain.length, chain.head = state.sequence, state.head
    chain.save(update_fields=["length", "head"])
    return new


@dataclass
class _ChainState:
    """Where a chain stands while ``post_journals`` writes into it."""

    sequence: int
    head: str
    deltas: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def after(self) -> "_ChainState":
        """Where the next batch starts: this sequence and head, and none of its deltas (each
        batch's are added up by ``post_journals`` once it is written)."""
        return _ChainState(sequence=self.sequence, head=self.head)


def _fingerprint(on, lines) -> bytes:
    """What a journal of this call is, in 32 bytes: a pay run posts 100,000 of them."""
    given = (on, sorted((a.pk, currency, value.normalize()) for a, value, currency in lines))
    return hashlib.sha256(repr(given).encode()).digest()


@dataclass(frozen=True)
class _Written:
    state: _ChainState
    count: int
    ids: list[int]  # the least and greatest id of the journals written; empty when none


def _write_batch(checked, *, earlier, chain: Chain, state: _ChainState, user) -> _Written:
    """Write one batch of checked postings after ``state``; the state after them is returned,
    not changed in place, so that a batch refused by the database can be written again.

    A key posted by an earlier batch of the same call is among ``earlier`` (read from the
    database), so only the batch's own keys are remembered here (``seen``): a run's 100,000
    keys and fingerprints are not kept for the whole call."""
    state = state.after()
    seen: dict[str, bytes] = {}  # key → fingerprint of the date and lines, of this batch's
    journals, entries = [], []
    for posting, lines in checked:
        if posting.key in earlier:
            refuse_reused_key(earlier[posting.key], key=posting.key, lines=lines, on=posting.on)
            continue
        given = _fingerprint(posting.on, lines)
        if posting.key in seen:  # twice in one batch
            if seen[posting.key] != given:
                raise key_reused(posting.key)
            continue
        seen[posting.key] = given
        state.sequence += 1
        digest = journal_hash(
            key=posting.key,
            on=posting.on,
            memo=posting.memo,
            chain=chain.name,
            sequence=state.sequence,
            previous=state.head,
            reverses=None,
            entries=[(account.code, currency, value) for account, value, currency in lines],
        )
        journals.append((posting, state.sequence, state.head, digest))
        state.head = digest
        for account, value, currency in lines:
            entries.append((posting.key, account.pk, value, currency))
            state.deltas[account.pk] += value
    ids = _insert_journals(journals, chain=chain, user=user)
    _insert_entries([(ids[key], *entry) for key, *entry in entries])
    span = [min(ids.values()), max(ids.values())] if ids else []
    return _Written(state=state, count=len(journals), ids=span)


def _insert_journals(journals, *, chain: Chain, user) -> dict[str, int]:
    """``journals``: (posting, sequence, previous hash, hash); returns each key's primary key."""
    if not journals:
        return {}
    posted_at = timezone.now()
    if connection.vendor == "postgresql":  # one statement, no model instances (json_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO wages_journal (key, "on", memo, chain_id, sequence, previous, hash, '
                "form, posted_at, posted_by_id) "
                "SELECT j->>0, (j->>1)::date, j->>2, %s, (j->>3)::integer, j->>4, j->>5, %s, %s, "
                "%s FROM json_array_elements(%s::json) AS j RETURNING key, id",
                [
                    chain.pk,
                    JOURNAL_FORM,
                    posted_at,
                    user.pk if user is not None else None,
                    json_rows(
                        [
                            [posting.key, posting.on, posting.memo, sequence, previous, digest]
                            for posting, sequence, previous, digest in journals
                        ]
                    ),
                ],
            )
            return dict(cursor.fetchall())
    made = Journal.objects.bulk_create(
        [
            Journal(
                key=posting.key,
                on=posting.on,
                memo=posting.memo,
                chain=chain,
                sequence=sequence,
                previous=previous,
                hash=digest,
                form=JOURNAL_FORM,
                posted_at=posted_at,
                posted_by=user,
            )
            for posting, sequence, previous, digest in journals
        ]
    )
    return {journal.key: journal.pk for journal in made}


def _insert_entries(entries) -> None:
    """``entries``: (journal pk, account pk, amount, currency)."""
    if not entries:
        return
    if connection.vendor == "postgresql":  # one statement, no model instances (json_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO wages_entry (journal_id, account_id, amount, currency) "
                "SELECT (e->>0)::bigint, (e->>1)::bigint, (e->>2)::numeric, e->>3 "
                "FROM json_array_elements(%s::json) AS e",
                [json_rows(entries)],
            )
        return
    Entry.objects.bulk_create(
        [
            Entry(journal_id=journal, account_id=account, amount=value, currency=currency)
            for journal, account, value, currency in entries
        ],
        batch_size=POSTING_BATCH,
    )
