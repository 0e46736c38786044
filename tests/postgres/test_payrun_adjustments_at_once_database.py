"""A posted pay run keeps what it paid, on real PostgreSQL connections: an adjustment and the
posting of the run holding its record take turns, so the adjustment is paid exactly once (by the
next run), and a posting begun while a record is adjusted waits, then is refused in words.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.payrun_builders import LINES, REFERENCE, approved_run, build_payroll, week_run
from tests.postgres.payrun_checks import (
    NEXT_REFERENCE,
    line_values,
    until_a_connection_waits_on_this_one,
    wait_for,
)
from tests.workshops.production_builders import day
from wages.ledger import verify_ledger
from wages.models import Journal, PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from wages.payruns.verification import verify_pay_runs
from workshops.models import ProductionAdjustment, ProductionLock, ProductionRecord
from workshops.production import adjust_production

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


at_once = pytest.mark.django_db(transaction=True)  # real connections see each other's commits


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


# an adjustment and a posting take turns


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
