"""The hash of a pay run's lines, which approval pins and posting checks: the same in Python and,
on PostgreSQL, computed by the database.

**Forms.** A line hashes ``LINE_FIELDS``; a line that pays a makers' share of sales or back wages
out (issue 22) hashes ``PAID_FIELDS`` after them as well. A line that pays neither hashes exactly
as before they existed, so the hash a run pinned before issue 22 (every one of its lines pays
neither) still matches, and a share or payout changed after approval changes the hash."""

import hashlib
from decimal import Decimal

from django.db import connection

from core.signing import canonical_bytes_of_built
from wages.models import PayRun, PayRunLine
from wages.payruns.amounts import money_text

LINE_FIELDS = (
    "worker__reference",
    "hours",
    "pieces",
    "training_hours",
    "earned",
    "adjustments",
    "gross",
    "payers",
    "deductions",
    "own_spending",
    "back_wages",
    "back_wages_by_payer",
    "settles",
)
# Hashed after LINE_FIELDS only when one of them is not zero (module docstring, "Forms").
PAID_FIELDS = ("sales_share", "back_wages_paid", "back_wages_paid_by_payer")


# Hours are kept to the hundredth in every currency; money to the currency's minor unit.
HOURS_FIELDS = frozenset({"hours", "training_hours"})


def lines_hash(run: PayRun, *, in_database: bool | None = None) -> str:
    """SHA-256 over the run's stored lines, in worker order: what approval pins and posting
    checks. On PostgreSQL the database computes it from the stored values, without sending a
    line to Python (``_lines_hash_in_database``); elsewhere, or with ``in_database=False``, Python
    streams the lines, so a run of any size fits in memory, amounts written with the decimals of
    the run's currency (``money_text``: for a two-decimal currency what they always were). The
    two forms differ: a hash is only ever compared with one made by the same database
    (``lines_match``)."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        return _lines_hash_in_database(run)
    digest = hashlib.sha256()
    rows = (
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list(*LINE_FIELDS, *PAID_FIELDS)
        .iterator(chunk_size=5_000)
    )
    names = LINE_FIELDS + PAID_FIELDS
    digest.update(canonical_bytes_of_built({"run": run.reference, "currency": run.currency}))
    for row in rows:
        if not any(row[len(LINE_FIELDS) :]):
            row = row[: len(LINE_FIELDS)]
        line = [_canonical(v, name, run.currency) for name, v in zip(names, row, strict=False)]
        digest.update(canonical_bytes_of_built({"line": line}))
    return digest.hexdigest()


def _lines_hash_in_database(run: PayRun) -> str:
    """PostgreSQL's form of ``lines_hash``: SHA-256 of the canonical header (run and currency)
    followed by the SHA-256 of each line's ``LINE_FIELDS`` as a JSON array in the database's
    text form (numbers with their column's decimals, JSON columns as stored), in the order of
    the workers' ids (sorting by reference, as Python does, costs a text sort of every line).
    One query; the database holds 32 bytes per line while it hashes."""
    columns = [_column(name) for name in LINE_FIELDS]
    share, paid, by_payer = (_column(name) for name in PAID_FIELDS)
    extended = (
        f"jsonb_build_array({', '.join(columns)}) || CASE WHEN {share} <> 0 OR {paid} <> 0 "
        f"OR {by_payer} <> '{{}}'::jsonb THEN jsonb_build_array({share}, {paid}, {by_payer}) "
        "ELSE '[]'::jsonb END"
    )
    header = canonical_bytes_of_built({"run": run.reference, "currency": run.currency})
    with connection.cursor() as cursor:
        cursor.execute(
            # Column names from the model's own fields; the values are parameters.
            "SELECT encode(sha256(%s::bytea || coalesce(string_agg("  # noqa: S608 # nosec B608
            f"sha256(convert_to(({extended})::text, 'UTF8')), "
            "''::bytea ORDER BY l.worker_id), ''::bytea)), 'hex') "
            "FROM wages_payrunline l JOIN workshops_worker w ON w.id = l.worker_id "
            "WHERE l.run_id = %s",
            [header, run.pk],
        )
        return cursor.fetchone()[0]


def _column(name: str) -> str:
    relation, _sep, field = name.rpartition("__")
    if relation:
        related = PayRunLine._meta.get_field(relation).related_model
        return f"w.{related._meta.get_field(field).column}"
    return f"l.{PayRunLine._meta.get_field(field).column}"


def lines_match(run: PayRun, pinned: str) -> bool:
    """Whether the run's stored lines still hash to ``pinned``. On PostgreSQL, a hash pinned in
    Python's form (before migration ``wages/0010`` let the database hash the lines) still
    matches, so a run calculated or approved before that migration is approved and posted."""
    if lines_hash(run) == pinned:
        return True
    return connection.vendor == "postgresql" and lines_hash(run, in_database=False) == pinned


def _canonical(value, name: str, currency: str):
    if isinstance(value, Decimal):
        return f"{value:.2f}" if name in HOURS_FIELDS else money_text(value, currency)
    return value
