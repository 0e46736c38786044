"""Approving pay runs (``wages.payruns.operations``, ``wages.payruns.line_hashes``): by another
finance officer than the one who calculated, only when calculated, and only over the lines as they
were calculated.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.wages.payrun_builders import calculated, draft
from tests.wages.payrun_examples import RUN_1, refusal, run_log, work_week_1
from wages.models import PayRun, PayRunLine
from wages.payruns import approve_pay_run
from wages.payruns.line_hashes import lines_hash

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_another_finance_officer_approves_a_calculated_run(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)

    run = approve_pay_run(run, user=pay_world.approver)

    run.refresh_from_db()
    assert (run.status, run.approved_by.username, run.approved_hash) == (
        "approved",
        "approver",
        run.result_hash,
    )
    assert run_log(run)[-1] == ("bridgework.pay_run_approved", "approver")


def test_the_officer_who_calculated_a_run_cannot_approve_it(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)

    assert refusal(lambda: approve_pay_run(run, user=pay_world.calculator), PermissionDenied) == [
        "You calculated this pay run: another finance officer must approve it."
    ]
    assert PayRun.objects.get().status == "calculated"


def test_a_run_not_calculated_is_not_approved(pay_world):
    run = draft(pay_world)

    assert refusal(lambda: approve_pay_run(run, user=pay_world.approver)) == [
        f"Pay run {RUN_1} is draft: only a calculated run is approved."
    ]


def test_a_run_whose_lines_changed_after_calculation_is_not_approved(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)
    PayRunLine.objects.filter(run=run, worker=pay_world.workers[0]).update(payers={"own": "70.13"})

    assert refusal(lambda: approve_pay_run(run, user=pay_world.approver)) == [
        f"The lines of pay run {RUN_1} changed after it was calculated: recalculate it."
    ]


def test_lines_hash_covers_the_money_of_the_lines_in_worker_order(pay_world):
    work_week_1(pay_world)
    run = calculated(pay_world)
    digest = lines_hash(run)
    first = PayRunLine.objects.filter(run=run, worker=pay_world.workers[0])

    first.update(warnings=[{"code": "over_limit", "days": 9}])
    assert lines_hash(run) == digest
    first.update(gross=Decimal("70.14"))
    assert lines_hash(run) != digest
    first.update(gross=Decimal("70.13"))
    assert lines_hash(run) == digest
    first.update(settles=[1])
    assert lines_hash(run) != digest
