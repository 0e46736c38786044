"""Supervisors saving and correcting records while a pay run is calculated, on real PostgreSQL
connections: a record is either paid by the run that locked it or left free for a later one, and
a correction begun while the records are locked waits, then is refused in words.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.payrun_builders import LINES, REFERENCE, build_payroll, week_run
from tests.postgres.payrun_checks import (
    NEXT_REFERENCE,
    at_statement,
    line_values,
    until_a_connection_waits_on_this_one,
    wait_for,
)
from tests.workshops.production_builders import TODAY, day
from wages.models import PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from workshops.models import ProductionRecord
from workshops.production import Entry as GridEntry
from workshops.production import correct_production, save_grid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


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
