"""A search for the next hole in stock and working time.

A Hypothesis state machine drives random sequences of the stock operations (receive a batch,
reserve, release, sell, let a reservation expire, return, write off, count, a whole stocktake),
with keys drawn from a few so that a key is often used again, by the same operation with the same
arguments (a replay: it returns what the first call did and changes nothing), with others (refused)
or by another operation; and random production through the grid, the importer, corrections,
locks and adjustments, and training attendance. A refusal (``ValidationError``,
``PermissionDenied``) is a legitimate outcome of a step, provided it changed nothing; a step that
succeeds saved exactly what it was given. After every step the invariants of
``tests.workshops.stock_and_hours_invariants`` hold. The steps are in
``tests.workshops.stock_steps`` (stock) and ``tests.workshops.production_steps`` (production and
training).

The world (``tests.workshops.production_builders``: a product workshop, a time-only crew, another
product workshop under another supervisor, three workers assigned to all where they may be, a
working-time policy of 8 hours a day, 40 a week and a day of rest in seven, a course) is built once
per test; every example runs in a savepoint rolled back at its end.

``CARELESS`` are the careless steps that find a known hole and another change mends; each
is taken once its item lands (``AWAITING`` empties), and the shortest sequence that finds it is
replayed in ``test_the_holes_once_found_are_mended``.
"""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import currently_in_test_context, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.state_machines import replay_steps, search_sequences
from tests.workshops.production_steps import (
    DAYS,
    HOURS,
    PLACES,
    ProductionSteps,
    build_machine_world,
)
from tests.workshops.stock_and_hours_invariants import (
    changes,
    column_problems,
    fingerprint,
    hours_problems,
    stock_problems,
)
from tests.workshops.stock_steps import REFUSED, StockSteps
from workshops.inventory import receive_batch, return_to_stock
from workshops.models import ProductionRecord

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

OCTOBER = datetime.date(2026, 10, 1)

# Steps that find a known hole, mended by another change, with the item that mends it.
CARELESS = {
    # Keys one operation builds from another's: a write-off keyed "reserve:a" made the reservation
    # "a" fail on an IntegrityError; a count keyed "a#<pk>" was replayed as the stocktake "a".
    "colliding_keys": "item 3: stock keys in namespaces that collide",
    # Training attendance of 7.255 hours was saved as 7.26; the grid and adjustments took it too.
    "precise_hours": "item 2: hours with more than two decimals",
    # pieces=99999999999 was saved on SQLite and failed with a DataError on PostgreSQL.
    "huge_numbers": "item 5: numbers with no plausibility bound",
    # Found by this machine: the weekly limit counts the week up to the
    # day entered only, so a day entered after later days of its week (a late record, a
    # correction, a session) took the week past the limit with no reason asked, and the later
    # days then breach "the ISO week so far" with none. Not a step: the weekly invariant.
    "weeks_in_any_order": "not listed: the weekly limit ignored later days already recorded",
}
# The items not landed yet: their steps stay out of the search until then.
AWAITING: set[str] = set()  # every hole found is mended: each step is in the search


class StockAndHoursMachine(StockSteps, ProductionSteps, RuleBasedStateMachine):
    """One example: a sequence of steps over the world, in a savepoint rolled back at the end.
    ``careless`` names the ``CARELESS`` steps this machine may take."""

    careless: frozenset[str] = frozenset(CARELESS) - AWAITING

    def __init__(self, world):
        super().__init__()
        self.world = world
        self._example = transaction.atomic()
        self._example.__enter__()
        self.places = {
            "tailoring": (world.workshop, world.supervisor),
            "crew": (world.crew, world.supervisor),
            "other": (world.other, world.other_supervisor),
        }
        self.skus = [*world.skus, world.other_sku]
        self.keys = ["a", "b", *(f"k{n}" for n in range(2, 12))]
        self.done: dict[tuple[str, str], tuple] = {}  # (operation, key) → (arguments, result, call)
        self.reservations: list[int] = []
        self.outcomes: Counter = Counter()  # what the steps did, to inspect a search
        self.rows: dict | None = None  # the fingerprint, read again after a step changed rows

    def teardown(self):
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    def fingerprint(self) -> dict:
        """The rows as they are now: as the last step left them, until a step changes them."""
        if self.rows is None:
            self.rows = fingerprint()
        return self.rows

    def attempt(self, step: str, call):
        """``call``'s result, or None when it was refused, having checked it changed nothing."""
        before = self.fingerprint()
        try:
            result = call()
        except REFUSED as refused:
            self.refused(step, refused, before)
            return None
        self.rows = None
        self.outcomes[step, "done"] += 1
        return result

    def refused(self, step: str, refused: Exception, before: dict) -> None:
        messages = getattr(refused, "messages", None) or [str(refused)]
        if currently_in_test_context():  # not in a replay
            note(f"{step} refused: {messages}")
        assert all(message.strip() for message in messages), f"{step}: a refusal in no words"
        changed = changes(before, fingerprint())
        assert not changed, f"{step} was refused ({messages}) but changed {changed}"
        self.outcomes[step, "refused"] += 1

    @initialize(
        stock=st.lists(st.integers(1, 30), min_size=3, max_size=3),
        work=st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(PLACES),
                st.sampled_from(DAYS),
                st.sampled_from(HOURS[:6]),
                st.integers(0, 30),
            ),
            max_size=8,
        ),
    )
    def some_stock_and_work(self, stock, work):
        """A batch of each SKU made in October, and records to start from, saved directly (the
        checks run on later steps: hours within the daily limit, at most one record a day)."""
        for sku, quantity in zip(self.skus, stock, strict=True):
            receive_batch(
                sku=sku,
                quantity=quantity,
                made_from=OCTOBER,
                made_to=OCTOBER,
                user=self.places["other" if sku == self.world.other_sku else "tailoring"][1],
                key=f"october:{sku.code}",
            )
        days = set()
        for worker, place, day, hours, pieces in work:
            if (worker, day) not in days:
                days.add((worker, day))
                entry = self.entry(worker, place, day, hours, pieces, False)
                ProductionRecord.objects.create(
                    worker=entry.worker,
                    workshop=entry.workshop,
                    day=day,
                    sku=entry.sku,
                    hours=entry.hours,
                    pieces=entry.pieces,
                    supervisor=self.places[place][1],
                )

    # The careless operator's steps (CARELESS)

    @precondition(lambda self: "colliding_keys" in self.careless)
    @rule(
        sku=st.integers(0, 2),
        built=st.sampled_from(["reserve:{}", "batch:{}", "sell:{}", "release:{}", "{}#{sku}"]),
        key=st.integers(0, 1),
    )
    def squat_key(self, sku, built, key):
        """A return keyed as another operation keys its movements: ``reserve:a`` (a reservation
        keyed a), ``batch:a`` (a batch), ``sell:a``, ``release:a``, ``a#<the SKU's pk>`` (one
        SKU's line of a stocktake)."""
        sku = self.skus[sku]
        key = built.format(self.keys[key], sku=sku.pk)
        self.keyed(
            "return",
            key,
            (sku.pk, 1, "Order 17"),
            lambda: return_to_stock(sku, 1, key=key, source="Order 17"),
        )

    @precondition(lambda self: "precise_hours" in self.careless)
    @rule(
        path=st.sampled_from(["grid", "import", "adjust", "training"]),
        worker=st.integers(0, 2),
        day=st.sampled_from(DAYS),
        hours=st.sampled_from(["7.255", "0.001"]),
    )
    def precise_hours(self, path, worker, day, hours):
        """Hours with three decimals: refused, or saved as given, the same on every path."""
        self.careless_step(path, worker, day, hours, pieces=3)

    @precondition(lambda self: "huge_numbers" in self.careless)
    @rule(
        path=st.sampled_from(["grid", "import", "adjust", "count"]),
        worker=st.integers(0, 2),
        day=st.sampled_from(DAYS),
        number=st.sampled_from([99_999_999_999, 2**31]),
    )
    def huge_numbers(self, path, worker, day, number):
        """A number wider than any column: refused in words on both databases."""
        if path == "count":
            self.count_one(self.skus[0], number, self.keys[0], "Stocktake")
        else:
            self.careless_step(path, worker, day, "4", pieces=number)

    def careless_step(self, path, worker, day, hours, *, pieces):
        if path == "grid":
            self.record_work(worker, "tailoring", day, hours, pieces, 0, False, False)
        elif path == "import":
            self.import_entries([self.entry(worker, "tailoring", day, hours, pieces, False)], False)
        elif path == "training":
            self.train(worker, day, Decimal(hours), False)
        elif record := self.pick(ProductionRecord.objects.filter(locked__isnull=False), worker):
            self.adjust_one(record, Decimal(hours), pieces if record.sku_id else 0)

    # Invariants

    @invariant()
    def stock_is_its_movements(self):
        assert stock_problems() == []

    @invariant()
    def working_time_holds(self):
        assert hours_problems(weeks="weeks_in_any_order" in self.careless) == []

    @invariant()
    def numbers_fit_their_columns(self):
        assert column_problems() == []


def search(machine: type[StockAndHoursMachine], *, examples: int, steps: int) -> None:
    world = build_machine_world()
    search_sequences(lambda: machine(world), examples=examples, steps=steps)


def test_no_sequence_of_stock_and_production_steps_breaks_stock_or_working_time():
    search(StockAndHoursMachine, examples=30, steps=30)


INVARIANTS = ("stock_is_its_movements", "working_time_holds", "numbers_fit_their_columns")


def replay(careless: str, *steps) -> None:
    """``steps`` replayed on a machine that may take the ``careless`` step, the invariants
    checked after each."""
    replay_steps(StockAndHoursMachine, build_machine_world(), careless, steps, INVARIANTS)


REPLAYS = {
    # A return keyed reserve:a of SKU-A, then the reservation a of SKU-A: its movement's key is
    # taken, and reserve raises an IntegrityError.
    "colliding_keys": [
        ("squat_key", {"sku": 0, "built": "reserve:{}", "key": 0}),
        ("reserve", {"lines": [(0, 1)], "key": 0, "in_the_past": False}),
    ],
    # Training of 7.255 hours, saved as 7.26 (the grid and adjustments refuse it now).
    "precise_hours": [
        ("precise_hours", {"path": "training", "worker": 0, "day": DAYS[0], "hours": "7.255"}),
    ],
    # pieces=99999999999 in the grid: kept by SQLite, a DataError on PostgreSQL.
    "huge_numbers": [
        ("huge_numbers", {"path": "grid", "worker": 0, "day": DAYS[0], "number": 99_999_999_999}),
    ],
    # Saturday 24 hours of training and Friday 16 (each with a reason: over 8 a day), then 4
    # hours on Thursday with none: Monday to Thursday is 4 hours, so no reason was asked, but the
    # week holds 44 and Saturday's "week so far" is past 40 with no entry recording it.
    "weeks_in_any_order": [
        ("record_training", {"worker": 0, "day": DAYS[5], "hours": "24", "reason": True}),
        ("record_training", {"worker": 0, "day": DAYS[4], "hours": "16", "reason": True}),
        (
            "record_work",
            {
                "worker": 0,
                "place": "tailoring",
                "day": DAYS[3],
                "hours": "4",
                "pieces": 1,
                "sku": 0,
                "reason": False,
                "wrong_supervisor": False,
            },
        ),
    ],
}


@pytest.mark.parametrize(
    "hole",
    [
        pytest.param(hole, marks=pytest.mark.xfail(strict=True, reason=CARELESS[hole]))
        if hole in AWAITING
        else hole
        for hole in REPLAYS
    ],
)
def test_the_holes_once_found_are_mended(hole):
    replay(hole, *REPLAYS[hole])
