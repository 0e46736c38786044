"""Test helpers for what the database itself guarantees: statements run past every Python check,
refusals rolled back alone, triggers switched off to tamper as a database owner could, and calls
raced on real concurrent connections."""

import threading
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction


def raw(sql, *params):
    """Run ``sql`` as any client of the database could: the first row of a query, else the
    number of rows changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else cursor.rowcount


@contextmanager
def refused_by_the_database():
    """The statement fails and is rolled back alone (a savepoint), so the test can look after."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        yield refused


def first_line(refused) -> str:
    """The server's message, without the trigger's CONTEXT lines."""
    return str(refused.value).splitlines()[0]


@contextmanager
def triggers_off(*tables):
    """Tamper as someone with the database owner's rights could. On PostgreSQL the tables' own
    triggers are disabled meanwhile (pending deferred checks run first: ALTER TABLE refuses a
    table with pending trigger events); SQLite has none to disable."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def race(*calls, expected=(ValidationError,)):
    """Run ``calls`` at the same moment, each in its own thread and database connection; what
    each returned or raised, in the order of ``calls``. An error other than ``expected`` (a
    deadlock, a duplicate key) is raised here, so the test fails with it."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("A raced call never finished: a lock was never released.")
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, expected):
            raise outcome
    return outcomes
