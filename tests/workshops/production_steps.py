"""The production steps of the stock-and-hours state machine
(``tests/workshops/test_stock_and_hours_state_machine.py``): a day of the grid, a production file,
locks, adjustments and corrections, training attendance; and the world it runs in."""

import csv
import datetime
import io
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from tests.workshops.production_builders import MONDAY, build_world
from workshops.models import (
    SKU,
    Assignment,
    Course,
    Enrolment,
    LockedRecord,
    ProductionLock,
    ProductionRecord,
    TrainingAttendance,
)
from workshops.production import (
    Entry,
    adjust_production,
    correct_production,
    import_production,
    lock_production,
    save_grid,
    unlock_production,
)
from workshops.training.attendance import record_attendance

ONE_DAY = datetime.timedelta(days=1)
DAYS = [MONDAY + ONE_DAY * n for n in range(14)]  # two ISO weeks
WEEKS = [(DAYS[0], DAYS[6]), (DAYS[7], DAYS[13])]
# Over 8 a day needs a reason, over 24 is refused; 16 and 24 take a week past 40 in a few days.
HOURS = ["1", "2.5", "4", "6", "7.25", "8", "9", "12", "16", "24"]
PLACES = ["tailoring", "crew", "other"]
# Hypothesis draws the ends of a range most: the odd values sit inside it, and shrink away.
RARELY = st.sampled_from([False, False, True, False, False])


class ProductionSteps:
    """The state machine's production rules: it provides ``world``, ``places``, ``skus`` and
    ``attempt``."""

    def entry(self, worker, place, day, hours, pieces, reason, sku=0) -> Entry:
        workshop, _supervisor = self.places[place]
        skus = [s for s in self.skus if s.workshop_id == workshop.pk]
        return Entry(
            worker=self.world.workers[worker],
            workshop=workshop,
            day=day,
            sku=skus[sku % len(skus)] if skus else None,
            hours=Decimal(hours),
            pieces=pieces if skus else 0,
            supervisor_note="Delivery deadline" if reason else "",
        )

    def saved_as_given(self, step: str, entries: list[Entry]) -> None:
        """Each entry's record holds exactly the entry's values."""
        for entry in entries:
            saved = ProductionRecord.objects.filter(
                worker=entry.worker, workshop=entry.workshop, day=entry.day, sku=entry.sku
            ).values_list("hours", "pieces", "supervisor_note")
            wanted = (entry.hours, entry.pieces, entry.supervisor_note)
            assert list(saved) == [wanted], f"{step} saved {list(saved)} for {wanted}"

    @rule(
        worker=st.integers(0, 2),
        place=st.sampled_from(PLACES),
        day=st.sampled_from(DAYS),
        hours=st.sampled_from([*HOURS, None]),
        pieces=st.integers(0, 30),
        sku=st.integers(0, 1),
        reason=st.booleans(),
        wrong_supervisor=RARELY,
    )
    def record_work(self, worker, place, day, hours, pieces, sku, reason, wrong_supervisor):
        """Save a day of a workshop's grid with this worker's record set (or removed, ``hours``
        None) and everyone else's as it was."""
        workshop, supervisor = self.places[place]
        if wrong_supervisor:
            supervisor = next(user for _w, user in self.places.values() if user != supervisor)
        mine = self.entry(worker, place, day, hours or "0", pieces, reason, sku)
        entries = [
            Entry(
                worker=record.worker,
                workshop=workshop,
                day=day,
                sku=record.sku,
                hours=record.hours,
                pieces=record.pieces,
                rejects=record.rejects,
                supervisor_note=record.supervisor_note,
            )
            for record in ProductionRecord.objects.filter(workshop=workshop, day=day)
            .select_related("worker", "sku")
            .order_by("pk")
            if (record.worker_id, record.sku_id) != (mine.worker.pk, mine.sku and mine.sku.pk)
        ]
        if hours is not None:
            entries.append(mine)
        saved = self.attempt(
            "record_work",
            lambda: save_grid(workshop=workshop, day=day, entries=entries, user=supervisor),
        )
        if saved is not None:
            self.saved_as_given("record_work", entries)

    @rule(
        rows=st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(PLACES),
                st.sampled_from(DAYS),
                st.sampled_from(HOURS),
                st.integers(0, 30),
                st.booleans(),
            ),
            min_size=1,
            max_size=4,
        ),
        as_supervisor=st.booleans(),
    )
    def import_work(self, rows, as_supervisor):
        """A production file, from the command line or uploaded by the tailoring supervisor
        (refused for the other workshop's rows)."""
        entries = [self.entry(*row) for row in rows]
        self.import_entries(entries, as_supervisor)

    def import_entries(self, entries: list[Entry], as_supervisor: bool) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                *("date", "worker", "workshop", "product_sku", "hours", "pieces", "rejects"),
                *("supervisor", "supervisor_note", "legacy"),
            ]
        )
        for entry in entries:
            supervisor = next(u for w, u in self.places.values() if w.pk == entry.workshop.pk)
            writer.writerow(
                [
                    entry.day.isoformat(),
                    entry.worker.reference,
                    entry.workshop.slug,
                    entry.sku.code if entry.sku else "",
                    str(entry.hours),
                    str(entry.pieces),
                    "0",
                    supervisor.get_username(),
                    entry.supervisor_note,
                    "",
                ]
            )
        user = self.world.supervisor if as_supervisor else None
        imported = self.attempt(
            "import",
            lambda: import_production(out.getvalue().encode(), file_name="day.csv", user=user),
        )
        if imported is not None:
            self.saved_as_given("import", entries)

    @rule(week=st.sampled_from(WEEKS), run=st.integers(0, 2), place=st.sampled_from(PLACES))
    def lock_week(self, week, run, place):
        """A pay run locks a workshop's week (or a second run, the records another holds)."""
        records = ProductionRecord.objects.filter(workshop=self.places[place][0], day__range=week)
        self.attempt("lock", lambda: lock_production(records, f"PR-{run}"))

    @precondition(lambda self: ProductionLock.objects.filter(released_at__isnull=True).exists())
    @rule(run=st.integers(0, 2))
    def unlock(self, run):
        self.attempt("unlock", lambda: unlock_production(f"PR-{run}"))

    def pick(self, records, which: int) -> ProductionRecord | None:
        records = list(records.order_by("pk").select_related("workshop"))
        return records[which % len(records)] if records else None

    @precondition(lambda self: LockedRecord.objects.exists())
    @rule(
        which=st.integers(0, 30),
        hours=st.sampled_from(HOURS),
        pieces=st.integers(0, 30),
        any_record=RARELY,
    )
    def adjust(self, which, hours, pieces, any_record):
        """Adjust a locked record (or, ``any_record``, any record: an unlocked one is refused)."""
        records = ProductionRecord.objects.all()
        if not any_record:
            records = records.filter(locked__isnull=False)
        record = self.pick(records, which)
        if record is None:
            return
        self.adjust_one(record, Decimal(hours), pieces if record.sku_id else 0)

    def adjust_one(self, record, hours, pieces):
        supervisor = next(u for w, u in self.places.values() if w.pk == record.workshop_id)
        adjusted = self.attempt(
            "adjust",
            lambda: adjust_production(
                record=record,
                hours=hours,
                pieces=pieces,
                rejects=record.rejects,
                reason="Counted again",
                user=supervisor,
            ),
        )
        if adjusted is not None:
            stored = ProductionRecord.objects.values_list("hours", "pieces").get(pk=record.pk)
            assert stored == (hours, pieces), f"adjust saved {stored} for {(hours, pieces)}"

    @precondition(lambda self: ProductionRecord.objects.exists())
    @rule(which=st.integers(0, 30), hours=st.sampled_from(HOURS), reason=st.booleans())
    def correct(self, which, hours, reason):
        """Correct a record outside the grid (a locked one is refused)."""
        record = self.pick(ProductionRecord.objects.all(), which)
        supervisor = next(u for w, u in self.places.values() if w.pk == record.workshop_id)
        self.attempt(
            "correct",
            lambda: correct_production(
                record=record,
                hours=Decimal(hours),
                pieces=record.pieces,
                rejects=record.rejects,
                supervisor_note="Delivery deadline" if reason else "",
                user=supervisor,
            ),
        )

    @rule(
        worker=st.integers(0, 2),
        day=st.sampled_from(DAYS),
        hours=st.sampled_from(HOURS),
        reason=st.booleans(),
    )
    def record_training(self, worker, day, hours, reason):
        self.train(worker, day, Decimal(hours), reason)

    def train(self, worker, day, hours, reason):
        person = self.world.workers[worker]
        attendance = self.attempt(
            "record_training",
            lambda: record_attendance(
                enrolment=self.world.enrolments[person.pk],
                workshop=self.world.workshop,
                day=day,
                hours=hours,
                trainer="A. Trainer",
                note="Exam week" if reason else "",
                user=self.world.supervisor,
            ),
        )
        if attendance is not None:
            stored = TrainingAttendance.objects.values_list("hours", flat=True).get(
                pk=attendance.pk
            )
            assert stored == hours, f"attendance saved {stored} hours for {hours}"


def build_machine_world():
    """The production world, with the other workshop's SKU, every worker assigned to it, and
    every worker enrolled on a course taught in the product workshop."""
    world = build_world(workers=3)
    world.other_sku = SKU.objects.get(workshop=world.other)
    course = Course.objects.create(
        code="garment-1",
        trade=world.workshop.trade,
        qualification="Garment maker",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(40),
        assessment="Practical test",
    )
    world.enrolments = {}
    for worker in world.workers:
        Assignment.objects.create(worker=worker, workshop=world.other, start=DAYS[0])
        world.enrolments[worker.pk] = Enrolment.objects.create(
            worker=worker, course=course, enrolled_on=DAYS[0]
        )
    return world
