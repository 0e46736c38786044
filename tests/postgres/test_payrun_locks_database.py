"""A posted pay run keeps what it paid, on real PostgreSQL connections: an adjustment and the posting of the run holding its record take turns, so the
adjustment is paid exactly once; triggers keep a final lock and its rows; two runs reaching for
the same late record at once leave it to one, and the other is told which; and the whole flow
holds with a prison slug of the longest length allowed."""

import threading
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, race, raw, refused_by_the_database, triggers_off
from tests.postgres.payrun_builders import (
    LINES,
    REFERENCE,
    approved_run,
    build_payroll,
    week_run,
)
from tests.postgres.payrun_checks import (
    NEXT_REFERENCE,
    WAIT,
    line_values,
    until_a_connection_waits_on_this_one,
    wait_for,
)
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    attend,
    build_pay_world,
    draft,
    everything,
    locks,
    posted,
    record,
)
from tests.workshops.production_builders import day
from wages.ledger import verify_ledger
from wages.models import Chain, Journal, PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, cancel_pay_run, post_pay_run
from wages.payruns.records import records_to_pay
from wages.payruns.verification import verify_pay_runs
from workshops.models import ProductionAdjustment, ProductionLock, ProductionRecord
from workshops.production import adjust_production, lock_production

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


# Item 1: an adjustment and a posting take turns


def after_the_adjustment_check(call):
    """An execute wrapper that calls ``call`` once posting has counted the run's records
    adjusted since its calculation: the moment between that check and what posting settles."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT COUNT(*)") and "workshops_productionadjustment" in sql:
            call()
        return result

    return wrapper


def two_more_hours(payroll):
    """W-000001's Tuesday, 6 h paid by the week's run, was 8 h."""
    return adjust_production(
        record=ProductionRecord.objects.get(day=day(1)),
        hours="8.00",
        pieces=0,
        rejects=0,
        reason="Two hours were missed",
        user=payroll.world.supervisor,
    )


def next_week_pays(payroll, adjustment):
    """The next week's run pays the adjustment (2 h at 2.00) and settles it on posting."""
    following = approve_pay_run(
        calculate_pay_run(week_run(payroll, first=day(7), last=day(13)), user=payroll.calculator),
        user=payroll.approver,
    )
    line = PayRunLine.objects.get(run=following, worker__reference="W-000001")
    assert (line.hours, line.adjustments, line.gross, line.settles) == (
        Decimal("0.00"),
        Decimal("4.00"),
        Decimal("4.00"),
        [adjustment.pk],
    )
    post_pay_run(following, user=payroll.poster)
    adjustment.refresh_from_db()
    assert adjustment.settled_by == NEXT_REFERENCE


@at_once
def test_an_adjustment_made_while_a_run_is_posted_is_paid_by_the_next_run(payroll):
    """The supervisor adjusts a record of the run after posting has checked for adjustments and
    before it settles them. The adjustment waits on the lock's row that posting holds, then is
    made once the run is posted: the run settles nothing of it, and the next run pays the two
    hours. (Once, the adjustment went through at once and posting settled it: paid
    by no run.)"""
    run = approved_run(payroll)
    checked, adjusted = threading.Event(), threading.Event()

    def hold():
        checked.set()
        until_a_connection_waits_on_this_one(unless=adjusted)

    def post():
        with connection.execute_wrapper(after_the_adjustment_check(hold)):
            return post_pay_run(run, user=payroll.poster)

    def adjust():
        wait_for(checked, "checked for adjustments")
        try:
            return two_more_hours(payroll)
        finally:
            adjusted.set()

    posted_run, adjustment = race(post, adjust)

    assert posted_run.status == PayRun.Status.POSTED
    assert line_values(run) == LINES
    adjustment.refresh_from_db()
    assert (adjustment.settled_by, adjustment.old_hours, adjustment.new_hours) == (
        "",
        Decimal("6.00"),
        Decimal("8.00"),
    )
    assert verify_pay_runs() == []
    next_week_pays(payroll, adjustment)
    assert verify_ledger() == []


@at_once
def test_a_posting_begun_while_a_record_is_adjusted_waits_then_is_refused_in_words(payroll):
    """The adjustment holds the lock's row until its commit: posting waits for it, then sees
    it and refuses, posting nothing."""
    run = approved_run(payroll)
    adjusted = threading.Event()

    def adjust():
        with transaction.atomic():
            made = two_more_hours(payroll)
            adjusted.set()
            until_a_connection_waits_on_this_one()
        return made

    def post():
        wait_for(adjusted, "adjusted the record")
        return post_pay_run(run, user=payroll.poster)

    adjustment, refused = race(adjust, post)

    assert refused.messages == [
        f"1 of the records pay run {REFERENCE} pays were adjusted after it was calculated: "
        "cancel it and calculate a new run."
    ]
    assert PayRun.objects.values_list("status", "chain").get() == (PayRun.Status.APPROVED, None)
    assert Journal.objects.count() == 0
    lock = ProductionLock.objects.get(reference=REFERENCE)
    assert (lock.finalised_at, lock.released_at) == (None, None)
    assert ProductionAdjustment.objects.get().settled_by == ""
    assert adjustment.new_hours == Decimal("8.00")


# Item 2: triggers keep a final lock


@pytest.fixture
def week_posted():
    """Week 1 posted: a record and a training session of W-000000."""
    pay = build_pay_world()
    first = pay.workers[0]
    pay.paid = record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    pay.session = attend(pay, first, D(2026, 11, 4), "2")
    pay.run = posted(pay)
    pay.lock = ProductionLock.objects.get(reference=pay.run.reference)
    return pay


def kept(pay):
    return {
        **everything(),
        "locks": locks(),
        "lock": list(ProductionLock.objects.values_list("pk", "released_at", "finalised_at")),
        "attendance": list(ProductionLock.objects.get(pk=pay.lock.pk).attendance.all()),
    }


RUN_1 = "PR-north-prison-2026-11-02"
FINAL = "is final: it cannot change or be deleted"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE workshops_productionlock SET released_at = now() WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "UPDATE workshops_productionlock SET finalised_at = NULL WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "UPDATE workshops_productionlock SET finalised_at = NULL, released_at = now() "
            "WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "DELETE FROM workshops_productionlock WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "DELETE FROM workshops_lockedrecord WHERE lock_id = %(lock)s",
            f"production record {{record}} was paid by posted pay run {RUN_1}: its lock is final",
        ),
        (
            "INSERT INTO workshops_lockedrecord (lock_id, record_id) VALUES (%(lock)s, %(free)s)",
            f"the lock of posted pay run {RUN_1} is final: it holds no more records",
        ),
        (
            "UPDATE workshops_trainingattendance SET lock_id = NULL WHERE id = %(session)s",
            f"training attendance {{session}} is paid by pay run {RUN_1}: release that lock first",
        ),
        (
            "DELETE FROM workshops_trainingattendance WHERE id = %(session)s",
            f"training attendance {{session}} is paid by pay run {RUN_1}: it cannot be deleted",
        ),
        (
            "UPDATE workshops_trainingattendance SET lock_id = %(lock)s WHERE id = %(late)s",
            f"the lock of posted pay run {RUN_1} is final: it holds no more training",
        ),
    ],
    ids=[
        "release",
        "unfinalise",
        "unfinalise-and-release",
        "delete-lock",
        "delete-rows",
        "add-record",
        "free-attendance",
        "delete-attendance",
        "add-attendance",
    ],
)
def test_a_raw_change_to_a_final_lock_is_refused(week_posted, sql, message):
    pay = week_posted
    free = record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 5), "3")
    late = attend(pay, pay.workers[1], D(2026, 11, 5), "1")
    ids = {
        "lock": pay.lock.pk,
        "record": pay.paid.pk,
        "free": free.pk,
        "session": pay.session.pk,
        "late": late.pk,
    }
    before = kept(pay)

    with refused_by_the_database() as refused, connection.cursor() as cursor:
        cursor.execute(sql, ids)

    assert first_line(refused) == message.format(**ids)
    assert kept(pay) == before
    assert verify_pay_runs() == []


def test_a_lock_not_yet_final_is_still_released_and_emptied_by_cancelling(week_posted):
    """The triggers guard final locks only: cancelling the next run frees what it held."""
    pay = week_posted
    late = record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 5), "3")
    run = calculate_pay_run(draft(pay, WEEK_2), user=pay.calculator)

    cancel_pay_run(run, user=pay.calculator, reason="Wrong week")

    assert (locks()[late.pk], locks()[pay.paid.pk]) == (None, RUN_1)
    assert raw("SELECT count(*) FROM workshops_productionlock WHERE released_at IS NOT NULL") == (
        1,
    )


# Item 4: two runs of one prison reaching for the same late record


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


# Item 5: the longest prison slug and worker references


SLUG = "north-" + "x" * 114  # a prison's slug has at most 120 characters


def test_a_run_of_a_prison_with_the_longest_slug_is_posted_and_verified():
    """Its reference (run again, so with a suffix) has 136 characters, its chain's name 143 and
    its journals' keys, with workers' references of 20, 164; once, PostgreSQL
    refused the reference (60) with a DataError."""
    pay = build_pay_world()
    pay.prison.slug = SLUG
    pay.prison.save()
    with triggers_off("workshops_worker"):  # the world's consents already use the references
        for n, worker in enumerate(pay.workers):
            worker.reference = f"W-{n:018d}"
            worker.save()
    first, second = pay.workers
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, second, pay.crew, D(2026, 11, 3), "5")
    cancel_pay_run(draft(pay), user=pay.calculator, reason="Created too early")

    run = calculate_pay_run(draft(pay), user=pay.calculator)
    run = approve_pay_run(run, user=pay.approver)
    run = post_pay_run(run, user=pay.approver)

    reference = f"PR-{SLUG}-2026-11-02-2"
    assert (run.reference, len(reference), run.status) == (reference, 136, PayRun.Status.POSTED)
    assert list(Chain.objects.values_list("name", flat=True)) == [f"payrun:{reference}"]
    keys = sorted(Journal.objects.values_list("key", flat=True))
    assert keys == [f"payrun:{reference}:W-{n:018d}" for n in range(2)]
    assert [len(key) for key in keys] == [164, 164]
    assert ProductionLock.objects.get(reference=reference).is_final
    assert verify_ledger() == []
    assert verify_pay_runs() == []
