"""What PostgreSQL itself guarantees about pay runs (migration 0005 of ``wages``): runs of one
prison never overlap unless cancelled, and a posted run, its lines and its journals never change,
whatever raw SQL or the ORM tries.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, raw, refused_by_the_database
from tests.postgres.payrun_builders import (
    FIRST_DAY,
    LAST_DAY,
    REFERENCE,
    approved_run,
    build_payroll,
    posted_run,
    week_run,
)
from tests.postgres.payrun_checks import entry_of, runs
from tests.workshops.production_builders import day
from wages.ledger import verify_ledger
from wages.models import Account, Chain, Checkpoint, Entry, Journal, PayRun, PayRunLine
from wages.payruns import cancel_pay_run, post_pay_run
from workshops.models import Prison, Worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def payroll():
    return build_payroll()


def lines():
    return sorted(
        PayRunLine.objects.values_list(
            "pk", "run", "worker", "hours", "pieces", "gross", "own_spending", "payers"
        )
    )


def ledger():
    return {
        "journals": sorted(
            Journal.objects.values_list("pk", "key", "on", "chain", "sequence", "previous", "hash")
        ),
        "entries": sorted(Entry.objects.values_list("pk", "journal", "account", "amount")),
        "balances": sorted(Account.objects.values_list("code", "balance")),
        "chains": sorted(Chain.objects.values_list("name", "length", "head", "closed_at")),
        "checkpoints": list(
            Checkpoint.objects.values_list("sequence", "chain_name", "length", "head", "hash")
        ),
    }


def everything():
    """Every pay-run and ledger row, to show that a refused statement left all of it as it was."""
    return {"runs": runs(), "lines": lines(), **ledger()}


# The exclusion constraint, in raw SQL


def insert_run(payroll, reference, first, last, *, status="draft", prison=None) -> int:
    (pk,) = raw(
        "INSERT INTO wages_payrun (reference, prison_id, period_start, period_end, status, "
        "currency, created_by_id, created_at, result_hash, approved_hash, cancel_reason, "
        "workers, gross, deductions, back_wages, warnings) "
        "VALUES (%s, %s, %s, %s, %s, 'EUR', %s, now(), '', '', '', 0, 0, 0, 0, 0) RETURNING id",
        reference,
        (prison or payroll.prison).pk,
        first,
        last,
        status,
        payroll.calculator.pk,
    )
    return pk


OVERLAPS = {
    "the-same-week": (FIRST_DAY, LAST_DAY),
    "ending-on-its-first-day": (day(-6), FIRST_DAY),
    "starting-on-its-last-day": (LAST_DAY, day(12)),
    "one-day-inside": (day(3), day(3)),
    "around-it": (day(-30), day(30)),
}


@pytest.mark.parametrize("status", ["draft", "calculated", "approved"])
@pytest.mark.parametrize("period", OVERLAPS.values(), ids=OVERLAPS.keys())
def test_a_raw_insert_of_an_overlapping_run_is_refused(payroll, period, status):
    week_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        insert_run(payroll, "PR-RAW", *period, status=status)

    assert first_line(refused) == (
        'conflicting key value violates exclusion constraint "pay_runs_do_not_overlap"'
    )
    assert everything() == before


def test_a_raw_insert_of_an_overlapping_cancelled_run_is_accepted(payroll):
    week_run(payroll)

    pk = insert_run(payroll, "PR-RAW", FIRST_DAY, LAST_DAY, status="cancelled")

    assert sorted(PayRun.objects.values_list("reference", "status", "period_start")) == [
        ("PR-RAW", "cancelled", FIRST_DAY),
        (REFERENCE, "draft", FIRST_DAY),
    ]
    assert PayRun.objects.get(pk=pk).period_end == LAST_DAY


def test_a_cancelled_run_does_not_stop_a_raw_insert_over_its_period(payroll):
    cancel_pay_run(week_run(payroll), user=payroll.calculator, reason="Wrong week")

    insert_run(payroll, "PR-RAW", day(3), day(3))

    assert sorted(PayRun.objects.values_list("reference", "status")) == [
        ("PR-RAW", "draft"),
        (REFERENCE, "cancelled"),
    ]


def test_a_raw_update_reviving_a_cancelled_run_over_another_is_refused(payroll):
    cancelled = cancel_pay_run(week_run(payroll), user=payroll.calculator, reason="Wrong week")
    week_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        raw("UPDATE wages_payrun SET status = 'draft' WHERE id = %s", cancelled.pk)

    assert first_line(refused) == (
        'conflicting key value violates exclusion constraint "pay_runs_do_not_overlap"'
    )
    assert everything() == before
    assert sorted(PayRun.objects.values_list("reference", "status")) == [
        (REFERENCE, "cancelled"),
        (f"{REFERENCE}-2", "draft"),
    ]


def test_raw_runs_next_to_a_run_or_of_another_prison_are_accepted(payroll):
    week_run(payroll)
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=payroll.prison.region, population="men"
    )

    insert_run(payroll, "PR-BEFORE", day(-7), day(-1))
    insert_run(payroll, "PR-AFTER", day(7), day(13))
    insert_run(payroll, "PR-SOUTH", FIRST_DAY, LAST_DAY, prison=south)

    assert sorted(PayRun.objects.values_list("reference", "prison__slug", "period_start")) == [
        ("PR-AFTER", "north-prison", day(7)),
        ("PR-BEFORE", "north-prison", day(-7)),
        ("PR-SOUTH", "south-prison", FIRST_DAY),
        (REFERENCE, "north-prison", FIRST_DAY),
    ]


# A posted run never changes


def first_workers_line():
    return PayRunLine.objects.get(worker__reference="W-000000").pk


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wages_payrunline SET gross = 99 WHERE id = %s",
        "UPDATE wages_payrunline SET hours = hours WHERE id = %s",
        "DELETE FROM wages_payrunline WHERE id = %s",
    ],
    ids=["gross", "unchanged-value", "delete"],
)
def test_a_raw_change_to_a_posted_runs_line_is_refused(payroll, sql):
    posted_run(payroll)
    pk = first_workers_line()
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, pk)

    assert (
        first_line(refused)
        == f"pay run line {pk} of a posted run: it cannot be added, changed or deleted"
    )
    assert everything() == before
    assert verify_ledger() == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wages_payrun SET gross = 0 WHERE id = %s",
        "UPDATE wages_payrun SET period_end = period_end + 7 WHERE id = %s",
        "UPDATE wages_payrun SET status = 'cancelled', cancel_reason = 'Wrong' WHERE id = %s",
        "DELETE FROM wages_payrun WHERE id = %s",
    ],
    ids=["gross", "period", "cancel", "delete"],
)
def test_a_raw_change_to_a_posted_run_is_refused(payroll, sql):
    run = posted_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, run.pk)

    assert first_line(refused) == f"pay run {REFERENCE} is posted: it cannot change"
    assert everything() == before


def test_the_orm_cannot_delete_a_posted_run_either(payroll):
    """Deleting cascades to the lines first: their trigger refuses."""
    run = posted_run(payroll)
    before = everything()

    with refused_by_the_database() as refused:
        PayRun.objects.filter(pk=run.pk).delete()

    assert first_line(refused).endswith("of a posted run: it cannot be added, changed or deleted")
    assert everything() == before


def test_the_lines_and_row_of_a_run_not_yet_posted_may_change(payroll):
    """The triggers guard posted runs only: an approved run's lines can still be changed in raw
    SQL, which posting then refuses by the hash approval pinned."""
    run = approved_run(payroll)
    pk = first_workers_line()

    assert raw("UPDATE wages_payrunline SET gross = 18 WHERE id = %s", pk) == 1
    assert raw("UPDATE wages_payrun SET warnings = 2 WHERE id = %s", run.pk) == 1

    with pytest.raises(ValidationError) as refused:
        post_pay_run(run, user=payroll.poster)
    assert refused.value.messages == [
        f"Pay run {REFERENCE} no longer matches what was approved: cancel it and calculate a "
        "new run."
    ]
    assert PayRun.objects.values_list("status", "warnings").get() == ("approved", 2)
    assert Journal.objects.count() == 0


def test_a_raw_insert_of_a_line_into_a_posted_run_is_refused(payroll):
    run = posted_run(payroll)
    newcomer = Worker.objects.create(
        reference="W-000009", legal_name="Legal W-000009", prison_number="PW-000009"
    )
    before = everything()

    with refused_by_the_database():
        raw(
            "INSERT INTO wages_payrunline (run_id, worker_id, hours, pieces, training_hours, "
            "earned, adjustments, gross, payers, deductions, own_spending, back_wages, "
            "back_wages_by_payer, settles, warnings) VALUES (%s, %s, 40, 0, 0, 80, 0, 80, "
            "'{\"own\": \"80.00\"}', '{}', 80, 0, '{}', '[]', '[]')",
            run.pk,
            newcomer.pk,
        )

    assert everything() == before


def test_a_raw_update_moving_a_line_into_a_posted_run_is_refused(payroll):
    posted = posted_run(payroll)
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=payroll.prison.region, population="men"
    )
    open_run = insert_run(payroll, "PR-SOUTH", FIRST_DAY, LAST_DAY, prison=south)
    newcomer = Worker.objects.create(
        reference="W-000009", legal_name="Legal W-000009", prison_number="PW-000009"
    )
    line = PayRunLine.objects.create(
        run_id=open_run, worker=newcomer, gross=Decimal(80), own_spending=Decimal(80)
    )
    before = everything()

    with refused_by_the_database():
        raw("UPDATE wages_payrunline SET run_id = %s WHERE id = %s", posted.pk, line.pk)

    assert everything() == before


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("wages_entry", "UPDATE wages_entry SET amount = -15.45 WHERE id = %s"),
        ("wages_entry", "DELETE FROM wages_entry WHERE id = %s"),
        ("wages_journal", "UPDATE wages_journal SET memo = 'Bonus' WHERE id = %s"),
        ("wages_journal", "DELETE FROM wages_journal WHERE id = %s"),
    ],
    ids=["entry-amount", "entry-delete", "journal-memo", "journal-delete"],
)
def test_a_raw_change_to_a_posted_runs_journal_is_refused(payroll, table, sql):
    posted_run(payroll)
    entry = entry_of("W-000000", "worker:W-000000:own-spending")
    pk = entry.pk if table == "wages_entry" else entry.journal_id
    before = everything()

    with refused_by_the_database() as refused:
        raw(sql, pk)

    assert first_line(refused) == (
        f"{table} {pk} is posted: it cannot be changed or deleted (post a reversing journal)"
    )
    assert everything() == before
    assert verify_ledger() == []
