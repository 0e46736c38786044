"""What the PostgreSQL pay-run tests read and how they time two connections: every pay-run and
ledger row (to show that a refused statement left all of it as it was), and gates that hold one
connection at an exact statement until the other waits on its locks.
"""

import threading
import time

from core.testing.database import raw
from tests.postgres.payrun_builders import REFERENCE
from wages.models import Account, Entry, PayRun, PayRunLine

NEXT_REFERENCE = "PR-north-prison-2026-11-09"
WAIT = 10  # seconds a gated connection waits for the other before the test fails


def runs():
    return sorted(
        PayRun.objects.values_list(
            "pk",
            "reference",
            "prison",
            "period_start",
            "period_end",
            "status",
            "chain",
            "approved_by",
            "approved_hash",
            "posted_by",
            "gross",
        )
    )


def line_values(run):
    """Worker → (hours, pieces, gross, own spending, back wages) of ``run``'s lines."""
    return list(
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list("worker__reference", "hours", "pieces", "gross", "own_spending", "back_wages")
    )


def balances():
    return sorted(Account.objects.exclude(balance=0).values_list("code", "balance"))


def account(code):
    """An account of the shop's, or the wages-expense account the pay runs post to."""
    kind = {"bank": "asset", "sales": "income", "wages-expense": "expense"}[code]
    return Account.objects.get_or_create(
        code=code, currency="EUR", defaults={"name": code.title(), "kind": kind}
    )[0]


def journal_key(worker):
    return f"payrun:{REFERENCE}:{worker}"


def entry_of(worker, account):
    return Entry.objects.get(journal__key=journal_key(worker), account__code=account)


def at_statement(prefix, *, before=None, after=None):
    """An execute wrapper (``connection.execute_wrapper``) that calls ``before`` and ``after``
    around each statement of this connection beginning with ``prefix``: a gate at an exact
    point inside a service's transaction."""

    def wrapper(execute, sql, params, many, context):
        if sql.startswith(prefix) and before:
            before()
        result = execute(sql, params, many, context)
        if sql.startswith(prefix) and after:
            after()
        return result

    return wrapper


def wait_for(event: threading.Event, what: str) -> None:
    if not event.wait(WAIT):
        raise TimeoutError(f"The other connection never {what}.")


def until_a_connection_waits_on_this_one(unless: threading.Event | None = None) -> None:
    """Return once another connection is blocked on a lock this connection holds (pg_locks and
    pg_blocking_pids are read live, not from a snapshot), or ``unless`` is set."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and not (unless and unless.is_set()):
        (waiting,) = raw(
            "SELECT count(*) FROM pg_locks "
            "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        if waiting:
            return
        time.sleep(0.02)
    if not (unless and unless.is_set()):
        raise TimeoutError("No other connection ever waited on this one's locks.")


def after(event: threading.Event, call):
    def run():
        wait_for(event, "wrote")
        return call()

    return run
