"""Two pay runs reaching for the same late record at once on real PostgreSQL connections leave it
to one, and the other is told which run took it; a lock over free records losing a race is
refused in words.
"""

import threading
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.payrun_checks import WAIT, until_a_connection_waits_on_this_one
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    build_pay_world,
    draft,
    locks,
    posted,
    record,
)
from wages.models import PayRun, PayRunLine
from wages.payruns import calculate_pay_run
from wages.payruns.records import records_to_pay
from workshops.models import ProductionLock, ProductionRecord
from workshops.production import lock_production

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


RUN_1 = "PR-north-prison-2026-11-02"
# two runs of one prison reaching for the same late record


LOCKING = "INSERT INTO workshops_lockedrecord"


def week_1_posted_with_a_late_record():
    """Week 1 posted, then a record of W-000001 entered late for it; weeks 2 and 3 drafts (week
    3 leaves week 2's own days to it, but both may pay the late record)."""
    pay = build_pay_world()
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 2), "6", 40)
    posted(pay, WEEK_1)
    late = record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 5), "3")
    return pay, late, draft(pay, WEEK_2), draft(pay, WEEK_3)


def one_took_it(outcomes, late, week_2, week_3) -> PayRun:
    """Exactly one run holds the late record; the other was refused naming it and holds
    nothing. Returns the one."""
    [winner] = [outcome for outcome in outcomes if isinstance(outcome, (PayRun, ProductionLock))]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    winner = PayRun.objects.get(reference=winner.reference)
    loser = week_3 if winner.pk == week_2.pk else week_2
    late = ProductionRecord.objects.get(pk=late.pk)
    assert refused.messages == [f"Record {late} is already locked by pay run {winner.reference}."]
    assert locks()[late.pk] == winner.reference
    assert not ProductionLock.objects.filter(reference=loser.reference).exists()
    assert PayRun.objects.get(pk=loser.pk).status == PayRun.Status.DRAFT
    return winner


@at_once
def test_two_runs_calculated_at_once_over_the_same_late_record_one_is_told_which_took_it():
    """Calculations of one prison's runs take turns: the second finds the record held by the
    first, not yet posted, and is refused naming it. (Once, it quietly paid the
    rest, and the outcome depended on the timing.)"""
    pay, late, week_2, week_3 = week_1_posted_with_a_late_record()

    outcomes = race(
        partial(calculate_pay_run, week_2, user=pay.calculator),
        partial(calculate_pay_run, week_3, user=pay.approver),
    )

    winner = one_took_it(outcomes, late, week_2, week_3)
    assert list(
        PayRunLine.objects.filter(run=winner).values_list("worker__reference", "hours")
    ) == [("W-000001", Decimal("3.00"))]


LOCKING = "INSERT INTO workshops_lockedrecord"


@at_once
def test_two_runs_locking_the_same_late_record_at_once_the_loser_is_told_which_took_it():
    """The runs' locks are taken at the same moment, each from the records its run pays (as a
    calculation takes them): both read the late record as free; the first to insert holds it
    until the other waits on it, then commits; the other's INSERT then fails on the record's
    key and is refused naming the run that took it. (Once, it re-read its records,
    already filtered to those no run held, found none taken and raised the bare
    IntegrityError.)"""
    _pay, late, week_2, week_3 = week_1_posted_with_a_late_record()

    outcomes = locked_at_once(
        (records_to_pay(week_2), week_2.reference), (records_to_pay(week_3), week_3.reference)
    )

    one_took_it(outcomes, late, week_2, week_3)


@at_once
def test_a_lock_over_free_records_losing_a_race_is_refused_in_words():
    """A caller that passes only the records no run holds cannot be told which run took one,
    but is refused in words, never with the database's error."""
    _pay, late, week_2, week_3 = week_1_posted_with_a_late_record()
    free = ProductionRecord.objects.filter(locked__isnull=True)

    outcomes = locked_at_once((free, week_2.reference), (free, week_3.reference))

    [held] = [outcome for outcome in outcomes if isinstance(outcome, ProductionLock)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert refused.messages == [
        "Another pay run locked some of these records meanwhile: calculate again."
    ]
    assert locks()[late.pk] == held.reference
    assert list(ProductionLock.objects.values_list("reference", flat=True).order_by("pk")) == [
        RUN_1,
        held.reference,
    ]


def locked_at_once(*calls):
    """``lock_production(records, reference)`` for each (records, reference) on its own
    connection, all reading the records before any inserts: the first to insert holds its rows
    until another waits on them."""
    all_read, done = threading.Barrier(len(calls)), threading.Event()

    def gate(execute, sql, params, many, context):
        if sql.startswith(LOCKING):
            all_read.wait(WAIT)
        result = execute(sql, params, many, context)
        if sql.startswith(LOCKING):
            until_a_connection_waits_on_this_one(unless=done)
        return result

    def locking(records, reference):
        def call():
            try:
                with connection.execute_wrapper(gate), transaction.atomic():
                    return lock_production(records, reference)
            finally:
                done.set()

        return call

    return race(*(locking(records, reference) for records, reference in calls))
