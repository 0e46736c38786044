"""Adding what journals post to their accounts' balances: one by one, or in one statement for a
batch; refused in words when a balance would not fit the column (``AMOUNT_LIMIT``)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.money import fixed_text
from core.postgres import json_rows
from wages.models import Account, Chain
from wages.models.ledger import AMOUNT_LIMIT


def _within_the_column(delta: Decimal) -> Q:
    """Accounts whose balance plus ``delta`` still fits the column (AMOUNT)."""
    return Q(balance__lt=AMOUNT_LIMIT - delta, balance__gt=-AMOUNT_LIMIT - delta)


def add_one_by_one(deltas: dict[int, Decimal]) -> None:
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
        refuse_overflow(overflowing)


def refuse_overflow(deltas: dict[int, Decimal]) -> None:
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


def add_written_to_balances(chain: Chain, *, after: int, ids: list[int]) -> None:
    """Add what the journals of ``chain`` after sequence ``after`` (those this call wrote, whose
    ids are within ``ids``, least and greatest) add to each account's balance, in one statement
    (PostgreSQL); refused in words when a balance would not fit its column."""
    least, greatest = ids
    params = {"chain": chain.pk, "after": after, "limit": AMOUNT_LIMIT}
    with connection.cursor() as cursor:
        cursor.execute(ADD_WRITTEN, params | {"least": least, "greatest": greatest})
        overflowing = dict(cursor.fetchall())
    if overflowing:
        refuse_overflow(overflowing)


def add_to_balances(deltas: dict[int, Decimal]) -> None:
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
                refuse_overflow({pk: deltas[pk] for pk in pks})
        return
    add_one_by_one({pk: deltas[pk] for pk in pks})
