"""Triggers keep a posted pay run's final lock and its rows: any raw change to a final lock is
refused, a lock not yet final is still released and emptied by cancelling, and the whole flow
holds with a prison slug of the longest length allowed.
"""

import pytest
from django.db import connection

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, raw, refused_by_the_database, triggers_off
from tests.wages.payrun_builders import (
    WEEK_2,
    D,
    attend,
    build_pay_world,
    draft,
    everything,
    locks,
    posted,
    record,
)
from wages.ledger import verify_ledger
from wages.models import Chain, Journal, PayRun
from wages.payruns import approve_pay_run, calculate_pay_run, cancel_pay_run, post_pay_run
from wages.payruns.verification import verify_pay_runs
from workshops.models import ProductionLock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


# triggers keep a final lock


@pytest.fixture
def week_posted():
    """Week 1 posted: a record and a training session of W-000000."""
    pay = build_pay_world()
    first = pay.workers[0]
    pay.paid = record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    pay.session = attend(pay, first, D(2026, 11, 4), "2")
    pay.run = posted(pay)
    pay.lock = ProductionLock.objects.get(reference=pay.run.reference)
    return pay


def kept(pay):
    return {
        **everything(),
        "locks": locks(),
        "lock": list(ProductionLock.objects.values_list("pk", "released_at", "finalised_at")),
        "attendance": list(ProductionLock.objects.get(pk=pay.lock.pk).attendance.all()),
    }


RUN_1 = "PR-north-prison-2026-11-02"
FINAL = "is final: it cannot change or be deleted"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE workshops_productionlock SET released_at = now() WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "UPDATE workshops_productionlock SET finalised_at = NULL WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "UPDATE workshops_productionlock SET finalised_at = NULL, released_at = now() "
            "WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "DELETE FROM workshops_productionlock WHERE id = %(lock)s",
            f"production lock {{lock}} of pay run {RUN_1} {FINAL}",
        ),
        (
            "DELETE FROM workshops_lockedrecord WHERE lock_id = %(lock)s",
            f"production record {{record}} was paid by posted pay run {RUN_1}: its lock is final",
        ),
        (
            "INSERT INTO workshops_lockedrecord (lock_id, record_id) VALUES (%(lock)s, %(free)s)",
            f"the lock of posted pay run {RUN_1} is final: it holds no more records",
        ),
        (
            "UPDATE workshops_trainingattendance SET lock_id = NULL WHERE id = %(session)s",
            f"training attendance {{session}} is paid by pay run {RUN_1}: release that lock first",
        ),
        (
            "DELETE FROM workshops_trainingattendance WHERE id = %(session)s",
            f"training attendance {{session}} is paid by pay run {RUN_1}: it cannot be deleted",
        ),
        (
            "UPDATE workshops_trainingattendance SET lock_id = %(lock)s WHERE id = %(late)s",
            f"the lock of posted pay run {RUN_1} is final: it holds no more training",
        ),
    ],
    ids=[
        "release",
        "unfinalise",
        "unfinalise-and-release",
        "delete-lock",
        "delete-rows",
        "add-record",
        "free-attendance",
        "delete-attendance",
        "add-attendance",
    ],
)
def test_a_raw_change_to_a_final_lock_is_refused(week_posted, sql, message):
    pay = week_posted
    free = record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 5), "3")
    late = attend(pay, pay.workers[1], D(2026, 11, 5), "1")
    ids = {
        "lock": pay.lock.pk,
        "record": pay.paid.pk,
        "free": free.pk,
        "session": pay.session.pk,
        "late": late.pk,
    }
    before = kept(pay)

    with refused_by_the_database() as refused, connection.cursor() as cursor:
        cursor.execute(sql, ids)

    assert first_line(refused) == message.format(**ids)
    assert kept(pay) == before
    assert verify_pay_runs() == []


def test_a_lock_not_yet_final_is_still_released_and_emptied_by_cancelling(week_posted):
    """The triggers guard final locks only: cancelling the next run frees what it held."""
    pay = week_posted
    late = record(pay, pay.workers[1], pay.tailoring, D(2026, 11, 5), "3")
    run = calculate_pay_run(draft(pay, WEEK_2), user=pay.calculator)

    cancel_pay_run(run, user=pay.calculator, reason="Wrong week")

    assert (locks()[late.pk], locks()[pay.paid.pk]) == (None, RUN_1)
    assert raw("SELECT count(*) FROM workshops_productionlock WHERE released_at IS NOT NULL") == (
        1,
    )


# the longest prison slug and worker references


SLUG = "north-" + "x" * 114  # a prison's slug has at most 120 characters


def test_a_run_of_a_prison_with_the_longest_slug_is_posted_and_verified():
    """Its reference (run again, so with a suffix) has 136 characters, its chain's name 143 and
    its journals' keys, with workers' references of 20, 164; once, PostgreSQL
    refused the reference (60) with a DataError."""
    pay = build_pay_world()
    pay.prison.slug = SLUG
    pay.prison.save()
    with triggers_off("workshops_worker"):  # the world's consents already use the references
        for n, worker in enumerate(pay.workers):
            worker.reference = f"W-{n:018d}"
            worker.save()
    first, second = pay.workers
    record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40)
    record(pay, second, pay.crew, D(2026, 11, 3), "5")
    cancel_pay_run(draft(pay), user=pay.calculator, reason="Created too early")

    run = calculate_pay_run(draft(pay), user=pay.calculator)
    run = approve_pay_run(run, user=pay.approver)
    run = post_pay_run(run, user=pay.approver)

    reference = f"PR-{SLUG}-2026-11-02-2"
    assert (run.reference, len(reference), run.status) == (reference, 136, PayRun.Status.POSTED)
    assert list(Chain.objects.values_list("name", flat=True)) == [f"payrun:{reference}"]
    keys = sorted(Journal.objects.values_list("key", flat=True))
    assert keys == [f"payrun:{reference}:W-{n:018d}" for n in range(2)]
    assert [len(key) for key in keys] == [164, 164]
    assert ProductionLock.objects.get(reference=reference).is_final
    assert verify_ledger() == []
    assert verify_pay_runs() == []
