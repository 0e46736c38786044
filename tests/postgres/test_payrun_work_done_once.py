"""What a pay run does once on PostgreSQL, and what it no longer does twice (issue 16, item 13):
the database hashes the lines itself, and a run pinned in Python's form before that still posts;
locking many records refreshes the lock tables' statistics before they are read again; a record
another run holds is found by its key, and only then named. ``bench/payroll.py`` measures the
time; these tests hold the behaviour."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.testing.database import raw
from tests.postgres.payrun_builders import (
    LINES,
    REFERENCE,
    build_payroll,
    calculated_run,
    week_run,
)
from wages.models import Journal, PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, post_pay_run
from wages.payruns.line_hashes import lines_hash
from workshops.models import LockedRecord, ProductionLock, ProductionRecord
from workshops.production import lock_production, locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def payroll():
    return build_payroll()


def line_values(run):
    return list(
        PayRunLine.objects.filter(run=run)
        .order_by("worker__reference")
        .values_list("worker__reference", "hours", "pieces", "gross", "own_spending", "back_wages")
    )


# The lines' hash


def test_the_database_hashes_the_lines_and_the_run_pins_that_hash(payroll):
    run = calculated_run(payroll)

    in_database = lines_hash(run, in_database=True)
    assert run.result_hash == lines_hash(run) == in_database
    assert in_database != lines_hash(run, in_database=False)  # Python's form, SQLite's
    assert len(in_database) == 64


def test_the_database_hash_covers_the_money_of_the_lines(payroll):
    run = calculated_run(payroll)
    digest = lines_hash(run)
    first = PayRunLine.objects.filter(run=run, worker__reference="W-000000")

    first.update(warnings=[{"code": "over_limit", "days": 9}])
    assert lines_hash(run) == digest
    for change in (
        {"gross": Decimal("17.01")},
        {"payers": {"own": "17.01"}},
        {"deductions": {"family": "1.71", "victims-fund": "0.85"}},
        {"settles": [1]},
        {"pieces": 31},
    ):
        first.update(**change)
        assert lines_hash(run) != digest, change
        calculate_pay_run(run, user=payroll.calculator)  # the stored lines again
        run.refresh_from_db()
        digest = run.result_hash


def test_a_run_pinned_in_pythons_form_before_the_migration_is_approved_and_posted(payroll):
    """Runs calculated and approved before migration ``wages/0010`` keep Python's hash."""
    run = calculated_run(payroll)
    pinned = lines_hash(run, in_database=False)
    PayRun.objects.filter(pk=run.pk).update(result_hash=pinned)

    approved = approve_pay_run(run, user=payroll.approver)
    posted = post_pay_run(approved, user=payroll.poster)

    assert (approved.approved_hash, posted.status) == (pinned, PayRun.Status.POSTED)
    assert Journal.objects.filter(chain=posted.chain).count() == 2


@pytest.mark.parametrize("form", ["database", "python"])
def test_lines_changed_after_either_pin_are_refused(payroll, form):
    run = calculated_run(payroll)
    pinned = lines_hash(run, in_database=form == "database")
    PayRun.objects.filter(pk=run.pk).update(result_hash=pinned)
    PayRunLine.objects.filter(run=run, worker__reference="W-000000").update(payers={"own": "70.13"})

    with pytest.raises(ValidationError) as refused:
        approve_pay_run(run, user=payroll.approver)

    assert refused.value.messages == [
        f"The lines of pay run {REFERENCE} changed after it was calculated: recalculate it."
    ]
    assert PayRun.objects.values_list("status", "approved_hash").get(pk=run.pk) == (
        PayRun.Status.CALCULATED,
        "",
    )


# Locking


def test_a_large_lock_refreshes_the_lock_tables_statistics(payroll, monkeypatch):
    """Every later query of the calculation joins the records to the rows just written; with the
    statistics of an empty table PostgreSQL planned them as one index probe per record."""
    monkeypatch.setattr(locks, "ANALYZE_FROM", 3)

    run = calculate_pay_run(week_run(payroll), user=payroll.calculator)

    # ANALYZE counts the rows this transaction wrote; the count is kept even if it rolls back.
    assert counted_locked_records() == 3
    assert line_values(run) == LINES


def test_a_small_lock_leaves_the_statistics_to_autovacuum(payroll):
    before = counted_locked_records()

    calculate_pay_run(week_run(payroll), user=payroll.calculator)

    assert LockedRecord.objects.count() == 3
    assert counted_locked_records() == before


def counted_locked_records() -> float:
    """What the planner believes the lock table holds (``pg_class.reltuples``)."""
    (count,) = raw("SELECT reltuples FROM pg_class WHERE relname = 'workshops_lockedrecord'")
    return count


def test_a_lock_over_a_record_another_run_holds_names_it_and_locks_nothing(payroll):
    """The INSERT meets the other run's key on the record; only then are the records read again
    to name the one it holds."""
    first, second, third = ProductionRecord.objects.order_by("worker__reference", "day")[:3]
    held = lock_production([second], "PR-1")
    before = sorted(LockedRecord.objects.values_list("record", "lock"))

    with pytest.raises(ValidationError) as refused:
        lock_production(
            ProductionRecord.objects.filter(pk__in=[first.pk, second.pk, third.pk]), "PR-2"
        )

    assert refused.value.messages == [f"Record {second} is already locked by pay run PR-1."]
    assert (
        sorted(LockedRecord.objects.values_list("record", "lock"))
        == before
        == [(second.pk, held.pk)]
    )
    assert list(ProductionLock.objects.values_list("reference", flat=True)) == ["PR-1"]
