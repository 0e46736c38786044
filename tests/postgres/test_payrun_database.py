"""What PostgreSQL itself guarantees about pay runs (migration 0005 of ``wages``): runs of one
prison never overlap unless cancelled, and a posted run and its lines never change; and what
``wages.payruns`` keeps true when officers and supervisors act on real connections at the same
moment: a run is approved once and posted once, two overlapping runs are never both created, a
record is either paid by the run that locked it or left free for a later one, and posting beside
other journals neither deadlocks nor loses a cent. ``verify_ledger`` finds what only someone with
the triggers switched off could do to a posted run's journals."""

import threading
import time
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from wagtail.models import ModelLogEntry

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, race, raw, refused_by_the_database, triggers_off
from tests.postgres.payrun_builders import (
    CHAIN,
    FIRST_DAY,
    LAST_DAY,
    LINES,
    POSTED_BALANCES,
    REFERENCE,
    approved_run,
    approved_south_run,
    build_finance_officer,
    build_payroll,
    build_south,
    calculated_run,
    posted_run,
    week_run,
)
from tests.workshops.production_builders import TODAY, day
from wages import payruns
from wages.ledger import close_chain, open_chain, post_journal, verify_ledger
from wages.models import Account, Chain, Checkpoint, Entry, Journal, PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, cancel_pay_run, post_pay_run
from wages.payruns.line_hashes import lines_hash
from workshops.models import Contract, Prison, ProductionLock, ProductionRecord, Worker
from workshops.production import Entry as GridEntry
from workshops.production import correct_production, save_grid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits

NEXT_REFERENCE = "PR-north-prison-2026-11-09"
WAIT = 10  # seconds a gated connection waits for the other before the test fails


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


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


def lines():
    return sorted(
        PayRunLine.objects.values_list(
            "pk", "run", "worker", "hours", "pieces", "gross", "own_spending", "payers"
        )
    )


def line_values(run):
    """Worker → (hours, pieces, gross, own spending, back wages) of ``run``'s lines."""
    return list(
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list("worker__reference", "hours", "pieces", "gross", "own_spending", "back_wages")
    )


def ledger():
    return {
        "journals": sorted(
            Journal.objects.values_list("pk", "key", "on", "chain", "sequence", "previous", "hash")
        ),
        "entries": sorted(Entry.objects.values_list("pk", "journal", "account", "amount")),
        "balances": sorted(Account.objects.values_list("code", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(
            Checkpoint.objects.values_list("sequence", "chain_name", "length", "head", "hash")
        ),
    }


def everything():
    """Every pay-run and ledger row, to show that a refused statement left all of it as it was."""
    return {"runs": runs(), "lines": lines(), **ledger()}


def balances():
    return sorted(Account.objects.exclude(balance=0).values_list("code", "balance"))


def logged(action):
    """Who did ``action`` (``bridgework.pay_run_<action>``), once per entry of the audit log."""
    return list(
        ModelLogEntry.objects.filter(action=f"bridgework.pay_run_{action}").values_list(
            "user__username", flat=True
        )
    )


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


# Two finance officers at once


@at_once
def test_a_run_posted_by_two_officers_at_once_is_posted_once(payroll):
    """The second call waits on the run's row lock, then finds it posted and returns it as it is:
    one journal per worker with pay, in one chain, closed by one checkpoint."""
    run = approved_run(payroll)
    other = build_finance_officer("finance-posts-too")

    outcomes = race(
        partial(post_pay_run, run, user=payroll.poster),
        partial(post_pay_run, run, user=other),
    )

    run.refresh_from_db()
    assert run.posted_by in (payroll.poster, other)
    assert [(o.pk, o.status, o.chain_id, o.posted_by_id) for o in outcomes] == [
        (run.pk, PayRun.Status.POSTED, run.chain_id, run.posted_by_id)
    ] * 2
    assert logged("posted") == [run.posted_by.username]
    assert list(
        Journal.objects.order_by("sequence").values_list("key", "chain__name", "sequence", "on")
    ) == [
        (journal_key("W-000000"), CHAIN, 1, LAST_DAY),
        (journal_key("W-000001"), CHAIN, 2, LAST_DAY),
    ]
    assert PayRunLine.objects.filter(run=run, gross__gt=0).count() == Journal.objects.count()
    assert Entry.objects.count() == 10
    assert list(Chain.objects.values_list("pk", "name", "length")) == [(run.chain_id, CHAIN, 2)]
    assert list(Checkpoint.objects.values_list("sequence", "chain_name", "length")) == [
        (1, CHAIN, 2)
    ]
    assert balances() == POSTED_BALANCES
    assert verify_ledger() == []


@at_once
def test_a_run_approved_by_two_officers_at_once_is_approved_once(payroll):
    run = calculated_run(payroll)

    outcomes = race(
        partial(approve_pay_run, run, user=payroll.approver),
        partial(approve_pay_run, run, user=payroll.poster),
    )

    [approved] = [outcome for outcome in outcomes if isinstance(outcome, PayRun)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert refused.messages == [
        f"Pay run {REFERENCE} is approved: only a calculated run is approved."
    ]
    assert approved.approved_by in (payroll.approver, payroll.poster)
    assert PayRun.objects.values_list("status", "approved_by", "approved_hash").get() == (
        PayRun.Status.APPROVED,
        approved.approved_by.pk,
        run.result_hash,
    )
    assert logged("approved") == [approved.approved_by.username]


@at_once
def test_two_officers_calculating_at_once_leave_one_set_of_lines(payroll):
    """The second calculation waits on the run's row lock, then recalculates from the records
    the first one locked: one lock, one line per worker, the hash of those lines."""
    run = week_run(payroll)

    outcomes = race(
        partial(calculate_pay_run, run, user=payroll.calculator),
        partial(calculate_pay_run, run, user=payroll.approver),
    )

    assert [outcome.status for outcome in outcomes] == [PayRun.Status.CALCULATED] * 2
    run.refresh_from_db()
    assert line_values(run) == LINES
    assert (run.workers, run.gross, run.result_hash) == (3, Decimal("29.00"), lines_hash(run))
    assert list(ProductionLock.objects.values_list("reference", "released_at")) == [
        (REFERENCE, None)
    ]
    assert ProductionRecord.objects.filter(locked__lock__reference=REFERENCE).count() == 3
    assert sorted(logged("calculated")) == ["finance-approves", "finance-calculates"]


# Two overlapping runs created at once


OVERLAP_REFUSED = "Another pay run of North Prison covers part of this period."


def creating(payroll, first, last, gate=None):
    def call():
        if gate is None:
            return week_run(payroll, first=first, last=last)
        wrapper = at_statement('INSERT INTO "wages_payrun"', before=lambda: gate.wait(WAIT))
        with connection.execute_wrapper(wrapper):
            return week_run(payroll, first=first, last=last)

    return call


def covers(run) -> str:
    return (
        f"Pay run {run.reference} already covers {run.period_start} to {run.period_end} "
        "for North Prison: cancel it or choose another period."
    )


@at_once
def test_two_overlapping_runs_created_at_once_one_is_refused(payroll):
    """Creations for one prison take turns on the prison's row: whichever comes second sees the
    other's run and is refused by the service's check, naming it."""
    outcomes = race(creating(payroll, FIRST_DAY, LAST_DAY), creating(payroll, day(3), day(9)))

    [made] = [outcome for outcome in outcomes if isinstance(outcome, PayRun)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert refused.messages == [covers(made)]
    assert runs() == [
        (
            made.pk,
            made.reference,
            payroll.prison.pk,
            made.period_start,
            made.period_end,
            PayRun.Status.DRAFT,
            None,
            None,
            "",
            None,
            Decimal("0.00"),
        )
    ]
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1


@at_once
def test_a_creation_begun_while_another_is_inserting_waits_for_it_then_is_refused_in_words(
    payroll,
):
    """The second creation starts after the first has inserted its run but before it commits.
    It waits on the prison's row, then its check finds the committed run. Without the turn it
    would pass the check, meet the first run at the exclusion constraint, and be refused there
    (or, when both reach the constraint together, ended as a deadlock)."""
    inserted = threading.Event()

    def hold():
        inserted.set()
        until_a_connection_waits_on_this_one()

    def first():
        with connection.execute_wrapper(at_statement('INSERT INTO "wages_payrun"', after=hold)):
            return week_run(payroll)

    def second():
        wait_for(inserted, "inserted its run")
        return week_run(payroll, first=day(3), last=day(9))

    made, refused = race(first, second)

    assert refused.messages == [covers(made)]
    assert list(PayRun.objects.values_list("reference", "period_start", "period_end")) == [
        (REFERENCE, FIRST_DAY, LAST_DAY)
    ]
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 1


@at_once
def test_runs_of_two_prisons_are_created_side_by_side(payroll):
    """The turn is per prison: a run of another prison is created while the first creation
    still holds its prison's row."""
    south = build_south(payroll)
    inserted, south_done = threading.Event(), threading.Event()

    def hold():
        inserted.set()
        wait_for(south_done, "created the other prison's run")

    def north():
        with connection.execute_wrapper(at_statement('INSERT INTO "wages_payrun"', after=hold)):
            return week_run(payroll)

    def other():
        wait_for(inserted, "inserted its run")
        try:
            return payruns.create_pay_run(
                prison=south,
                period_start=FIRST_DAY,
                period_end=LAST_DAY,
                user=payroll.calculator,
            )
        finally:
            south_done.set()

    made_north, made_south = race(north, other)

    assert made_south.prison_id == south.pk
    assert sorted(PayRun.objects.values_list("reference", "prison__name")) == [
        (made_north.reference, "North Prison"),
        ("PR-south-prison-2026-11-02", "South Prison"),
    ]


# The exclusion constraint, in raw SQL


def insert_run(payroll, reference, first, last, *, status="draft", prison=None) -> int:
    (pk,) = raw(
        "INSERT INTO wages_payrun (reference, prison_id, period_start, period_end, status, "
        "currency, created_by_id, created_at, result_hash, approved_hash, cancel_reason, "
        "workers, gross, deductions, back_wages, warnings) "
        "VALUES (%s, %s, %s, %s, %s, 'EUR', %s, now(), '', '', '', 0, 0, 0, 0, 0) RETURNING id",
        reference,
        (prison or payroll.prison).pk,
        first,
        last,
        status,
        payroll.calculator.pk,
    )
    return pk


OVERLAPS = {
    "the-same-week": (FIRST_DAY, LAST_DAY),
    "ending-on-its-first-day": (day(-6), FIRST_DAY),
    "starting-on-its-last-day": (LAST_DAY, day(12)),
    "one-day-inside": (day(3), day(3)),
    "around-it": (day(-30), day(30)),
}


@pytest.mark.parametrize("status", ["draft", "calculated", "approved"])
@pytest.mark.parametrize("period", OVERLAPS.values(), ids=OVERLAPS.keys())
def test_a_raw_insert_of_an_overlapping_run_is_refused(payroll, period, status):
    week_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        insert_run(payroll, "PR-RAW", *period, status=status)

    assert first_line(refused) == (
        'conflicting key value violates exclusion constraint "pay_runs_do_not_overlap"'
    )
    assert everything() == before


def test_a_raw_insert_of_an_overlapping_cancelled_run_is_accepted(payroll):
    week_run(payroll)

    pk = insert_run(payroll, "PR-RAW", FIRST_DAY, LAST_DAY, status="cancelled")

    assert sorted(PayRun.objects.values_list("reference", "status", "period_start")) == [
        ("PR-RAW", "cancelled", FIRST_DAY),
        (REFERENCE, "draft", FIRST_DAY),
    ]
    assert PayRun.objects.get(pk=pk).period_end == LAST_DAY


def test_a_cancelled_run_does_not_stop_a_raw_insert_over_its_period(payroll):
    cancel_pay_run(week_run(payroll), user=payroll.calculator, reason="Wrong week")

    insert_run(payroll, "PR-RAW", day(3), day(3))

    assert sorted(PayRun.objects.values_list("reference", "status")) == [
        ("PR-RAW", "draft"),
        (REFERENCE, "cancelled"),
    ]


def test_a_raw_update_reviving_a_cancelled_run_over_another_is_refused(payroll):
    cancelled = cancel_pay_run(week_run(payroll), user=payroll.calculator, reason="Wrong week")
    week_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        raw("UPDATE wages_payrun SET status = 'draft' WHERE id = %s", cancelled.pk)

    assert first_line(refused) == (
        'conflicting key value violates exclusion constraint "pay_runs_do_not_overlap"'
    )
    assert everything() == before
    assert sorted(PayRun.objects.values_list("reference", "status")) == [
        (REFERENCE, "cancelled"),
        (f"{REFERENCE}-2", "draft"),
    ]


def test_raw_runs_next_to_a_run_or_of_another_prison_are_accepted(payroll):
    week_run(payroll)
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=payroll.prison.region, population="men"
    )

    insert_run(payroll, "PR-BEFORE", day(-7), day(-1))
    insert_run(payroll, "PR-AFTER", day(7), day(13))
    insert_run(payroll, "PR-SOUTH", FIRST_DAY, LAST_DAY, prison=south)

    assert sorted(PayRun.objects.values_list("reference", "prison__slug", "period_start")) == [
        ("PR-AFTER", "north-prison", day(7)),
        ("PR-BEFORE", "north-prison", day(-7)),
        ("PR-SOUTH", "south-prison", FIRST_DAY),
        (REFERENCE, "north-prison", FIRST_DAY),
    ]


# A posted run never changes


def first_workers_line():
    return PayRunLine.objects.get(worker__reference="W-000000").pk


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wages_payrunline SET gross = 99 WHERE id = %s",
        "UPDATE wages_payrunline SET hours = hours WHERE id = %s",
        "DELETE FROM wages_payrunline WHERE id = %s",
    ],
    ids=["gross", "unchanged-value", "delete"],
)
def test_a_raw_change_to_a_posted_runs_line_is_refused(payroll, sql):
    posted_run(payroll)
    pk = first_workers_line()
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, pk)

    assert (
        first_line(refused)
        == f"pay run line {pk} of a posted run: it cannot be added, changed or deleted"
    )
    assert everything() == before
    assert verify_ledger() == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wages_payrun SET gross = 0 WHERE id = %s",
        "UPDATE wages_payrun SET period_end = period_end + 7 WHERE id = %s",
        "UPDATE wages_payrun SET status = 'cancelled', cancel_reason = 'Wrong' WHERE id = %s",
        "DELETE FROM wages_payrun WHERE id = %s",
    ],
    ids=["gross", "period", "cancel", "delete"],
)
def test_a_raw_change_to_a_posted_run_is_refused(payroll, sql):
    run = posted_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, run.pk)

    assert first_line(refused) == f"pay run {REFERENCE} is posted: it cannot change"
    assert everything() == before


def test_the_orm_cannot_delete_a_posted_run_either(payroll):
    """Deleting cascades to the lines first: their trigger refuses."""
    run = posted_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        PayRun.objects.filter(pk=run.pk).delete()

    assert first_line(refused).endswith("of a posted run: it cannot be added, changed or deleted")
    assert everything() == before


def test_the_lines_and_row_of_a_run_not_yet_posted_may_change(payroll):
    """The triggers guard posted runs only: an approved run's lines can still be changed in raw
    SQL, which posting then refuses by the hash approval pinned."""
    run = approved_run(payroll)
    pk = first_workers_line()

    assert raw("UPDATE wages_payrunline SET gross = 18 WHERE id = %s", pk) == 1
    assert raw("UPDATE wages_payrun SET warnings = 2 WHERE id = %s", run.pk) == 1

    with pytest.raises(ValidationError) as refused:
        post_pay_run(run, user=payroll.poster)
    assert refused.value.messages == [
        f"Pay run {REFERENCE} no longer matches what was approved: cancel it and calculate a "
        "new run."
    ]
    assert PayRun.objects.values_list("status", "warnings").get() == ("approved", 2)
    assert Journal.objects.count() == 0


def test_a_raw_insert_of_a_line_into_a_posted_run_is_refused(payroll):
    run = posted_run(payroll)
    newcomer = Worker.objects.create(
        reference="W-000009", legal_name="Legal W-000009", prison_number="PW-000009"
    )
    before = everything()

    with refused_by_the_database():
        raw(
            "INSERT INTO wages_payrunline (run_id, worker_id, hours, pieces, training_hours, "
            "earned, adjustments, gross, payers, deductions, own_spending, back_wages, "
            "back_wages_by_payer, settles, warnings) VALUES (%s, %s, 40, 0, 0, 80, 0, 80, "
            "'{\"own\": \"80.00\"}', '{}', 80, 0, '{}', '[]', '[]')",
            run.pk,
            newcomer.pk,
        )

    assert everything() == before


def test_a_raw_update_moving_a_line_into_a_posted_run_is_refused(payroll):
    posted = posted_run(payroll)
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=payroll.prison.region, population="men"
    )
    open_run = insert_run(payroll, "PR-SOUTH", FIRST_DAY, LAST_DAY, prison=south)
    newcomer = Worker.objects.create(
        reference="W-000009", legal_name="Legal W-000009", prison_number="PW-000009"
    )
    line = PayRunLine.objects.create(
        run_id=open_run, worker=newcomer, gross=Decimal(80), own_spending=Decimal(80)
    )
    before = everything()

    with refused_by_the_database():
        raw("UPDATE wages_payrunline SET run_id = %s WHERE id = %s", posted.pk, line.pk)

    assert everything() == before


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("wages_entry", "UPDATE wages_entry SET amount = -15.45 WHERE id = %s"),
        ("wages_entry", "DELETE FROM wages_entry WHERE id = %s"),
        ("wages_journal", "UPDATE wages_journal SET memo = 'Bonus' WHERE id = %s"),
        ("wages_journal", "DELETE FROM wages_journal WHERE id = %s"),
    ],
    ids=["entry-amount", "entry-delete", "journal-memo", "journal-delete"],
)
def test_a_raw_change_to_a_posted_runs_journal_is_refused(payroll, table, sql):
    posted_run(payroll)
    entry = entry_of("W-000000", "worker:W-000000:own-spending")
    pk = entry.pk if table == "wages_entry" else entry.journal_id
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, pk)

    assert first_line(refused) == (
        f"{table} {pk} is posted: it cannot be changed or deleted (post a reversing journal)"
    )
    assert everything() == before
    assert verify_ledger() == []


# verify_ledger finds what only someone past the triggers could do


def test_verify_finds_a_pay_run_amount_altered_with_the_triggers_disabled(payroll):
    posted_run(payroll)
    entry = entry_of("W-000000", "worker:W-000000:own-spending")

    with triggers_off("wages_entry"):
        assert raw("UPDATE wages_entry SET amount = -13.45 WHERE id = %s", entry.pk) == 1

    assert verify_ledger() == [
        f"journal {journal_key('W-000000')}: does not balance",
        f"journal {journal_key('W-000000')}: its content does not match its hash",
        "account worker:W-000000:own-spending (EUR): balance -14.45, entries sum to -13.45",
    ]


def test_verify_finds_a_pay_run_amount_moved_between_accounts_with_the_journal_balanced(payroll):
    """A euro moved from the worker's own spending to the family: the journal still balances,
    its hash and the two balances do not."""
    posted_run(payroll)
    own = entry_of("W-000000", "worker:W-000000:own-spending")
    family = entry_of("W-000000", "worker:W-000000:family")

    with triggers_off("wages_entry"):
        assert raw("UPDATE wages_entry SET amount = -13.45 WHERE id = %s", own.pk) == 1
        assert raw("UPDATE wages_entry SET amount = -2.70 WHERE id = %s", family.pk) == 1

    assert verify_ledger() == [
        f"journal {journal_key('W-000000')}: its content does not match its hash",
        "account worker:W-000000:family (EUR): balance -1.70, entries sum to -2.70",
        "account worker:W-000000:own-spending (EUR): balance -14.45, entries sum to -13.45",
    ]


def erase_the_run(run) -> None:
    """Every trace of a posted run: its lines and row (the row names the chain), the entries
    and journals of its chain, the chain and its checkpoint."""
    tables = ("wages_payrunline", "wages_payrun", "wages_entry", "wages_journal")
    with triggers_off(*tables, "wages_checkpoint", "wages_chain"):
        assert raw("DELETE FROM wages_payrunline WHERE run_id = %s", run.pk) == 3
        assert raw("DELETE FROM wages_payrun WHERE id = %s", run.pk) == 1
        assert (
            raw(
                "DELETE FROM wages_entry WHERE journal_id IN "
                "(SELECT id FROM wages_journal WHERE chain_id = %s)",
                run.chain_id,
            )
            == 10
        )
        assert raw("DELETE FROM wages_journal WHERE chain_id = %s", run.chain_id) == 2
        assert raw("DELETE FROM wages_checkpoint WHERE chain_name = %s", CHAIN) == 1
        assert raw("DELETE FROM wages_chain WHERE id = %s", run.chain_id) == 1


ERASED_BALANCES = [
    f"account {code} (EUR): balance {balance:.2f}, entries sum to 0.00"
    for code, balance in POSTED_BALANCES
]


def test_verify_finds_a_pay_runs_whole_chain_deleted_with_the_triggers_disabled(payroll):
    """Its checkpoint was the last one: the balances still remember the journals."""
    erase_the_run(posted_run(payroll))

    assert verify_ledger() == ERASED_BALANCES


def test_verify_finds_the_gap_a_pay_runs_deleted_chain_leaves_in_the_checkpoints(payroll):
    run = posted_run(payroll)
    shop = open_chain("shop:2026-11-09")
    post_journal(
        key="shop-1",
        on=day(7),
        lines=[(account("bank"), Decimal("12.00")), (account("sales"), Decimal("-12.00"))],
        memo="A bowl sold",
        chain=shop,
    )
    close_chain(shop)

    erase_the_run(run)

    assert verify_ledger() == [
        *ERASED_BALANCES,
        "checkpoint 1 is missing",
        "checkpoint 2: does not follow the one before it",
    ]


# A supervisor saving a day while the run is calculated


LOCKING = "INSERT INTO workshops_lockedrecord"
MOMENTS = {
    "before-the-records-are-locked": "paid",
    "after-they-are-locked-before-the-lines": "left",
    "while-the-calculation-waits-on-it": "left",
}


def supervisor_saves_a_day(payroll, run, moment):
    """Calculate ``run`` on one connection while the supervisor saves Thursday's record of
    W-000001 (5 h, 10 pieces) on another, the supervisor's transaction committing at
    ``moment``; gates at the statement that locks the records make the moment exact. The third
    moment is a supervisor's transaction open over the locking: the grid locks the day's
    workers ``FOR NO KEY UPDATE``, which the key share locks of the run's lines pass, so the
    calculation does not see the record, may finish before it commits, and leaves it free."""
    locked, committed, inserted, finished = (threading.Event() for _ in range(4))
    world = payroll.world

    def save():
        entry = GridEntry(
            worker=world.workers[1],
            workshop=world.workshop,
            day=day(3),
            sku=world.skus[0],
            hours=Decimal("5.00"),
            pieces=10,
        )
        return save_grid(
            workshop=world.workshop, day=day(3), entries=[entry], user=world.supervisor, today=TODAY
        )

    if moment == "before-the-records-are-locked":
        gate = at_statement(LOCKING, before=lambda: wait_for(committed, "committed"))

        def supervise():
            saved = save()
            committed.set()
            return saved

    elif moment == "after-they-are-locked-before-the-lines":

        def hold():
            locked.set()
            wait_for(committed, "committed")

        gate = at_statement(LOCKING, after=hold)

        def supervise():
            wait_for(locked, "locked the records")
            saved = save()
            committed.set()
            return saved

    else:
        gate = at_statement(LOCKING, before=lambda: wait_for(inserted, "inserted"))

        def supervise():
            with transaction.atomic():
                saved = save()
                inserted.set()
                until_a_connection_waits_on_this_one(unless=finished)
            return saved

    def calculate():
        try:
            with connection.execute_wrapper(gate):
                return calculate_pay_run(run, user=payroll.calculator)
        finally:
            finished.set()

    return race(calculate, supervise)


def assert_every_locked_record_is_paid(run):
    """Each worker's hours and pieces in the run are exactly those of the records it locked."""
    locked = {}
    for worker, hours, pieces in ProductionRecord.objects.filter(
        locked__lock__reference=run.reference, locked__lock__released_at__isnull=True
    ).values_list("worker__reference", "hours", "pieces"):
        total = locked.setdefault(worker, [Decimal(0), 0])
        total[0] += hours
        total[1] += pieces
    assert {
        worker: [hours, pieces]
        for worker, hours, pieces in PayRunLine.objects.filter(run=run).values_list(
            "worker__reference", "hours", "pieces"
        )
    } == locked


@at_once
@pytest.mark.parametrize(
    "moment",
    [
        "before-the-records-are-locked",
        "after-they-are-locked-before-the-lines",
        "while-the-calculation-waits-on-it",
    ],
)
def test_a_record_saved_during_the_calculation_is_paid_by_the_run_or_left_free(payroll, moment):
    run = week_run(payroll)

    calculated, saved = supervisor_saves_a_day(payroll, run, moment)

    assert (type(calculated), saved.created) == (PayRun, 1)
    thursday = ProductionRecord.objects.get(day=day(3))
    assert_every_locked_record_is_paid(calculated)
    if MOMENTS[moment] == "paid":
        assert thursday.lock.reference == REFERENCE
        assert line_values(run) == [
            LINES[0],
            ("W-000001", Decimal("11.00"), 10, Decimal("23.00"), Decimal("19.55"), Decimal("1.75")),
            LINES[2],
        ]
        return
    assert thursday.lock is None
    assert line_values(run) == LINES

    # Left free, it is paid by the next run, as a late record.
    approve_pay_run(calculated, user=payroll.approver)
    post_pay_run(calculated, user=payroll.poster)
    following = calculate_pay_run(
        week_run(payroll, first=day(7), last=day(13)), user=payroll.calculator
    )
    thursday.refresh_from_db()
    assert thursday.lock.reference == NEXT_REFERENCE
    assert_every_locked_record_is_paid(following)
    assert line_values(following) == [
        ("W-000001", Decimal("5.00"), 10, Decimal("11.00"), Decimal("9.35"), Decimal("0.25"))
    ]
    assert PayRunLine.objects.get(run=following).warnings[-1] == {"code": "late_records", "days": 1}


@at_once
def test_a_correction_begun_while_the_records_are_locked_waits_then_is_refused_in_words(payroll):
    """Locking takes a share lock on each record it locks, so a supervisor correcting one of
    them meanwhile waits for the calculation's commit, then finds the record locked: refused by
    the service in words, the run paying the values it read."""
    run = week_run(payroll)
    tuesday = ProductionRecord.objects.get(day=day(1))
    locked = threading.Event()

    def hold():
        locked.set()
        until_a_connection_waits_on_this_one()

    def calculate():
        with connection.execute_wrapper(at_statement(LOCKING, after=hold)):
            return calculate_pay_run(run, user=payroll.calculator)

    def correct():
        wait_for(locked, "locked the records")
        return correct_production(
            record=tuesday,
            hours="6.00",
            pieces=12,
            rejects=0,
            supervisor_note="",
            user=payroll.world.supervisor,
        )

    calculated, refused = race(calculate, correct)

    assert refused.messages == [
        f"This record is locked by pay run {REFERENCE}: change it through a production adjustment."
    ]
    assert ProductionRecord.objects.values_list("hours", "pieces").get(pk=tuesday.pk) == (
        Decimal("6.00"),
        0,
    )
    assert line_values(calculated) == LINES
    assert_every_locked_record_is_paid(calculated)


# Posting beside other journals


def canteen_journal():
    """A journal of the shop's day chain that debits the same wages-expense account."""
    return post_journal(
        key="canteen-2026-11-08",
        on=LAST_DAY,
        lines=[(account("wages-expense"), Decimal("5.00")), (account("bank"), Decimal("-5.00"))],
        memo="Canteen wages",
        chain=open_chain("shop:2026-11-08"),
    )


def held_until_the_other_waits(call, done: threading.Event):
    def run():
        with transaction.atomic():
            result = call()
            done.set()
            until_a_connection_waits_on_this_one()
        return result

    return run


def after(event: threading.Event, call):
    def run():
        wait_for(event, "wrote")
        return call()

    return run


@at_once
@pytest.mark.parametrize("first", ["journal", "pay-run"])
def test_a_run_posted_beside_a_journal_to_the_same_account_neither_deadlocks(payroll, first):
    """One transaction holds the wages-expense row until the other is seen waiting on it; then
    both commit, in either order, and every balance is the sum of its entries."""
    account("wages-expense")
    account("bank")
    run = approved_run(payroll)
    wrote = threading.Event()
    posting = partial(post_pay_run, run, user=payroll.poster)

    if first == "journal":
        outcomes = race(held_until_the_other_waits(canteen_journal, wrote), after(wrote, posting))
        journal, posted = outcomes
    else:
        outcomes = race(held_until_the_other_waits(posting, wrote), after(wrote, canteen_journal))
        posted, journal = outcomes

    assert (journal.key, posted.status) == ("canteen-2026-11-08", PayRun.Status.POSTED)
    assert balances() == sorted(
        [
            ("bank", Decimal("-5.00")),
            *[(c, b + 5 if c == "wages-expense" else b) for c, b in POSTED_BALANCES],
        ]
    )
    assert sorted(Chain.objects.values_list("name", "length")) == [
        (CHAIN, 2),
        ("shop:2026-11-08", 1),
    ]
    assert list(Checkpoint.objects.values_list("sequence", "chain_name")) == [(1, CHAIN)]
    assert verify_ledger() == []


# The first runs of two prisons, posted at once


SOUTH_CHAIN = "payrun:PR-south-prison-2026-11-02"


def both_posted_balances(partner):
    """The balances once both weeks are posted: the shared accounts hold both runs' sums."""
    south = {
        f"partner:{partner}:labour": Decimal("32.50"),
        "wages-expense": Decimal("8.00"),
        "wages-expense:back-wages": Decimal("1.00"),
        "deduction:victims-fund": Decimal("-2.02"),
        "worker:W-000100:family": Decimal("-3.25"),
        "worker:W-000100:own-spending": Decimal("-27.63"),
        "worker:W-000101:family": Decimal("-0.80"),
        "worker:W-000101:own-spending": Decimal("-6.80"),
        "worker:W-000101:back-wages": Decimal("-1.00"),
    }
    both = dict(POSTED_BALANCES)
    for code, amount in south.items():
        both[code] = both.get(code, Decimal(0)) + amount
    return sorted(both.items())


@at_once
def test_two_prisons_runs_posted_at_once_share_the_wages_accounts(payroll):
    """Both runs post to wages-expense, the back-wages expense and the victims' fund, which
    exist already: each run locks them in primary-key order, and the checkpoints follow."""
    south = build_south(payroll)
    partner = Contract.objects.get().partner_id
    for code, kind in (
        ("wages-expense", "expense"),
        ("wages-expense:back-wages", "expense"),
        ("deduction:victims-fund", "liability"),
        (f"partner:{partner}:labour", "asset"),
    ):
        Account.objects.create(code=code, name=code, kind=kind, currency="EUR")
    north_run, south_run = approved_run(payroll), approved_south_run(payroll, south)

    outcomes = race(
        partial(post_pay_run, north_run, user=payroll.poster),
        partial(post_pay_run, south_run, user=payroll.approver),
    )

    assert [outcome.status for outcome in outcomes] == [PayRun.Status.POSTED] * 2
    assert balances() == both_posted_balances(partner)
    assert sorted(Checkpoint.objects.values_list("chain_name", "sequence")) in (
        [(CHAIN, 1), (SOUTH_CHAIN, 2)],
        [(CHAIN, 2), (SOUTH_CHAIN, 1)],
    )
    assert verify_ledger() == []


@at_once
def test_the_first_runs_of_two_prisons_posted_at_once_make_their_shared_accounts(
    payroll, monkeypatch
):
    """A batch of accounts per line (``LINE_BATCH`` = 1) stands for runs of more than 2,000
    workers. South's first line (partner work) makes the victims' fund; North's first line
    makes wages-expense, then waits on South for the victims' fund; South's second line then
    needs wages-expense."""
    monkeypatch.setattr("wages.payruns.operations.LINE_BATCH", 1)
    south = build_south(payroll)
    partner = Contract.objects.get().partner_id
    north_run, south_run = approved_run(payroll), approved_south_run(payroll, south)
    made, north_done = threading.Event(), threading.Event()
    first = [True]

    def after_the_first_accounts():
        if first:
            first.clear()
            made.set()
            until_a_connection_waits_on_this_one(unless=north_done)

    def post_south():
        gate = at_statement("INSERT INTO wages_account", after=after_the_first_accounts)
        with connection.execute_wrapper(gate):
            return post_pay_run(south_run, user=payroll.approver)

    def post_north():
        wait_for(made, "made its first accounts")
        try:
            return post_pay_run(north_run, user=payroll.poster)
        finally:
            north_done.set()

    outcomes = race(post_north, post_south)

    assert [outcome.status for outcome in outcomes] == [PayRun.Status.POSTED] * 2
    assert balances() == both_posted_balances(partner)
    assert verify_ledger() == []
