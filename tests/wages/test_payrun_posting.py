"""Posting pay runs (``wages.payruns.posting``): only approved runs whose lines and records are as
approved, once, into an open period.
"""

from decimal import Decimal

import pytest

from tests.wages.payrun_builders import WEEK_1, approved, calculated, everything, line_of, posted
from tests.wages.payrun_examples import RUN_1, adjust, refusal, work_week_1
from wages.ledger import close_period, verify_ledger
from wages.models import Account, Chain, Checkpoint, Journal, PayRun, PayRunLine
from wages.payruns import cancel_pay_run, post_pay_run

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_a_run_not_approved_is_not_posted(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"Pay run {RUN_1} is calculated: only an approved run is posted."
    ]
    assert (Journal.objects.count(), Chain.objects.count()) == (0, 0)


def test_a_run_whose_lines_were_altered_after_approval_is_not_posted(pay_world):
    work_week_1(pay_world)
    run = approved(pay_world)
    PayRunLine.objects.filter(run=run, worker=pay_world.workers[0]).update(gross=Decimal("80.00"))

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"Pay run {RUN_1} no longer matches what was approved: cancel it and calculate a new run."
    ]
    assert (Journal.objects.count(), Chain.objects.count(), Account.objects.count()) == (0, 0, 0)


def test_a_run_whose_records_were_adjusted_after_calculation_is_not_posted(pay_world):
    work = work_week_1(pay_world)
    run = approved(pay_world)
    adjustment = adjust(pay_world, work.tailoring, hours="5", pieces=40)

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"1 of the records pay run {RUN_1} pays were adjusted after it was calculated: cancel it "
        "and calculate a new run."
    ]
    assert (Journal.objects.count(), PayRun.objects.get().status) == (0, "approved")

    cancel_pay_run(run, user=pay_world.calculator, reason="Tailoring adjusted")
    again = posted(pay_world)

    assert again.reference == f"{RUN_1}-2"
    assert line_of(again, pay_world.workers[0]).payers == {"own": "32.63", pay_world.payer: "35.50"}
    adjustment.refresh_from_db()
    assert adjustment.settled_by == again.reference  # its new values are what the run paid


def test_a_record_adjusted_twice_after_calculation_counts_once(pay_world):
    work = work_week_1(pay_world)
    run = approved(pay_world)
    adjust(pay_world, work.tailoring, hours="5", pieces=40)
    adjust(pay_world, work.tailoring, hours="4", pieces=40)

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"1 of the records pay run {RUN_1} pays were adjusted after it was calculated: cancel it "
        "and calculate a new run."
    ]


def test_posting_twice_posts_once(pay_world):
    work_week_1(pay_world)
    run = posted(pay_world)
    before = everything()

    again = post_pay_run(run, user=pay_world.calculator)

    assert (again.pk, again.status, again.posted_by.username) == (run.pk, "posted", "approver")
    assert everything() == before
    assert (Journal.objects.count(), Checkpoint.objects.count()) == (2, 1)


def test_a_run_dated_in_a_closed_period_is_not_posted(pay_world):
    work_week_1(pay_world)
    run = approved(pay_world)
    close_period(WEEK_1[1], user=pay_world.approver)

    assert refusal(lambda: post_pay_run(run, user=pay_world.approver)) == [
        f"payrun:{RUN_1}:W-000000: The period up to Nov 8, 2026 is closed: no posting may be "
        "dated Nov 8, 2026."
    ]
    assert (Journal.objects.count(), Chain.objects.count()) == (0, 0)


def test_a_run_with_nothing_to_pay_closes_an_empty_chain(pay_world):
    run = posted(pay_world)

    assert (run.status, run.workers, run.chain.length) == ("posted", 0, 0)
    assert list(Checkpoint.objects.values_list("chain_name", "length")) == [(f"payrun:{RUN_1}", 0)]
    assert verify_ledger() == []
