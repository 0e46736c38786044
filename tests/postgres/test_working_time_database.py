"""No worker passes 24 hours in a day, whichever two ways in add hours at the same moment on real
PostgreSQL connections: the importer, the grid, an adjustment, a correction and training
attendance all lock the worker (``working_time.lock_workers``) inside the transaction that checks
and saves, so the second waits for the first, then counts its hours and is refused.

A gate holds each call just after it read the worker's hours until the other call has read them
too, or for a moment and a half when the other is waiting for the worker's lock (as it should):
without the lock both calls pass their check before either saves, every time."""

import contextlib
import itertools
import threading
from decimal import Decimal

import pytest
from django.db.models import Value
from django.db.models.functions import Coalesce

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.workshops.production_builders import TODAY, build_world, csv_file, day
from workshops.models import (
    SKU,
    Assignment,
    Course,
    Enrolment,
    ProductionAdjustment,
    ProductionImport,
    ProductionRecord,
    TrainingAttendance,
    WorkshopSupervisor,
)
from workshops.production import (
    Entry,
    adjust_production,
    checks,
    correct_production,
    import_production,
    lock_production,
    save_grid,
)
from workshops.training import attendance as training

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GATE_SECONDS = 1.5
DAY = day(0)  # Monday 2026-11-02
# The worker's day before the race: two records of an hour, the first locked by a pay run.
BASE = {
    ("tailoring-north", "SKU-B"): Decimal("1.00"),
    ("tailoring-north", "SKU-C"): Decimal("1.00"),
}
# What each way in leaves of the day when it runs alone: 12 hours more, so any two make 26.
MADE = {
    "import": {("tailoring-north", "SKU-A"): Decimal("12.00")},
    "import time-only": {("crew-north", ""): Decimal("12.00")},
    "grid": {("bakery-north", "SKU-O"): Decimal("12.00")},
    "adjust": {("tailoring-north", "SKU-B"): Decimal("13.00")},
    "correct": {("tailoring-north", "SKU-C"): Decimal("13.00")},
    "attend": {("training", "tailoring-north"): Decimal("12.00")},
}
COUNTED = {"import": (1, 0), "import time-only": (1, 0), "adjust": (0, 1)}  # imports, adjustments
TOO_MANY = "W-000000 would have 26.00 hours on Nov 2, 2026: more than a day holds."
FROM_A_FILE = {"import", "import time-only"}  # their refusals name the file's line


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    """The worker W-000000 on the day: an hour on SKU-B (locked by pay run PR-1) and an hour on
    SKU-C, assigned to the three workshops the supervisor supervises, enrolled on a course."""
    world = build_world(skus=3)
    worker = world.workers[0]
    Assignment.objects.create(worker=worker, workshop=world.other, start=DAY)
    WorkshopSupervisor.objects.create(workshop=world.other, user=world.supervisor, start=DAY)
    world.locked, world.free = (
        ProductionRecord.objects.create(
            worker=worker,
            workshop=world.workshop,
            day=DAY,
            sku=sku,
            hours=Decimal("1.00"),
            supervisor=world.supervisor,
        )
        for sku in world.skus[1:]
    )
    lock_production([world.locked], "PR-1")
    course = Course.objects.create(
        code="tailoring-3",
        trade=world.workshop.trade,
        qualification="Garment maker",
        level="EQF level 3",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(120),
        assessment="Practical test",
    )
    world.enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=DAY)
    return world


@pytest.fixture
def gate(monkeypatch):
    barrier = threading.Barrier(2)

    def gated(assess):
        def call(*args, **kwargs):
            found = assess(*args, **kwargs)
            # Broken when the other call waits for this one's lock on the worker, as it should
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=GATE_SECONDS)
            return found

        return call

    monkeypatch.setattr(checks, "assess", gated(checks.assess))
    monkeypatch.setattr(training, "assess", gated(training.assess))


def way_in(world, name):
    """A call adding 12 hours to the worker's day, with a reason for the daily limit."""
    worker, supervisor = world.workers[0], world.supervisor
    if name in FROM_A_FILE:
        place = "tailoring-north,SKU-A,12.00,10,0" if name == "import" else "crew-north,,12.00,,"
        data = csv_file(f"2026-11-02,W-000000,{place},sup,Rush order,")
        return lambda: import_production(data, file_name=f"{name}.csv", today=TODAY)
    if name == "grid":
        entry = Entry(
            worker=worker,
            workshop=world.other,
            day=DAY,
            sku=SKU.objects.get(code="SKU-O"),
            hours=Decimal("12.00"),
            pieces=5,
            supervisor_note="Rush order",
        )
        return lambda: save_grid(
            workshop=world.other, day=DAY, entries=[entry], user=supervisor, today=TODAY
        )
    if name == "adjust":
        return lambda: adjust_production(
            record=world.locked,
            hours="13.00",
            pieces=0,
            rejects=0,
            reason="Recounted",
            user=supervisor,
        )
    if name == "correct":
        return lambda: correct_production(
            record=world.free,
            hours="13.00",
            pieces=0,
            rejects=0,
            supervisor_note="Rush order",
            user=supervisor,
        )
    return lambda: training.record_attendance(
        enrolment=world.enrolment,
        workshop=world.workshop,
        day=DAY,
        hours="12.00",
        trainer="A. Trainer",
        note="Exam preparation",
        user=supervisor,
        today=TODAY,
    )


def the_day() -> tuple[dict, int, int]:
    """The worker's hours on the day by where they were recorded, and how many imports and
    adjustments exist."""
    hours = {
        (workshop, sku): worked
        for workshop, sku, worked in ProductionRecord.objects.filter(day=DAY).values_list(
            "workshop__slug", Coalesce("sku__code", Value("")), "hours"
        )
    }
    hours |= {
        ("training", workshop): worked
        for workshop, worked in TrainingAttendance.objects.values_list("workshop__slug", "hours")
    }
    return hours, ProductionImport.objects.count(), ProductionAdjustment.objects.count()


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(MADE, 2)))
def test_two_ways_in_at_once_never_pass_24_hours(world, gate, first, second):
    outcomes = race(way_in(world, first), way_in(world, second))

    [refused] = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    loser = first if refused is outcomes[0] else second
    winner = second if loser == first else first
    line = "Line 2: " if loser in FROM_A_FILE else ""
    assert refused.messages == [line + TOO_MANY]
    assert the_day() == ({**BASE, **MADE[winner]}, *COUNTED.get(winner, (0, 0)))
    assert sum(the_day()[0].values()) == Decimal("14.00")
