"""The work and training steps of the money state machine
(``tests/wages/test_money_state_machine.py``): a day of the grid (new records dated in weeks
already paid too), training attendance, and adjustments of locked records.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from tests.wages.payrun_builders import D, record
from wages.models import PayRun
from workshops.models import LockedRecord, ProductionRecord
from workshops.production import Entry, adjust_production, save_grid
from workshops.training.attendance import record_attendance

DAYS = [D(2026, 11, 2) + datetime.timedelta(days=n) for n in range(28)]  # the four weeks
HOURS = ["1", "2.5", "4", "6", "7.25", "9"]  # 9: over the day's limit of 8, needs a note
PLACES = ["tailoring", "crew", "bakery"]
RARELY = st.sampled_from([False, False, False, False, True])  # shrinks to False
REFUSED = (ValidationError, PermissionDenied)


class WorkSteps:
    """The money machine's work and training rules: the machine provides ``pay``, ``workshops``,
    ``paid`` and ``attempt``."""

    # Work and training

    @initialize(
        work=st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(PLACES),
                st.sampled_from(DAYS),
                st.sampled_from(HOURS[:-1]),
                st.integers(0, 30),
            ),
            max_size=12,
        )
    )
    def some_work(self, work):
        """Records to start from, saved directly (the grid's checks run on later steps)."""
        seen = set()
        for worker, place, day, hours, pieces in work:
            workshop = self.workshops[place][0]
            if (worker, place, day) in seen or (place == "crew" and worker == 2):
                continue
            seen.add((worker, place, day))
            record(self.pay, self.pay.workers[worker], workshop, day, hours, pieces)

    @rule(
        worker=st.integers(0, 2),
        place=st.sampled_from(PLACES),
        day=st.sampled_from(DAYS),
        hours=st.sampled_from([*HOURS, None]),
        pieces=st.integers(0, 30),
        reason=st.booleans(),
        wrong_supervisor=RARELY,
    )
    def record_work(self, worker, place, day, hours, pieces, reason, wrong_supervisor):
        """Save a day of a workshop's grid with this worker's record set (or removed, ``hours``
        None) and everyone else's as it was."""
        workshop, supervisor = self.workshops[place]
        if wrong_supervisor:
            supervisor = next(user for _w, user in self.workshops.values() if user != supervisor)
        person = self.pay.workers[worker]
        sku = workshop.skus.order_by("code").first() if workshop.makes_products else None
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
            if (record.worker_id, record.sku_id) != (person.pk, sku.pk if sku else None)
        ]
        if hours is not None:
            entries.append(
                Entry(
                    worker=person,
                    workshop=workshop,
                    day=day,
                    sku=sku,
                    hours=Decimal(hours),
                    pieces=pieces if sku else 0,
                    supervisor_note="Delivery deadline" if reason else "",
                )
            )
        self.attempt(
            "record_work",
            lambda: save_grid(workshop=workshop, day=day, entries=entries, user=supervisor),
        )

    def late(self, day: datetime.date) -> datetime.date:
        """A day of the period of a posted run, chosen by ``day``."""
        offset = DAYS.index(day)
        first, last = (
            PayRun.objects.filter(reference__in=self.paid)
            .order_by("period_start")
            .values_list("period_start", "period_end")[offset % len(self.paid)]
        )
        return first + datetime.timedelta(days=offset % ((last - first).days + 1))

    @precondition(lambda self: self.paid)
    @rule(
        worker=st.integers(0, 2),
        place=st.sampled_from(PLACES),
        day=st.sampled_from(DAYS),
        hours=st.sampled_from(HOURS[:-1]),
        pieces=st.integers(0, 30),
    )
    def record_late_work(self, worker, place, day, hours, pieces):
        """Work recorded in a week a posted run paid: a late record, which the next run pays."""
        self.record_work(worker, place, self.late(day), hours, pieces, False, False)

    @precondition(lambda self: self.paid)
    @rule(worker=st.integers(0, 2), day=st.sampled_from(DAYS), hours=st.sampled_from(HOURS[:3]))
    def record_late_training(self, worker, day, hours):
        """A session in a week a posted run paid, which the next run pays."""
        self.record_training(worker, self.late(day), hours)

    @rule(worker=st.integers(0, 2), day=st.sampled_from(DAYS), hours=st.sampled_from(HOURS))
    def record_training(self, worker, day, hours):
        person = self.pay.workers[worker]
        self.attempt(
            "record_training",
            lambda: record_attendance(
                enrolment=self.pay.enrolments[person.pk],
                workshop=self.pay.tailoring,
                day=day,
                hours=Decimal(hours),
                trainer="A. Trainer",
                note="Exam week" if Decimal(hours) > 4 else "",
                user=self.pay.world.supervisor,
            ),
        )

    @precondition(lambda self: LockedRecord.objects.exists())
    @rule(
        which=st.integers(0, 50),
        hours=st.sampled_from(HOURS),
        pieces=st.integers(0, 30),
        any_record=RARELY,
    )
    def adjust(self, which, hours, pieces, any_record):
        """Adjust a record a run holds (or, ``any_record``, any record: an unlocked one is
        refused): before posting, the run must then be calculated again."""
        records = ProductionRecord.objects.all()
        if not any_record:
            records = records.filter(locked__isnull=False)
        self.adjust_one(records, which, hours, pieces)

    @precondition(lambda self: self.paid)
    @rule(which=st.integers(0, 50), hours=st.sampled_from(HOURS), pieces=st.integers(0, 30))
    def adjust_paid(self, which, hours, pieces):
        """Adjust a record a posted run paid: the next run pays or recovers the difference."""
        records = ProductionRecord.objects.filter(
            locked__lock__reference__in=self.paid, locked__lock__released_at__isnull=True
        )
        self.adjust_one(records, which, hours, pieces)

    def adjust_one(self, records, which, hours, pieces):
        records = records.order_by("pk")
        count = records.count()
        if not count:
            return
        record = records[which % count]
        supervisor = next(
            user for workshop, user in self.workshops.values() if workshop.pk == record.workshop_id
        )
        self.attempt(
            "adjust",
            lambda: adjust_production(
                record=record,
                hours=Decimal(hours),
                pieces=pieces if record.sku_id else 0,
                rejects=record.rejects,
                reason="Counted again",
                user=supervisor,
            ),
        )
