"""A search for the next hole in the money.

A Hypothesis state machine drives random sequences of the money operations, as a finance office
and the workshops would, careless ones included: record a day's work in the grid (new records
dated in weeks already paid too) and training attendance, adjust locked records, create,
calculate, approve (by the second officer, or wrongly by the first), post and cancel pay runs,
post and reverse journals, close chains and periods. A refusal (``ValidationError``,
``PermissionDenied``) is a legitimate outcome of a step, provided it changed nothing. After every
step the invariants of ``tests.wages.money_invariants`` hold and ``verify_ledger`` is clean.
The steps are in ``tests.wages.money_work_steps`` (work, training, adjustments) and
``tests.wages.money_payrun_steps`` (pay runs, the ledger, the careless steps).

The world (``tests.wages.payrun_builders``: one prison, an own workshop with hourly and piece
rates, an own time-only crew, a partner's bakery under a contract, three workers, a pay policy,
a course) is built once per test; every example runs in a savepoint rolled back at its end.

``CARELESS`` are the careless steps that broke the money before they were mended (and one found
later: a chain squatted under a run's name). The machine takes them all; the
shortest sequence that first found each is replayed in ``test_the_holes_once_found_are_mended``.
A new careless step joins ``CARELESS`` with its replay.
"""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import currently_in_test_context, note
from hypothesis.stateful import RuleBasedStateMachine, invariant

from tests.state_machines import replay_steps, search_sequences
from tests.wages.money_invariants import (
    changes,
    deferred_checks,
    fingerprint,
    payment_problems,
    run_journal_problems,
    unbalanced_accounts,
)
from tests.wages.money_payrun_steps import CarelessSteps, LedgerSteps, PayRunSteps
from tests.wages.money_work_steps import REFUSED, WorkSteps
from tests.wages.payrun_builders import EUR, WEEK_1, WEEK_2, D, build_pay_world
from wages.ledger import open_chain, verify_ledger
from wages.models import Account, PayRun
from workshops.models import Assignment, Consent, Prison

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


CARELESS = {
    "free_posted_lock": "item 2: unlock_production freed the lock of a posted run",
    "swap_references": "item 3: pay went to whoever held a worker's reference now",
    "huge_amounts": "item 10: amounts wider than the column were accepted on SQLite",
    "long_slug": "item 5: a prison slug of 120 characters overflowed the pay-run references",
    # Found later: posting adopted a chain that existed under the run's chain name, with the
    # journals already in it (or was refused for good when it was closed).
    "squat_run_chain": "not listed: a run's chain existed before the run was posted",
}


class MoneyMachine(WorkSteps, PayRunSteps, LedgerSteps, CarelessSteps, RuleBasedStateMachine):
    """One example: a sequence of steps over the world, in a savepoint rolled back at the end.
    ``careless`` names the ``CARELESS`` steps this machine may take."""

    careless: frozenset[str] = frozenset(CARELESS)

    def __init__(self, pay):
        super().__init__()
        self.pay = pay
        self._example = transaction.atomic()
        self._example.__enter__()
        self.prison = Prison.objects.get(pk=pay.prison.pk)
        if "long_slug" in self.careless:
            self.prison.slug = "p" * Prison._meta.get_field("slug").max_length
            self.prison.save(update_fields=["slug"])
        self.workshops = {
            "tailoring": (pay.tailoring, pay.world.supervisor),
            "crew": (pay.crew, pay.world.supervisor),
            "bakery": (pay.bakery, pay.world.other_supervisor),
        }
        self.bank = Account.objects.create(
            code="bank", name="Bank", kind=Account.Kind.ASSET, currency=EUR
        )
        self.sales = Account.objects.create(
            code="sales", name="Sales", kind=Account.Kind.INCOME, currency=EUR
        )
        self.chains = [open_chain(f"shop:{n}") for n in range(2)]
        self.chains_opened = len(self.chains)
        self.runs: list[int] = []
        self.paid: dict[str, tuple[frozenset, frozenset]] = {}  # what each posted run held
        self.outcomes: Counter = Counter()  # what the steps did, to inspect a search

    def teardown(self):
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    def attempt(self, step: str, call, refusals=REFUSED):
        """``call``'s result, or None when it was refused, having checked it changed nothing."""
        before = fingerprint()
        try:
            result = call()
        except refusals as refused:
            messages = getattr(refused, "messages", None) or [str(refused)]
            if currently_in_test_context():  # not in a replay
                note(f"{step} refused: {messages}")
            assert all(message.strip() for message in messages), f"{step}: a refusal in no words"
            changed = changes(before, fingerprint())
            assert not changed, f"{step} was refused ({messages}) but changed {changed}"
            self.outcomes[step, "refused"] += 1
            return None
        self.outcomes[step, "done"] += 1
        return result

    def run(self, which: int) -> PayRun:
        """The latest run but ``which``."""
        return PayRun.objects.get(pk=self.runs[-1 - which % len(self.runs)])

    def officer(self, run: PayRun, who: str):
        """``right``: the officer a step wants (the one who did not calculate the run, for
        approving and posting); ``other``: the other officer; ``outsider``: a supervisor."""
        if who == "outsider":
            return self.pay.world.supervisor
        first, second = self.pay.calculator, self.pay.approver
        if run is not None and run.calculated_by_id == first.pk:
            first, second = second, first
        return first if who == "right" else second

    # Invariants

    @invariant()
    def the_database_checks_pass(self):
        deferred_checks()

    @invariant()
    def balances_are_their_entries(self):
        assert unbalanced_accounts() == []

    @invariant()
    def paid_exactly_once_or_not_yet(self):
        assert payment_problems(self.paid) == []

    @invariant()
    def posted_runs_journals_are_their_lines(self):
        assert run_journal_problems() == []

    @invariant()
    def the_ledger_verifies(self):
        assert verify_ledger() == []


def build_money_world():
    """The pay-run world, with every worker assigned to the bakery and consenting to work for
    its partner, so that their bakery work passes the grid's checks."""
    pay = build_pay_world(workers=3)
    for worker in pay.workers:
        Assignment.objects.create(worker=worker, workshop=pay.bakery, start=D(2026, 1, 1))
        Consent.objects.create(
            worker=worker, kind=Consent.Kind.WORK, partner=pay.partner, signed_on=D(2026, 1, 1)
        )
    return pay


def search(machine: type[MoneyMachine], *, examples: int, steps: int) -> None:
    pay = build_money_world()
    search_sequences(lambda: machine(pay), examples=examples, steps=steps)


def test_no_sequence_of_money_operations_loses_or_pays_twice():
    search(MoneyMachine, examples=30, steps=30)


INVARIANTS = (
    "the_database_checks_pass",
    "balances_are_their_entries",
    "paid_exactly_once_or_not_yet",
    "posted_runs_journals_are_their_lines",
    "the_ledger_verifies",
)


def replay(careless: str, *steps) -> None:
    """``steps`` replayed on a machine that may take the ``careless`` step, the invariants
    checked after each."""
    replay_steps(MoneyMachine, build_money_world(), careless, steps, INVARIANTS)


# The shortest sequences that found each hole before it was mended, replayed.
FIRST_WEEK = {
    "work": [(0, "tailoring", D(2026, 11, 2), "4", 10), (1, "tailoring", D(2026, 11, 9), "4", 10)]
}
REPLAYS = {
    # Week 1's run is posted, its lock freed, and week 2's run pays the record again (late).
    "free_posted_lock": [
        ("some_work", FIRST_WEEK),
        ("pay_a_period", {"period": WEEK_1}),
        ("free_lock", {"which": 0}),
        ("pay_a_period", {"period": WEEK_2}),
    ],
    # W-000000 is paid for week 1; the references of workers 0 and 1 are swapped; week 2 pays
    # worker 1 (now W-000000) into worker 0's accounts.
    "swap_references": [
        ("some_work", FIRST_WEEK),
        ("pay_a_period", {"period": WEEK_1}),
        ("swap_references", {"first": 0, "second": 1}),
        ("pay_a_period", {"period": WEEK_2}),
    ],
    # 10^14 fits no column of 16 digits with 2 decimals: SQLite keeps it and every read of the
    # account fails (decimal.InvalidOperation); PostgreSQL raises a DataError (a 500).
    "huge_amounts": [
        (
            "post_huge_journal",
            {
                "key": "shop:0",
                "on": D(2026, 11, 3),
                "debit": 0,
                "credit": 1,
                "amount": Decimal(10**14),
                "chain": 0,
            },
        ),
    ],
    # PR-<120 characters>-2026-11-02 is longer than the reference's 60: a DataError.
    "long_slug": [
        ("some_work", FIRST_WEEK),
        ("pay_a_period", {"period": WEEK_1}),
    ],
    # A shop journal in a chain named payrun:PR-north-prison-2026-11-02, which week 1's run
    # then adopts as its own: the run's chain holds a journal that pays no line.
    "squat_run_chain": [
        ("some_work", FIRST_WEEK),
        ("squat_run_chain", {"period": WEEK_1, "amount": 100, "close": False}),
        ("pay_a_period", {"period": WEEK_1}),
    ],
}


@pytest.mark.parametrize(
    "hole",
    [
        "free_posted_lock",
        "swap_references",
        "huge_amounts",
        pytest.param("long_slug", marks=pytest.mark.postgres),  # SQLite does not enforce lengths
        "squat_run_chain",
    ],
)
def test_the_holes_once_found_are_mended(hole):
    replay(hole, *REPLAYS[hole])
