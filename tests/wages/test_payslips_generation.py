"""Generating a run's payslips (``wages.payslips.generation``, ``wages.payslips.tasks``): only for
a posted run, once per worker, by a job started when the posting commits, counting n of N; a
fixed number of queries per slip; memory that does not grow with the number of slips."""

import logging
import re
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.jobs import Job
from core.private_files import PrivateFile
from core.testing.twofactor import login_with_second_factor
from tests.wages.payrun_builders import (
    WEEK_2,
    WEEK_3,
    D,
    approved,
    build_finance_officer,
    build_pay_world,
    record,
)
from tests.wages.payslip_builders import build_slips_world
from wages.models import PayRun, Payslip
from wages.payruns import post_pay_run
from wages.payslips import generation
from wages.payslips.generation import generate_payslips
from wages.payslips.tasks import GENERATE_KIND, start_generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def slips_world(pay_world):
    return build_slips_world(pay_world)


def stored() -> tuple[int, int]:
    return Payslip.objects.count(), PrivateFile.objects.count()


def test_a_run_not_posted_is_refused_in_words_and_nothing_is_stored(slips_world):
    pay = slips_world
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 9), "5", 0)
    run = approved(pay, WEEK_2)
    before = stored()
    message = (
        f"Pay run {run.reference} is approved: payslips are made only for a posted run. "
        "Post it first."
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        generate_payslips(run, user=pay.approver)
    with pytest.raises(ValidationError, match=re.escape(message)):
        start_generation(run, user=pay.approver)
    assert stored() == before
    assert not Job.objects.filter(kind=GENERATE_KIND).exists()


def test_a_user_who_may_not_generate_is_refused_and_nothing_is_stored(slips_world):
    auditor = build_finance_officer("auditor", role="auditor")
    with pytest.raises(PermissionDenied, match=re.escape("You may not generate payslips.")):
        generate_payslips(slips_world.run, user=auditor)
    assert stored() == (0, 0)


def test_each_worker_gets_one_slip_and_a_second_call_makes_none(slips_world):
    pay = slips_world
    told = []
    assert generate_payslips(pay.run, user=pay.approver, progress=lambda *n: told.append(n)) == 2
    assert told == [(0, 2), (1, 2), (2, 2)]
    told.clear()
    assert generate_payslips(pay.run, user=pay.approver, progress=lambda *n: told.append(n)) == 0
    assert told == [(2, 2)]
    assert stored() == (2, 2)
    slips = {s.worker.reference: s for s in Payslip.objects.select_related("worker")}
    assert {ref: sorted(w.slug for w in s.workshops.all()) for ref, s in slips.items()} == {
        "W-000000": ["bakery-north", "tailoring-north"],
        "W-000001": ["tailoring-north"],
    }


def test_posting_starts_the_job_when_the_posting_commits(
    pay_world, django_capture_on_commit_callbacks, settings
):
    settings.BRIDGEWORK_PAYSLIPS_AFTER_POSTING = True
    pay = pay_world
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 2), "3", 0)
    run = approved(pay)
    with django_capture_on_commit_callbacks(execute=True):
        post_pay_run(run, user=pay.approver)
    job = Job.objects.get(kind=GENERATE_KIND)
    assert (job.status, job.done, job.total, job.result) == (
        "succeeded",
        2,
        2,
        {"reference": run.reference, "made": 2},
    )
    assert job.requested_by == pay.approver
    assert Payslip.objects.filter(run=run).count() == 2


def test_without_the_setting_posting_leaves_the_slips_to_the_button(
    pay_world, django_capture_on_commit_callbacks, settings
):
    settings.BRIDGEWORK_PAYSLIPS_AFTER_POSTING = False
    pay = pay_world
    record(pay, pay.workers[0], pay.tailoring, D(2026, 11, 2), "6", 40)
    with django_capture_on_commit_callbacks(execute=True):
        post_pay_run(approved(pay), user=pay.approver)
    assert not Job.objects.filter(kind=GENERATE_KIND).exists()
    assert stored() == (0, 0)


def test_the_generate_button_finishes_what_a_failed_job_left(slips_world, client, monkeypatch):
    pay = slips_world
    real = generation._store
    calls = []

    def fail_second(run, slip):
        calls.append(slip.line.worker.reference)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(run, slip)

    monkeypatch.setattr(generation, "_store", fail_second)
    job, _created = start_generation(pay.run, user=pay.approver)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("failed", 1, 2)
    monkeypatch.setattr(generation, "_store", real)
    login_with_second_factor(client, pay.approver)
    page = client.get(f"/admin/wages/payrun/inspect/{pay.run.pk}/").content.decode()
    assert "1 of 2 payslips made." in page
    assert "Generate payslips" in page
    response = client.post(f"/admin/wages/payslips/run/{pay.run.pk}/generate/", follow=True)
    assert "1 payslips of" in response.content.decode()
    assert Payslip.objects.filter(run=pay.run).count() == 2
    page = client.get(f"/admin/wages/payrun/inspect/{pay.run.pk}/").content.decode()
    assert "2 of 2 payslips made." in page
    assert "Generate payslips" not in page


def _run_of(pay, period, workers) -> PayRun:
    for worker in workers:
        record(pay, worker, pay.tailoring, period[0], "2", 4)
        record(pay, worker, pay.bakery, period[0] + (period[1] - period[0]) // 2, "1", 0)
    return post_pay_run(approved(pay, period), user=pay.approver)


def _queries(run, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        generate_payslips(run, user=user)
    return len(queries)


QUERIES_PER_SLIP = 5  # savepoint, the file's row, the slip's, its workshops, release
QUERIES_PER_RUN = 22


def test_queries_are_a_fixed_number_per_slip():
    pay = build_pay_world(workers=6)
    two = _run_of(pay, WEEK_2, pay.workers[:2])
    six = _run_of(pay, WEEK_3, pay.workers)
    small, large = _queries(two, pay.approver), _queries(six, pay.approver)
    assert large - small == 4 * QUERIES_PER_SLIP
    assert small == QUERIES_PER_RUN + 2 * QUERIES_PER_SLIP


def test_memory_does_not_grow_with_the_number_of_slips(monkeypatch):
    """Python's peak while making 16 slips is that of making 8, give or take 10 KB a slip (one
    document in memory is some 2 MB): each document is dropped once stored, and what WeasyPrint
    leaves in cycles is collected once a batch (``generation``)."""
    pay = build_pay_world(workers=16)
    monkeypatch.setattr(generation, "BATCH", 4)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # pytest keeps each record
    eight = _run_of(pay, WEEK_2, pay.workers[:8])
    sixteen = _run_of(pay, WEEK_3, pay.workers)
    generate_payslips(eight, user=pay.approver)  # warms the fonts and caches
    Payslip.objects.filter(run=eight).delete()

    def peak(run) -> int:
        tracemalloc.start()
        generate_payslips(run, user=pay.approver)
        _size, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(eight), peak(sixteen)
    assert Payslip.objects.filter(run=sixteen).count() == 16
    assert small > 1_000_000  # a document was in memory at the peak
    assert large - small < 8 * 10_000
