"""Finance officers acting on one pay run, or creating runs, at the same moment on real PostgreSQL
connections (``wages.payruns``): a run is approved once and posted once, two officers calculating
leave one set of lines, two overlapping runs are never both created (the second is refused in
words), and runs of two prisons are created side by side.
"""

import threading
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import ModelLogEntry

from brand.demo.seed import ensure_wagtail_roots
from core.formatting import format_day
from core.testing.database import race
from tests.postgres.payrun_builders import (
    CHAIN,
    FIRST_DAY,
    LAST_DAY,
    LINES,
    POSTED_BALANCES,
    REFERENCE,
    approved_run,
    build_finance_officer,
    build_payroll,
    build_south,
    calculated_run,
    week_run,
)
from tests.postgres.payrun_checks import (
    WAIT,
    at_statement,
    balances,
    journal_key,
    line_values,
    runs,
    until_a_connection_waits_on_this_one,
    wait_for,
)
from tests.workshops.production_builders import day
from wages import payruns
from wages.ledger import verify_ledger
from wages.models import Chain, Checkpoint, Entry, Journal, PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from wages.payruns.line_hashes import lines_hash
from workshops.models import ProductionLock, ProductionRecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


def logged(action):
    """Who did ``action`` (``bridgework.pay_run_<action>``), once per entry of the audit log."""
    return list(
        ModelLogEntry.objects.filter(action=f"bridgework.pay_run_{action}").values_list(
            "user__username", flat=True
        )
    )


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
        f"Pay run {run.reference} already covers {format_day(run.period_start)} to "
        f"{format_day(run.period_end)} "
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
