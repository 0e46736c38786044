"""How far the long operations have got (issue 16, item 8): calculating a pay run counts the
workers calculated, posting it the journals posted, verifying the ledger the journals checked,
each of a total known before the count starts and reported a batch at a time, ending at that
total. The operations called without ``progress`` do the same work (their own tests).

The payroll of ``tests.postgres.payrun_builders`` (three workers, of whom the third earned
nothing: a line, but no journal) serves on SQLite as well.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.postgres.payrun_builders import (
    approved_run,
    build_payroll,
    calculated_run,
    record,
    week_run,
)
from tests.workshops.production_builders import day
from wages.ledger import bulk_posting, record_verification
from wages.models import Journal, LedgerVerification, PayRunLine
from wages.payruns import calculate_pay_run, post_pay_run
from wages.payruns import calculation as payrun_calculation

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


class Told(list):
    """A ``progress`` callback that keeps what it was told."""

    def __call__(self, done, total=None):
        self.append((done, total))


def test_calculating_tells_the_workers_calculated_every_batch_and_at_the_end(monkeypatch):
    payroll = build_payroll()
    record(payroll.world, worker=2, on=day(3), hours="2.00")  # W-000002 now earns 4.00
    monkeypatch.setattr(payrun_calculation, "PROGRESS_EVERY", 2)
    told = Told()

    run = calculate_pay_run(week_run(payroll), user=payroll.calculator, progress=told)

    assert told == [(0, 3), (2, 3), (3, 3)]  # the work read; two stored; the last one
    assert (run.workers, PayRunLine.objects.filter(run=run).count()) == (3, 3)


def test_a_batch_larger_than_the_run_is_told_its_start_and_its_end():
    payroll = build_payroll()
    told = Told()

    calculate_pay_run(week_run(payroll), user=payroll.calculator, progress=told)

    assert told == [(0, 3), (3, 3)]


def test_a_run_that_pays_nobody_is_told_none_of_none():
    payroll = build_payroll()
    told = Told()

    run = calculate_pay_run(
        week_run(payroll, first=day(14), last=day(20)), user=payroll.calculator, progress=told
    )

    assert (told, run.workers) == ([(0, 0)], 0)


def test_recalculating_counts_again_from_nothing(monkeypatch):
    payroll = build_payroll()
    run = calculated_run(payroll)
    monkeypatch.setattr(payrun_calculation, "PROGRESS_EVERY", 1)
    told = Told()

    calculate_pay_run(run, user=payroll.calculator, progress=told)

    assert told == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_posting_tells_the_journals_posted_of_the_lines_with_money(monkeypatch):
    payroll = build_payroll()
    run = approved_run(payroll)
    monkeypatch.setattr(bulk_posting, "POSTING_BATCH", 1)
    told = Told()

    post_pay_run(run, user=payroll.poster, progress=told)

    # Three lines; W-000002 earned nothing and has no journal, so two journals are posted.
    assert told == [(0, 2), (1, 2), (2, 2)]
    assert (PayRunLine.objects.count(), Journal.objects.count()) == (3, 2)


def test_posting_in_one_batch_is_told_its_start_and_its_end():
    payroll = build_payroll()
    told = Told()

    post_pay_run(approved_run(payroll), user=payroll.poster, progress=told)

    assert told == [(0, 2), (2, 2)]


def test_a_refused_posting_tells_nothing_and_posts_nothing():
    payroll = build_payroll()
    run = calculated_run(payroll)  # not approved
    told = Told()

    with pytest.raises(ValidationError, match="only an approved run is posted"):
        post_pay_run(run, user=payroll.poster, progress=told)

    assert (told, Journal.objects.count()) == ([], 0)


def test_verifying_tells_the_journals_checked_of_those_there_were(monkeypatch):
    payroll = build_payroll()
    post_pay_run(approved_run(payroll), user=payroll.poster)
    monkeypatch.setattr("wages.ledger.verification.journals.PROGRESS_EVERY", 1)
    told = Told()

    verification = record_verification(user=payroll.poster, progress=told)

    assert told == [(0, 2), (1, 2), (2, 2), (2, 2)]  # each journal, then the end
    assert (verification.journals, verification.problems) == (2, [])


def test_the_verify_ledger_command_shows_the_journals_checked_on_stderr(monkeypatch):
    payroll = build_payroll()
    post_pay_run(approved_run(payroll), user=payroll.poster)
    monkeypatch.setattr("wages.ledger.verification.journals.PROGRESS_EVERY", 1)
    out, err = io.StringIO(), io.StringIO()

    call_command("verify_ledger", stdout=out, stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.rsplit(" ", 1)[0].split() for line in lines] == [
        ["journals", "checked", "1/2", "(50%)"],
        ["journals", "checked", "2/2", "(100%)"],
    ]
    assert out.getvalue().startswith("The ledger is intact: 2 journals")
    assert LedgerVerification.objects.count() == 0  # the command keeps no verification


def test_the_verify_ledger_command_is_quiet_at_verbosity_0():
    err = io.StringIO()

    call_command("verify_ledger", verbosity=0, stderr=err, stdout=io.StringIO())

    assert err.getvalue() == ""
