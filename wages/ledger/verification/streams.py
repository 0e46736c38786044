"""Reading the ledger for verification: plain SQL rows streamed a chunk at a time inside one
snapshot, and exact amounts from whatever the database stored."""

from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction

from core.money import decimal_places, minor_unit
from wages.models.ledger import AMOUNT_LIMIT

STREAM_CHUNK = 2_000  # rows fetched at a time from each stream


def in_units(total, currency: str) -> Decimal:
    """A database sum, exact to the minor unit of ``currency`` (SQLite adds decimals as
    floats)."""
    value = exact_decimal(total)
    return (value if value is not None else Decimal(0)).quantize(
        minor_unit(currency), rounding=ROUND_HALF_UP
    )


@contextmanager
def snapshot():
    """One consistent view of the ledger for the whole check."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def stream_rows(sql: str, params=()):
    """The rows of ``sql``, fetched ``STREAM_CHUNK`` at a time (a server-side cursor on
    PostgreSQL), as the database gives them."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(STREAM_CHUNK):
            yield from chunk


class Stream:
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


def exact_decimal(value) -> Decimal | None:
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


def amount_text(amount: Decimal, currency: str) -> str:
    try:
        return f"{amount:.{decimal_places(currency)}f}"
    except (ValueError, TypeError):
        return str(amount)


def amount_problem(amount: Decimal, currency: str) -> str | None:
    if abs(amount) >= AMOUNT_LIMIT:
        return f"{amount} {currency} is more than the ledger holds"
    if amount != amount.quantize(minor_unit(currency)):
        return f"{amount} has more decimals than {currency} has"
    return None
