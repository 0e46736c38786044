"""The one way money moves: ``post_journal``; and the checks that prove the ledger intact.

    post_journal(*, key, on, lines, memo, chain, user=None, reverses=None) -> Journal
        lines: [(account, amount), ...]; amount a Money, or a Decimal in the account's currency;
        positive debits, negative credits. Balanced per currency, idempotent on ``key`` (the same
        key with other lines raises ``JournalKeyReused``), refused into a closed chain or a closed
        period, amounts of more decimals than the currency has refused (never rounded silently).
    post_journals(postings, *, chain, user=None) -> int    many at once (a pay run's journals),
        the same rules journal by journal, set-based writes; returns how many were new
    reverse_journal(journal, *, key, on, memo, chain, user=None) -> Journal   at most once each
    open_chain(name) -> Chain;  close_chain(chain) -> Checkpoint
    close_period(up_to, *, user) -> PeriodClose            a past day, later than the last
    trial_balance(on) -> TrialBalance
    verify_ledger() -> list[str]          every mismatch found; empty when intact
    record_verification(*, user) -> LedgerVerification    a run kept for the auditors

Hashes are SHA-256 over canonical JSON (``core.signing.canonical_bytes``): a journal's covers its
key, date, memo, chain, number, the previous hash, what it reverses and its entries (account code,
currency, amount); a checkpoint's covers its number, chain, length, the chain's head and the
previous checkpoint's hash.
"""

import datetime
import hashlib
import itertools
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from core.money import minor_unit
from core.postgres import json_rows
from core.signing import canonical_bytes_of_built
from wages.models import (
    Account,
    Chain,
    Checkpoint,
    Entry,
    Journal,
    LedgerVerification,
    PeriodClose,
)

CHECKPOINT_LOCK = 7_340_001  # the advisory lock that serialises appending checkpoints


class JournalKeyReused(ValidationError):
    """The key was used before for a journal with other lines."""


def _digest(content: dict) -> str:
    return hashlib.sha256(canonical_bytes_of_built(content)).hexdigest()


def journal_hash(*, key, on, memo, chain, sequence, previous, reverses, entries) -> str:
    """``entries``: (account code, currency, amount) triples, in any order."""
    return _digest(
        {
            "key": key,
            "on": on.isoformat(),
            "memo": memo,
            "chain": chain,
            "sequence": sequence,
            "previous": previous,
            "reverses": reverses,
            "entries": sorted(
                [code, currency, f"{amount:.2f}"] for code, currency, amount in entries
            ),
        }
    )


def checkpoint_hash(*, sequence, chain, length, head, previous) -> str:
    return _digest(
        {"sequence": sequence, "chain": chain, "length": length, "head": head, "previous": previous}
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
    if value != value.quantize(minor_unit(currency)):
        raise ValidationError(
            _("%(amount)s has more decimals than %(currency)s has: round it first.")
            % {"amount": value, "currency": currency}
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


@transaction.atomic
def post_journal(
    *, key: str, on: datetime.date, lines, memo: str, chain: Chain, user=None, reverses=None
) -> Journal:
    lines = [_line(account, amount) for account, amount in lines]
    earlier = Journal.objects.filter(key=key).first()
    if earlier is not None:
        if not _same_lines(earlier, lines) or earlier.on != on:
            raise JournalKeyReused(
                _("The journal key %(key)s was used before with other lines.") % {"key": key}
            )
        return earlier
    problems = _problems(lines, memo=memo, on=on, closed=_closed_up_to())
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    earlier = Journal.objects.filter(key=key).first()  # posted while this call waited
    if earlier is not None:
        if not _same_lines(earlier, lines) or earlier.on != on:
            raise JournalKeyReused(
                _("The journal key %(key)s was used before with other lines.") % {"key": key}
            )
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
    journal = Journal.objects.create(
        key=key,
        on=on,
        memo=memo,
        chain=chain,
        sequence=sequence,
        previous=chain.head,
        hash=digest,
        reverses=reverses,
        posted_by=user,
    )
    Entry.objects.bulk_create(
        Entry(journal=journal, account=account, amount=value, currency=currency)
        for account, value, currency in lines
    )
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for account, value, _currency in lines:
        deltas[account.pk] += value
    for pk in sorted(deltas):  # rows locked in primary-key order
        Account.objects.filter(pk=pk).update(balance=F("balance") + deltas[pk])
    chain.length, chain.head = sequence, digest
    chain.save(update_fields=["length", "head"])
    return journal


@dataclass(frozen=True)
class Posting:
    """One journal for ``post_journals``: ``lines`` as for ``post_journal``."""

    key: str
    on: datetime.date
    memo: str
    lines: list


POSTING_BATCH = 2_000


@transaction.atomic
def post_journals(postings: Iterable[Posting], *, chain: Chain, user=None) -> int:
    """Post many journals into ``chain`` at once, in the order given: each is checked as
    ``post_journal`` checks one, and any refusal refuses them all. Journals and entries are
    written in batches and balances updated in one statement, so a pay run of 100,000 workers
    takes seconds. A key posted before with the same lines is skipped (idempotent); with other
    lines it raises ``JournalKeyReused``. Returns how many journals were new."""
    closed = _closed_up_to()
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if chain.closed_at is not None:
        raise ValidationError(_("The chain %(chain)s is closed.") % {"chain": chain.name})
    sequence, head = chain.length, chain.head
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    new = 0
    postings = iter(postings)
    while batch := list(itertools.islice(postings, POSTING_BATCH)):
        checked = []
        for posting in batch:
            lines = [_line(account, amount) for account, amount in posting.lines]
            problems = _problems(lines, memo=posting.memo, on=posting.on, closed=closed)
            if problems:
                raise ValidationError([f"{posting.key}: {problem}" for problem in problems])
            checked.append((posting, lines))
        earlier = Journal.objects.in_bulk([posting.key for posting in batch], field_name="key")
        journals, entries = [], []
        for posting, lines in checked:
            if posting.key in earlier:
                if not _same_lines(earlier[posting.key], lines) or (
                    earlier[posting.key].on != posting.on
                ):
                    raise JournalKeyReused(
                        _("The journal key %(key)s was used before with other lines.")
                        % {"key": posting.key}
                    )
                continue
            sequence += 1
            digest = journal_hash(
                key=posting.key,
                on=posting.on,
                memo=posting.memo,
                chain=chain.name,
                sequence=sequence,
                previous=head,
                reverses=None,
                entries=[(account.code, currency, value) for account, value, currency in lines],
            )
            journals.append((posting, sequence, head, digest))
            head = digest
            for account, value, currency in lines:
                entries.append((posting.key, account.pk, value, currency))
                deltas[account.pk] += value
        ids = _insert_journals(journals, chain=chain, user=user)
        _insert_entries([(ids[key], *entry) for key, *entry in entries])
        new += len(journals)
    _add_to_balances(deltas)
    chain.length, chain.head = sequence, head
    chain.save(update_fields=["length", "head"])
    return new


def _insert_journals(journals, *, chain: Chain, user) -> dict[str, int]:
    """``journals``: (posting, sequence, previous hash, hash); returns each key's primary key."""
    if not journals:
        return {}
    posted_at = timezone.now()
    if connection.vendor == "postgresql":  # one statement, no model instances (json_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO wages_journal (key, "on", memo, chain_id, sequence, previous, hash, '
                "posted_at, posted_by_id) "
                "SELECT j->>0, (j->>1)::date, j->>2, %s, (j->>3)::integer, j->>4, j->>5, %s, %s "
                "FROM json_array_elements(%s::json) AS j RETURNING key, id",
                [
                    chain.pk,
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


def _add_to_balances(deltas: dict[int, Decimal]) -> None:
    """Add each account's delta to its balance, the rows locked in primary-key order."""
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
                "FROM json_array_elements(%s::json) AS d WHERE a.id = (d->>0)::bigint",
                [json_rows([[pk, deltas[pk]] for pk in pks])],
            )
        return
    for pk in pks:
        Account.objects.filter(pk=pk).update(balance=F("balance") + deltas[pk])


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
    the last checkpoint is locked while the next is written)."""
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if chain.closed_at is not None:
        return Checkpoint.objects.get(chain_name=chain.name)
    if connection.vendor == "postgresql":
        # One checkpoint is appended at a time (there may be no row to lock yet); SQLite
        # serialises writers anyway.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
    last = Checkpoint.objects.order_by("-sequence").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.hash if last else ""
    checkpoint = Checkpoint.objects.create(
        sequence=sequence,
        chain_name=chain.name,
        length=chain.length,
        head=chain.head,
        previous=previous,
        hash=checkpoint_hash(
            sequence=sequence,
            chain=chain.name,
            length=chain.length,
            head=chain.head,
            previous=previous,
        ),
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
    """Every account's balance from the journals dated on or before ``on``."""
    sums = [
        {"account": row["account"], "total": _cents(row["total"])}
        for row in Entry.objects.filter(journal__on__lte=on)
        .values("account")
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


def record_verification(*, user) -> LedgerVerification:
    """Run ``verify_ledger`` and keep who ran it, when, and what it found."""
    started = time.monotonic()
    problems = verify_ledger()
    return LedgerVerification.objects.create(
        run_by=user,
        journals=Journal.objects.count(),
        checkpoints=Checkpoint.objects.count(),
        problems=problems,
        seconds=Decimal(f"{time.monotonic() - started:.3f}"),
    )


def verify_ledger(progress=None) -> list[str]:
    """Recompute every journal's hash and balance, every chain, every account balance and the
    checkpoint sequence; each mismatch is one line."""
    problems: list[str] = []
    problems += _verify_journals(progress)
    problems += _verify_balances()
    problems += _verify_checkpoints()
    return problems


def _verify_journals(progress) -> list[str]:
    problems = []
    chains = {chain.pk: chain for chain in Chain.objects.all()}
    reversed_keys = dict(
        Journal.objects.filter(reverses__isnull=False).values_list("pk", "reverses__key")
    )
    entries = (
        Entry.objects.order_by("journal__chain", "journal__sequence", "pk")
        .values_list("journal", "account__code", "currency", "amount", "account__currency")
        .iterator(chunk_size=20_000)
    )
    grouped: dict[int, list] = defaultdict(list)
    for journal_id, code, currency, amount, account_currency in entries:
        grouped[journal_id].append((code, currency, amount))
        if currency != account_currency:
            problems.append(
                f"journal {journal_id}: an entry in {currency} on a {account_currency} account"
            )
    seen: dict[int, tuple[int, str]] = {}
    journals = Journal.objects.order_by("chain", "sequence").values_list(
        "pk", "key", "on", "memo", "chain", "sequence", "previous", "hash"
    )
    for count, (pk, key, on, memo, chain_id, sequence, previous, stored) in enumerate(
        journals.iterator(chunk_size=20_000), start=1
    ):
        if progress and count % 10_000 == 0:
            progress(count)
        lines = grouped.pop(pk, [])
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for _code, currency, amount in lines:
            totals[currency] += amount
        if any(total != 0 for total in totals.values()) or len(lines) < 2:
            problems.append(f"journal {key}: does not balance")
        last_sequence, last_hash = seen.get(chain_id, (0, ""))
        chain = chains[chain_id].name
        if sequence != last_sequence + 1:
            problems.append(f"chain {chain}: journal {last_sequence + 1} is missing")
        if previous != last_hash:
            problems.append(f"journal {key}: does not follow the journal before it")
        recomputed = journal_hash(
            key=key,
            on=on,
            memo=memo,
            chain=chain,
            sequence=sequence,
            previous=previous,
            reverses=reversed_keys.get(pk),
            entries=lines,
        )
        if recomputed != stored:
            problems.append(f"journal {key}: its content does not match its hash")
        seen[chain_id] = (sequence, stored)
    for journal_id in grouped:
        problems.append(f"entries of journal {journal_id}, which does not exist")
    for chain in chains.values():
        length, head = seen.get(chain.pk, (0, ""))
        if (chain.length, chain.head) != (length, head):
            problems.append(f"chain {chain.name}: its head does not match its journals")
    return problems


def _cents(total) -> Decimal:
    """A database sum as exact cents (SQLite adds decimals as floats)."""
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def _verify_balances() -> list[str]:
    sums = {
        account: _cents(total)
        for account, total in Entry.objects.values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    }
    return [
        f"account {code} ({currency}): balance {balance:.2f}, "
        f"entries sum to {sums.get(pk, Decimal(0)):.2f}"
        for pk, code, currency, balance in Account.objects.values_list(
            "pk", "code", "currency", "balance"
        )
        if _cents(balance) != sums.get(pk, Decimal(0))
    ]


def _verify_checkpoints() -> list[str]:
    problems = []
    chains = {chain.name: chain for chain in Chain.objects.all()}
    previous = ""
    expected = 1
    for checkpoint in Checkpoint.objects.order_by("sequence"):
        problems += [
            f"checkpoint {number} is missing" for number in range(expected, checkpoint.sequence)
        ]
        expected = checkpoint.sequence + 1
        if checkpoint.previous != previous:
            problems.append(f"checkpoint {checkpoint.sequence}: does not follow the one before it")
        recomputed = checkpoint_hash(
            sequence=checkpoint.sequence,
            chain=checkpoint.chain_name,
            length=checkpoint.length,
            head=checkpoint.head,
            previous=checkpoint.previous,
        )
        if recomputed != checkpoint.hash:
            problems.append(
                f"checkpoint {checkpoint.sequence}: its content does not match its hash"
            )
        chain = chains.pop(checkpoint.chain_name, None)
        if chain is None:
            problems.append(
                f"chain {checkpoint.chain_name} of checkpoint {checkpoint.sequence} is missing"
            )
        elif (chain.length, chain.head) != (checkpoint.length, checkpoint.head):
            problems.append(f"chain {chain.name}: does not match its checkpoint")
        previous = checkpoint.hash
    for chain in chains.values():
        if chain.closed_at is not None:
            problems.append(f"chain {chain.name}: closed without a checkpoint")
    return problems
