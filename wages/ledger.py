"""The one way money moves: ``post_journal``; and the checks that prove the ledger intact.

    post_journal(*, key, on, lines, memo, chain, user=None, reverses=None) -> Journal
        lines: [(account, amount), ...]; amount a Money, or a Decimal in the account's currency;
        positive debits, negative credits. Balanced per currency, idempotent on ``key`` (the same
        key with other lines raises ``JournalKeyReused``), refused into a closed chain or a closed
        period, amounts of more decimals than the currency has refused (never rounded silently).
    post_journals(postings, *, chain, user=None, progress=None) -> int    many at once (a pay
        run's journals), the same rules journal by journal, set-based writes; returns how many
        were new; ``progress(done)`` after each batch
    reverse_journal(journal, *, key, on, memo, chain, user=None) -> Journal   at most once each
    open_chain(name) -> Chain;  close_chain(chain) -> Checkpoint
    close_period(up_to, *, user) -> PeriodClose            a past day, later than the last
    trial_balance(on) -> TrialBalance
    verify_ledger(progress=None, *, anchors=None) -> list[str]   every finding; empty when intact
    record_verification(*, user, progress=None) -> LedgerVerification   kept for the auditors
    export_anchors() -> dict              the checkpoint heads an auditor keeps outside the database

Hashes are SHA-256 over canonical JSON (``core.signing.canonical_bytes``): a journal's covers its
key, date, memo, chain, number, the previous hash, what it reverses and its entries (account code,
currency, amount); a checkpoint's covers its number, chain, length, the chain's head and the
previous checkpoint's hash, and is signed with the ledger key. The exact forms, and how they are
versioned, are in ``wages.ledger_hashing``; the checks in ``wages.ledger_verification``.
"""

import datetime
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from core.money import decimal_places, fixed_text, minor_unit
from core.postgres import json_rows
from wages.ledger_hashing import (
    CHECKPOINT_FORM,
    JOURNAL_FORM,
    checkpoint_content,
    checkpoint_hash,
    journal_hash,
    sign_checkpoint,
)
from wages.ledger_hashing import digest as content_hash
from wages.ledger_verification import (
    export_anchors,
    in_units,
    record_verification,
    verify_ledger,
)
from wages.models import Account, Chain, Checkpoint, Entry, Journal, PeriodClose
from wages.models.ledger import AMOUNT_LIMIT

__all__ = [
    "CHECKPOINT_LOCK",
    "JournalKeyReused",
    "Posting",
    "TrialBalance",
    "TrialBalanceRow",
    "checkpoint_hash",
    "close_chain",
    "close_period",
    "export_anchors",
    "journal_hash",
    "open_chain",
    "post_journal",
    "post_journals",
    "record_verification",
    "reverse_journal",
    "trial_balance",
    "verify_ledger",
]

CHECKPOINT_LOCK = 7_340_001  # the advisory lock that serialises appending checkpoints
LEDGER_UNIT = Decimal("0.001")  # the finest amount the ledger's columns hold (AMOUNT)


class JournalKeyReused(ValidationError):
    """The key was used before for a journal with other lines."""


def _key_reused(key: str) -> JournalKeyReused:
    return JournalKeyReused(
        _("The journal key %(key)s was used before with other lines.") % {"key": key}
    )


def _line(account, amount) -> tuple[Account, Decimal, str]:
    """``account``: an Account, or anything with its ``pk``, ``code`` and ``currency``."""
    if isinstance(amount, Money):
        currency, value = amount.currency.code, amount.amount
    else:
        currency, value = account.currency, Decimal(amount)
    if currency != account.currency:
        raise ValidationError(
            _("%(account)s holds %(held)s, not %(currency)s.")
            % {"account": account.code, "held": account.currency, "currency": currency}
        )
    if not value.is_finite() or value == 0:
        raise ValidationError(_("An entry's amount is a number other than zero."))
    if abs(value) >= AMOUNT_LIMIT:
        raise ValidationError(
            _(
                "%(amount)s %(currency)s is more than the ledger holds: an amount has at most "
                "%(digits)s digits before the decimal point."
            )
            % {"amount": value, "currency": currency, "digits": len(str(AMOUNT_LIMIT)) - 1}
        )
    if value != value.quantize(minor_unit(currency)):
        raise ValidationError(
            _("%(amount)s has more decimals than %(currency)s has: round it first.")
            % {"amount": value, "currency": currency}
        )
    if value != value.quantize(LEDGER_UNIT):  # a currency of four decimals (CLF, UYW)
        raise ValidationError(
            _("%(amount)s has more than the three decimals the ledger keeps.") % {"amount": value}
        )
    return account, value, currency


def _closed_up_to() -> datetime.date | None:
    return PeriodClose.objects.aggregate(up_to=Max("up_to"))["up_to"]


def _same_lines(journal: Journal, lines) -> bool:
    stored = sorted(journal.entries.values_list("account_id", "currency", "amount"))
    given = sorted((account.pk, currency, value) for account, value, currency in lines)
    return stored == given


def _problems(lines, *, memo: str, on: datetime.date, closed) -> list[str]:
    """Why a journal of checked ``lines`` cannot be posted (empty when it can)."""
    problems = []
    if len(lines) < 2:
        problems.append(_("A journal has at least two entries."))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _account, value, currency in lines:
        totals[currency] += value
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        problems.append(
            _("The journal does not balance: %(totals)s.")
            % {
                "totals": ", ".join(
                    f"{total:+} {currency}" for currency, total in unbalanced.items()
                )
            }
        )
    if not memo.strip():
        problems.append(_("A journal needs a memo."))
    if closed is not None and on <= closed:
        problems.append(
            _("The period up to %(closed)s is closed: no posting may be dated %(on)s.")
            % {"closed": closed, "on": on}
        )
    return problems


def _earlier(key: str, lines, on: datetime.date) -> Journal | None:
    """The journal posted before under ``key`` when its lines and date are these; None when the
    key is new; ``JournalKeyReused`` when it was used with others."""
    earlier = Journal.objects.filter(key=key).first()
    if earlier is not None and (not _same_lines(earlier, lines) or earlier.on != on):
        raise _key_reused(key)
    return earlier


@transaction.atomic
def post_journal(
    *, key: str, on: datetime.date, lines, memo: str, chain: Chain, user=None, reverses=None
) -> Journal:
    lines = [_line(account, amount) for account, amount in lines]
    if (earlier := _earlier(key, lines, on)) is not None:
        return earlier
    problems = _problems(lines, memo=memo, on=on, closed=_closed_up_to())
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if (earlier := _earlier(key, lines, on)) is not None:  # posted while this call waited
        return earlier
    if chain.closed_at is not None:
        problems.append(_("The chain %(chain)s is closed.") % {"chain": chain.name})
    if problems:
        raise ValidationError(problems)
    sequence = chain.length + 1
    digest = journal_hash(
        key=key,
        on=on,
        memo=memo,
        chain=chain.name,
        sequence=sequence,
        previous=chain.head,
        reverses=reverses.key if reverses else None,
        entries=[(account.code, currency, value) for account, value, currency in lines],
    )
    try:
        with transaction.atomic():  # a savepoint: the key may be taken at this moment
            journal = Journal.objects.create(
                key=key,
                on=on,
                memo=memo,
                chain=chain,
                sequence=sequence,
                previous=chain.head,
                hash=digest,
                form=JOURNAL_FORM,
                reverses=reverses,
                posted_by=user,
            )
    except IntegrityError:
        # The same key posted into another chain at the same moment: PostgreSQL made this
        # insert wait for that transaction, which has committed, so its journal is visible.
        if (earlier := _earlier(key, lines, on)) is not None:
            return earlier
        raise
    Entry.objects.bulk_create(
        Entry(journal=journal, account=account, amount=value, currency=currency)
        for account, value, currency in lines
    )
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for account, value, _currency in lines:
        deltas[account.pk] += value
    _add_one_by_one(deltas)
    chain.length, chain.head = sequence, digest
    chain.save(update_fields=["length", "head"])
    return journal


def _within_the_column(delta: Decimal) -> Q:
    """Accounts whose balance plus ``delta`` still fits the column (AMOUNT)."""
    return Q(balance__lt=AMOUNT_LIMIT - delta, balance__gt=-AMOUNT_LIMIT - delta)


def _add_one_by_one(deltas: dict[int, Decimal]) -> None:
    """Add each delta to its account's balance, the rows locked in primary-key order; refused in
    words, every account named, when a balance would not fit its column."""
    overflowing = {
        pk: deltas[pk]
        for pk in sorted(deltas)
        if not Account.objects.filter(_within_the_column(deltas[pk]), pk=pk).update(
            balance=F("balance") + deltas[pk]
        )
    }
    if overflowing:
        _refuse_overflow(overflowing)


def _refuse_overflow(deltas: dict[int, Decimal]) -> None:
    """Raise in words for the accounts whose balance plus delta would not fit the column."""
    problems = []
    for account in Account.objects.filter(pk__in=deltas).order_by("pk"):
        balance = account.balance + deltas[account.pk]
        if abs(balance) >= AMOUNT_LIMIT:
            problems.append(
                _(
                    "The balance of %(account)s would be %(balance)s %(currency)s, more than "
                    "the ledger holds."
                )
                % {
                    "account": account.code,
                    "balance": fixed_text(balance, account.currency),
                    "currency": account.currency,
                }
            )
    raise ValidationError(problems or [_("A balance would be more than the ledger holds.")])


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
    closed = _closed_up_to()
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
            lines = [_line(account, amount) for account, amount in posting.lines]
            problems = _problems(lines, memo=posting.memo, on=posting.on, closed=closed)
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
            _add_written_to_balances(chain, after=first, ids=span)
    else:
        _add_to_balances(deltas)
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
            if (
                not _same_lines(earlier[posting.key], lines)
                or earlier[posting.key].on != posting.on
            ):
                raise _key_reused(posting.key)
            continue
        given = _fingerprint(posting.on, lines)
        if posting.key in seen:  # twice in one batch
            if seen[posting.key] != given:
                raise _key_reused(posting.key)
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


# What the journals of a chain after a sequence add to each account, computed by the database
# from the entries just inserted, so that Python keeps no delta per account (a pay run of
# 100,000 workers touches 300,000): the rows locked in primary-key order, then updated where the
# balance still fits its column; those where it would not are returned. The entries are found
# by the range of their journals' ids (an index range, however large the ledger), those of other
# chains' journals in that range left out.
ADD_WRITTEN = """
WITH written AS (
    SELECT e.account_id, sum(e.amount) AS delta
    FROM wages_entry e JOIN wages_journal j ON j.id = e.journal_id
    WHERE e.journal_id BETWEEN %(least)s AND %(greatest)s
        AND j.chain_id = %(chain)s AND j.sequence > %(after)s
    GROUP BY e.account_id HAVING sum(e.amount) <> 0
), locked AS (
    SELECT a.id, w.delta, abs(a.balance + w.delta) < %(limit)s AS fits
    FROM wages_account a JOIN written w ON w.account_id = a.id
    ORDER BY a.id FOR UPDATE OF a
), added AS (
    UPDATE wages_account a SET balance = a.balance + l.delta
    FROM locked l WHERE a.id = l.id AND l.fits
)
SELECT id, delta FROM locked WHERE NOT fits
"""


def _add_written_to_balances(chain: Chain, *, after: int, ids: list[int]) -> None:
    """Add what the journals of ``chain`` after sequence ``after`` (those this call wrote, whose
    ids are within ``ids``, least and greatest) add to each account's balance, in one statement
    (PostgreSQL); refused in words when a balance would not fit its column."""
    least, greatest = ids
    params = {"chain": chain.pk, "after": after, "limit": AMOUNT_LIMIT}
    with connection.cursor() as cursor:
        cursor.execute(ADD_WRITTEN, params | {"least": least, "greatest": greatest})
        overflowing = dict(cursor.fetchall())
    if overflowing:
        _refuse_overflow(overflowing)


def _add_to_balances(deltas: dict[int, Decimal]) -> None:
    """Add each account's delta to its balance, the rows locked in primary-key order; refused in
    words when a balance would not fit its column."""
    pks = sorted(pk for pk, delta in deltas.items() if delta != 0)
    if not pks:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM wages_account "
                "WHERE id = ANY(ARRAY(SELECT json_array_elements_text(%s::json)::bigint)) "
                "ORDER BY id FOR UPDATE",
                [json_rows(pks)],
            )
            cursor.execute(
                "UPDATE wages_account AS a SET balance = a.balance + (d->>1)::numeric "
                "FROM json_array_elements(%s::json) AS d WHERE a.id = (d->>0)::bigint "
                "AND abs(a.balance + (d->>1)::numeric) < %s",
                [json_rows([[pk, deltas[pk]] for pk in pks]), AMOUNT_LIMIT],
            )
            if cursor.rowcount != len(pks):
                _refuse_overflow({pk: deltas[pk] for pk in pks})
        return
    _add_one_by_one({pk: deltas[pk] for pk in pks})


@transaction.atomic
def reverse_journal(
    journal: Journal, *, key: str, on: datetime.date, memo: str, chain: Chain, user=None
) -> Journal:
    """The error-correcting journal: every entry of ``journal`` negated. Once per journal."""
    journal = Journal.objects.select_for_update().get(pk=journal.pk)
    earlier = Journal.objects.filter(key=key).first()
    if earlier is None and Journal.objects.filter(reverses=journal).exists():
        raise ValidationError(_("This journal was already reversed."))
    if journal.reverses_id is not None:
        raise ValidationError(_("A reversing journal is not reversed: post a new journal."))
    lines = [(entry.account, -entry.amount) for entry in journal.entries.select_related("account")]
    return post_journal(
        key=key, on=on, lines=lines, memo=memo, chain=chain, user=user, reverses=journal
    )


def open_chain(name: str) -> Chain:
    chain, _created = Chain.objects.get_or_create(name=name)
    return chain


@transaction.atomic
def close_chain(chain: Chain) -> Checkpoint:
    """Close ``chain`` and append its head to the checkpoint sequence (numbers without gaps:
    the last checkpoint is locked while the next is written), signed with the ledger key
    (``LedgerKeysMissing`` when none is configured: nothing is closed unsigned)."""
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if chain.closed_at is not None:
        checkpoint = Checkpoint.objects.filter(chain_name=chain.name).first()
        if checkpoint is None:
            raise ValidationError(
                _("The chain %(chain)s is closed but has no checkpoint: run verify_ledger.")
                % {"chain": chain.name}
            )
        return checkpoint
    if connection.vendor == "postgresql":
        # One checkpoint is appended at a time (there may be no row to lock yet); SQLite
        # serialises writers anyway.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
    last = Checkpoint.objects.order_by("-sequence").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.hash if last else ""
    content = checkpoint_content(
        sequence=sequence,
        chain=chain.name,
        length=chain.length,
        head=chain.head,
        previous=previous,
        form=CHECKPOINT_FORM,
    )
    signature = sign_checkpoint(content)
    checkpoint = Checkpoint.objects.create(
        sequence=sequence,
        chain_name=chain.name,
        length=chain.length,
        head=chain.head,
        previous=previous,
        hash=content_hash(content),
        form=CHECKPOINT_FORM,
        key_id=signature.key_id,
        signature=signature.value,
    )
    chain.closed_at = timezone.now()
    chain.save(update_fields=["closed_at"])
    return checkpoint


@transaction.atomic
def close_period(up_to: datetime.date, *, user) -> PeriodClose:
    """Refuse postings dated on or before ``up_to`` from now on: a past day, later than the
    last close."""
    if up_to >= timezone.localdate():
        raise ValidationError(_("Only a day in the past can be closed."))
    closed = _closed_up_to()
    if closed is not None and up_to <= closed:
        raise ValidationError(
            _("The period up to %(closed)s is already closed.") % {"closed": closed}
        )
    return PeriodClose.objects.create(up_to=up_to, closed_by=user)


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def places(self) -> int:
        """The decimals of the account's currency, as its amounts are shown."""
        return decimal_places(self.account.currency)


@dataclass(frozen=True)
class TrialBalance:
    on: datetime.date
    rows: list[TrialBalanceRow]

    def totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Currency → (debits, credits): equal when the ledger balances."""
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for row in self.rows:
            totals[row.account.currency][0] += row.debit
            totals[row.account.currency][1] += row.credit
        return {currency: (debit, credit) for currency, (debit, credit) in totals.items()}


def trial_balance(on: datetime.date) -> TrialBalance:
    """Every account's balance from the journals dated on or before ``on``, exact to its
    currency's minor unit."""
    sums = [
        {"account": row["account"], "total": in_units(row["total"], row["account__currency"])}
        for row in Entry.objects.filter(journal__on__lte=on)
        .values("account", "account__currency")
        .annotate(total=Sum("amount"))
    ]
    sums = [row for row in sums if row["total"] != 0]
    accounts = Account.objects.in_bulk([row["account"] for row in sums])
    rows = [
        TrialBalanceRow(
            account=accounts[row["account"]],
            debit=max(row["total"], Decimal(0)),
            credit=max(-row["total"], Decimal(0)),
        )
        for row in sums
    ]
    rows.sort(key=lambda row: (row.account.currency, row.account.code))
    return TrialBalance(on=on, rows=rows)
