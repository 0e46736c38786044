"""Cancelling pay runs (``wages.payruns.operations``): before posting, with a reason, freeing the
records the run held.
"""

import pytest

from tests.wages.payrun_builders import attendance_locks, calculated, draft, locks, posted
from tests.wages.payrun_examples import RUN_1, _run_in, refusal, run_log, work_week_1
from wages.payruns import cancel_pay_run
from workshops.models import ProductionLock, ProductionRecord

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.mark.parametrize("status", ["calculated", "approved"])
def test_cancelling_a_run_before_posting_frees_its_records(pay_world, status):
    run = _run_in(pay_world, status)
    assert set(locks().values()) == set(attendance_locks().values()) == {RUN_1}

    run = cancel_pay_run(run, user=pay_world.calculator, reason="  Wrong rates  ")

    assert (run.status, run.cancel_reason, run.cancelled_by.username) == (
        "cancelled",
        "Wrong rates",
        "calculator",
    )
    assert set(locks().values()) == {None}
    assert set(attendance_locks().values()) == {None}
    assert ProductionRecord.objects.filter(locked__isnull=False).count() == 0
    assert ProductionLock.objects.get().released_at is not None
    assert run.lines.count() == 2  # kept, as history
    assert run_log(run)[-1] == ("bridgework.pay_run_cancelled", "calculator")


def test_cancelling_a_draft_frees_nothing(pay_world):
    work_week_1(pay_world)
    run = draft(pay_world)

    run = cancel_pay_run(run, user=pay_world.calculator, reason="Not yet")

    assert (run.status, ProductionLock.objects.count()) == ("cancelled", 0)


def test_a_cancellation_needs_a_reason(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)

    assert refusal(lambda: cancel_pay_run(run, user=pay_world.calculator, reason=" \n")) == [
        "Say why the pay run is cancelled."
    ]
    assert set(locks().values()) == {RUN_1}


@pytest.mark.parametrize("status", ["posted", "cancelled"])
def test_a_posted_or_cancelled_run_cannot_be_cancelled(pay_world, status):
    work_week_1(pay_world)
    run = posted(pay_world) if status == "posted" else calculated(pay_world)
    if status == "cancelled":
        cancel_pay_run(run, user=pay_world.calculator, reason="Wrong week")

    assert refusal(lambda: cancel_pay_run(run, user=pay_world.calculator, reason="Oops")) == [
        f"Pay run {RUN_1} is {status}: it cannot be cancelled."
    ]
