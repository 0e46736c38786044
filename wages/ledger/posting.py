"""Posting one journal, ``post_journal``, and reversing one, ``reverse_journal``: the rules a
journal must meet are in ``wages.ledger.rules``; many journals at once, in
``wages.ledger.bulk_posting``."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wages.ledger.balances import add_one_by_one
from wages.ledger.hashing import (
    JOURNAL_FORM,
    journal_hash,
)
from wages.ledger.periods import closed_up_to
from wages.ledger.rules import checked_line, journal_problems, refuse_reused_key
from wages.models import Chain, Entry, Journal


def _earlier(key: str, lines, on: datetime.date) -> Journal | None:
    """The journal posted before under ``key`` when its lines and date are these; None when the
    key is new; ``JournalKeyReused`` when it was used with others."""
    earlier = Journal.objects.filter(key=key).first()
    if earlier is not None:
        refuse_reused_key(earlier, key=key, lines=lines, on=on)
    return earlier


@transaction.atomic
def post_journal(
    *, key: str, on: datetime.date, lines, memo: str, chain: Chain, user=None, reverses=None
) -> Journal:
    lines = [checked_line(account, amount) for account, amount in lines]
    if (earlier := _earlier(key, lines, on)) is not None:
        return earlier
    problems = journal_problems(lines, memo=memo, on=on, closed=closed_up_to())
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
    add_one_by_one(deltas)
    chain.length, chain.head = sequence, digest
    chain.save(update_fields=["length", "head"])
    return journal


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
