"""Which records a pay run pays (``wages.payruns.records``), one rule for records and training
alike: its own period's, and those of earlier periods left unpaid, except an open earlier run's
period, left to it; a cancelled run's period is paid late by the next run.
"""

import pytest

from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    WEEK_3,
    D,
    attend,
    attendance_locks,
    calculated,
    draft,
    locks,
    posted,
    record,
)
from tests.wages.payrun_lock_checks import RUN_1, RUN_2, refusal
from tests.workshops.builders import build_workshop
from tests.workshops.production_builders import build_worker_in
from wages.payruns import approve_pay_run, calculate_pay_run, cancel_pay_run, post_pay_run
from wages.payruns.records import records_to_pay
from workshops.models import Prison

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


RUN_3 = "PR-north-prison-2026-11-16"


# Which records a run pays: the one rule, at its edges


def test_which_records_a_run_pays(week_posted):
    """Week 1 is posted, week 2 has no run, week 3 is calculated: it pays its own week, and the
    records no run holds dated from week 1's first day (the earliest posted run's) up to its
    own, legacy ones excepted; nothing before week 1, after week 3 or of another prison."""
    pay, first, second = week_posted, *week_posted.workers[:2]
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=pay.prison.region, population="men"
    )
    south_shop = build_workshop("tailoring-south", prison=south)

    def at(day, worker=second, workshop=pay.tailoring, **fields):
        return record(pay, worker, workshop, day, "1", **fields)

    paid = {
        "on the earliest posted run's first day, entered late": at(D(2026, 11, 2)),
        "late in week 1": at(D(2026, 11, 8)),
        "in week 2, which no run covered": at(D(2026, 11, 12)),
        "on the period's first day": at(D(2026, 11, 16)),
        "on the period's last day": at(D(2026, 11, 22)),
    }
    unpaid = {
        "the day before the earliest posted run": at(D(2026, 11, 1)),
        "after the period": at(D(2026, 11, 23)),
        "legacy, in the period": at(D(2026, 11, 17), worker=first, legacy=True),
        "another prison's": record(
            pay, build_worker_in([south_shop], "W-000101"), south_shop, D(2026, 11, 17), "1"
        ),
    }

    run = draft(pay, WEEK_3)
    assert set(records_to_pay(run)) == set(paid.values())
    calculate_pay_run(run, user=pay.calculator)

    holders = locks()
    assert {why: holders[each.pk] for why, each in paid.items()} == dict.fromkeys(paid, RUN_3)
    assert {why: holders[each.pk] for why, each in unpaid.items()} == dict.fromkeys(unpaid)
    assert {holders[each.pk] for each in pay.records} == {RUN_1}


def test_a_run_before_the_earliest_posted_run_pays_its_own_period_only(pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 9), "6", 40)
    posted(pay_world, WEEK_2)
    before = record(pay_world, first, pay_world.tailoring, D(2026, 10, 30), "2")
    own = record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "2")

    calculated(pay_world, WEEK_1)

    assert (locks()[before.pk], locks()[own.pk]) == (None, RUN_1)


def test_a_later_run_leaves_an_open_earlier_runs_period_to_it(week_posted):
    """Week 2's run is a draft when week 3's is calculated: week 2's records are that run's to
    pay, not late records of week 3 (once, week 3 took them, and week 2 paid none).
    A late record of week 1 goes to whichever is calculated first; the other is refused,
    naming it, until that run is posted."""
    pay, second = week_posted, week_posted.workers[1]
    week_2 = draft(pay, WEEK_2)
    waiting = record(pay, second, pay.tailoring, D(2026, 11, 10), "4")
    late = record(pay, second, pay.tailoring, D(2026, 11, 6), "1")

    week_3 = calculated(pay, WEEK_3)
    assert (locks()[waiting.pk], locks()[late.pk]) == (None, RUN_3)

    assert refusal(lambda: calculate_pay_run(week_2, user=pay.calculator)) == [
        f"Record {late} is already locked by pay run {RUN_3}."
    ]
    post_pay_run(approve_pay_run(week_3, user=pay.approver), user=pay.approver)
    calculate_pay_run(week_2, user=pay.calculator)
    assert (locks()[waiting.pk], locks()[late.pk]) == (RUN_2, RUN_3)


def test_a_cancelled_runs_period_is_paid_late_by_the_next_run(week_posted):
    pay, second = week_posted, week_posted.workers[1]
    waiting = record(pay, second, pay.tailoring, D(2026, 11, 10), "4")
    cancel_pay_run(calculated(pay, WEEK_2), user=pay.calculator, reason="Wrong week")

    calculated(pay, WEEK_3)

    assert locks()[waiting.pk] == RUN_3


def test_training_follows_the_same_rule(week_posted):
    pay, second = week_posted, week_posted.workers[1]
    draft(pay, WEEK_2)
    waiting = attend(pay, second, D(2026, 11, 10), "2")
    late = attend(pay, second, D(2026, 11, 6), "1")
    before = attend(pay, second, D(2026, 11, 1), "1")

    calculated(pay, WEEK_3)

    assert {each: attendance_locks()[each.pk] for each in (waiting, late, before, pay.session)} == {
        waiting: None,
        late: RUN_3,
        before: None,
        pay.session: RUN_1,
    }
