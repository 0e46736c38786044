"""The hash of a pay run's lines, which approval pins and posting checks: the same in Python and,
on PostgreSQL, computed by the database."""

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
        .values_list(*LINE_FIELDS)
        .iterator(chunk_size=5_000)
    )
    digest.update(canonical_bytes_of_built({"run": run.reference, "currency": run.currency}))
    for row in rows:
        line = [_canonical(v, name, run.currency) for name, v in zip(LINE_FIELDS, row, strict=True)]
        digest.update(canonical_bytes_of_built({"line": line}))
    return digest.hexdigest()


def _lines_hash_in_database(run: PayRun) -> str:
    """PostgreSQL's form of ``lines_hash``: SHA-256 of the canonical header (run and currency)
    followed by the SHA-256 of each line's ``LINE_FIELDS`` as a JSON array in the database's
    text form (numbers with their column's decimals, JSON columns as stored), in the order of
    the workers' ids (sorting by reference, as Python does, costs a text sort of every line).
    One query; the database holds 32 bytes per line while it hashes."""
    columns = []
    for name in LINE_FIELDS:
        relation, _sep, field = name.rpartition("__")
        if relation:
            related = PayRunLine._meta.get_field(relation).related_model
            columns.append(f"w.{related._meta.get_field(field).column}")
        else:
            columns.append(f"l.{PayRunLine._meta.get_field(field).column}")
    header = canonical_bytes_of_built({"run": run.reference, "currency": run.currency})
    with connection.cursor() as cursor:
        cursor.execute(
            # Column names from the model's own fields; the values are parameters.
            "SELECT encode(sha256(%s::bytea || coalesce(string_agg("  # noqa: S608 # nosec B608
            f"sha256(convert_to(jsonb_build_array({', '.join(columns)})::text, 'UTF8')), "
            "''::bytea ORDER BY l.worker_id), ''::bytea)), 'hex') "
            "FROM wages_payrunline l JOIN workshops_worker w ON w.id = l.worker_id "
            "WHERE l.run_id = %s",
            [header, run.pk],
        )
        return cursor.fetchone()[0]


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
