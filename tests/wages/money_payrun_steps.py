"""The pay-run, ledger and careless steps of the money state machine
(``tests/wages/test_money_state_machine.py``): create, calculate, approve, post and cancel pay
runs; post and reverse journals, close chains and periods; and the careless operator's steps
(``CARELESS``) that broke the money before they were mended.
"""

import datetime
from decimal import Decimal

from django.db import DatabaseError, transaction
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from tests.wages.money_work_steps import RARELY, REFUSED
from tests.wages.payrun_builders import WEEK_1, WEEK_2, WEEK_3, D
from wages.ledger import close_chain, close_period, open_chain, post_journal, reverse_journal
from wages.models import Account, Journal, PayRun, PeriodClose
from wages.payruns import (
    approve_pay_run,
    calculate_pay_run,
    cancel_pay_run,
    create_pay_run,
    post_pay_run,
)
from workshops.models import LockedRecord, TrainingAttendance, Worker
from workshops.production import unlock_production

WEEK_4 = (D(2026, 11, 23), D(2026, 11, 29))
PERIODS = [WEEK_1, WEEK_2, WEEK_3, WEEK_4, (WEEK_2[0], WEEK_3[1])]
WHO = st.sampled_from(["right", "right", "right", "other", "outsider"])
KEYS = [f"shop:{n}" for n in range(4)]  # few keys: a key is often used again
LEDGER_DAYS = [D(2026, 11, 1) + datetime.timedelta(days=n) for n in range(30)]


class PayRunSteps:
    """The money machine's pay-run rules: the machine provides ``pay``, ``prison``, ``runs``,
    ``paid``, ``attempt``, ``run`` and ``officer``."""

    # Pay runs

    @rule(period=st.sampled_from(PERIODS), who=WHO)
    def create_run(self, period, who):
        self.create(period, who)

    def create(self, period, who) -> PayRun | None:
        run = self.attempt(
            "create_run",
            lambda: create_pay_run(
                prison=self.prison,
                period_start=period[0],
                period_end=period[1],
                user=self.officer(None, who),
            ),
        )
        if run is not None:
            self.runs.append(run.pk)
        return run

    @precondition(lambda self: self.runs)
    @rule(which=st.integers(0, 7), who=WHO)
    def calculate(self, which, who):
        run = self.run(which)
        self.attempt("calculate", lambda: calculate_pay_run(run, user=self.officer(None, who)))

    @precondition(lambda self: self.runs)
    @rule(which=st.integers(0, 7), who=WHO)
    def approve(self, which, who):
        run = self.run(which)
        self.attempt("approve", lambda: approve_pay_run(run, user=self.officer(run, who)))

    @precondition(lambda self: self.runs)
    @rule(which=st.integers(0, 7), who=WHO)
    def post(self, which, who):
        self.post_run(self.run(which), who)

    def post_run(self, run: PayRun, who: str) -> None:
        was_posted = run.status == PayRun.Status.POSTED
        done = self.attempt("post", lambda: post_pay_run(run, user=self.officer(run, who)))
        if done is not None and not was_posted:
            self.paid[done.reference] = (
                frozenset(
                    LockedRecord.objects.filter(
                        lock__reference=done.reference, lock__released_at__isnull=True
                    ).values_list("record", flat=True)
                ),
                frozenset(
                    TrainingAttendance.objects.filter(
                        lock__reference=done.reference, lock__released_at__isnull=True
                    ).values_list("pk", flat=True)
                ),
            )

    @rule(period=st.sampled_from(PERIODS))
    def pay_a_period(self, period):
        """Create, calculate, approve and post a run, each step by the right officer, for
        ``period`` or the next one no run covers."""
        start = PERIODS.index(period)
        free = [
            each
            for each in PERIODS[start:] + PERIODS[:start]
            if not PayRun.objects.filter(period_start__lte=each[1], period_end__gte=each[0])
            .exclude(status=PayRun.Status.CANCELLED)
            .exists()
        ]
        run = self.create(free[0] if free else period, "right")
        steps = (
            ("calculate", lambda run: calculate_pay_run(run, user=self.officer(None, "right"))),
            ("approve", lambda run: approve_pay_run(run, user=self.officer(run, "right"))),
        )
        for step, call in steps:
            if run is None:
                return
            run = self.attempt(step, lambda call=call, run=run: call(run))
        if run is not None:
            self.post_run(run, "right")

    @precondition(lambda self: self.runs)
    @rule(which=st.integers(0, 7), who=WHO, reason=st.sampled_from(["Redo", "Redo", ""]))
    def cancel(self, which, who, reason):
        run = self.run(which)
        self.attempt(
            "cancel", lambda: cancel_pay_run(run, user=self.officer(run, who), reason=reason)
        )


class LedgerSteps:
    """The money machine's ledger rules: the machine provides ``pay``, ``bank``, ``sales``,
    ``chains`` and ``attempt``."""

    # The ledger

    def accounts(self) -> list[Account]:
        """The shop's bank and sales, and every account the pay runs made."""
        return [
            self.bank,
            self.sales,
            *Account.objects.exclude(pk__in=[self.bank.pk, self.sales.pk]).order_by("code"),
        ]

    @rule(
        key=st.sampled_from(KEYS),
        on=st.sampled_from(LEDGER_DAYS),
        debit=st.integers(0, 30),
        credit=st.integers(0, 30),
        amount=st.one_of(
            *[st.integers(1, 10**7).map(lambda cents: Decimal(cents).scaleb(-2))] * 4,
            st.sampled_from([Decimal(0), Decimal("0.005")]),
        ),
        chain=st.integers(0, 1),
        close=RARELY,
    )
    def post_shop_journal(self, key, on, debit, credit, amount, chain, close):
        """A journal of the shop's (a sale, or a payout from a worker's account), between two
        accounts; the same key again is idempotent with the same lines and refused with others.
        ``close``: then close the day's chain and open the next day's."""
        self.post_between(key, on, debit, credit, amount, chain)
        if close and self.attempt("close_chain", lambda: close_chain(self.chains[chain])):
            self.chains[chain] = open_chain(f"shop:{self.chains_opened}")
            self.chains_opened += 1

    @precondition(lambda self: "huge_amounts" in self.careless)
    @rule(
        key=st.sampled_from(KEYS),
        on=st.sampled_from(LEDGER_DAYS),
        debit=st.integers(0, 30),
        credit=st.integers(0, 30),
        amount=st.sampled_from([Decimal(10**14), Decimal(10**15) + Decimal("0.01")]),
        chain=st.integers(0, 1),
    )
    def post_huge_journal(self, key, on, debit, credit, amount, chain):
        self.post_between(key, on, debit, credit, amount, chain)

    def post_between(self, key, on, debit, credit, amount, chain):
        accounts = self.accounts()
        self.attempt(
            "post_journal",
            lambda: post_journal(
                key=key,
                on=on,
                lines=[
                    (accounts[debit % len(accounts)], amount),
                    (accounts[credit % len(accounts)], -amount),
                ],
                memo="Shop",
                chain=self.chains[chain],
                user=self.pay.approver,
            ),
        )

    @precondition(lambda self: Journal.objects.exists())
    @rule(
        which=st.integers(0, 50),
        other_key=st.sampled_from([None, None, None, None, *KEYS]),
        on=st.sampled_from(LEDGER_DAYS),
        chain=st.integers(0, 1),
    )
    def reverse(self, which, other_key, on, chain):
        """Reverse a journal, a pay run's too, under its own reversal key (again: idempotent)
        or ``other_key`` (a key in use, or a second reversal under another key: refused)."""
        journals = Journal.objects.order_by("pk")
        journal = journals[which % journals.count()]
        self.attempt(
            "reverse",
            lambda: reverse_journal(
                journal,
                key=other_key or f"reversal:{journal.key}",
                on=on,
                memo="Correction",
                chain=self.chains[chain],
                user=self.pay.approver,
            ),
        )

    def days_to_close(self) -> list[datetime.date]:
        """1 November and the last days of the periods runs paid, after the last close."""
        days = [
            D(2026, 11, 1),
            *PayRun.objects.filter(reference__in=self.paid).values_list("period_end", flat=True),
        ]
        closed = PeriodClose.objects.order_by("-up_to").values_list("up_to", flat=True).first()
        return sorted(day for day in days if closed is None or day > closed)

    @precondition(lambda self: self.paid and self.days_to_close())
    @rule(which=st.integers(0, 4))
    def close_a_period(self, which):
        """Close the books up to a day a run paid (closing again is the ledger tests' part)."""
        days = self.days_to_close()
        up_to = days[which % len(days)]
        self.attempt("close_period", lambda: close_period(up_to, user=self.pay.approver))


class CarelessSteps:
    """The careless operator's steps (``CARELESS``), taken only when the machine's ``careless``
    names them."""

    # The careless operator's steps (CARELESS)

    @precondition(lambda self: "free_posted_lock" in self.careless and self.runs)
    @rule(which=st.integers(0, 7))
    def free_lock(self, which):
        """Free a run's lock as cancelling does: a posted run's too."""
        run = self.run(which)
        self.attempt(
            "free_lock", lambda: unlock_production(run.reference, user=self.pay.calculator)
        )

    @precondition(lambda self: "swap_references" in self.careless)
    @rule(first=st.integers(0, 2), second=st.integers(1, 2))
    def swap_references(self, first, second):
        """Swap two workers' references, as an edit in the back office may (the database may
        refuse it: a reference in use never changes)."""
        one, other = (Worker.objects.get(pk=self.pay.workers[n].pk) for n in (first, second))
        if one.pk == other.pk:
            return

        @transaction.atomic
        def swap():
            references = (one.reference, other.reference)
            for worker, reference in (
                (one, "W-SWAP"),
                (other, references[0]),
                (one, references[1]),
            ):
                worker.reference = reference
                worker.save(update_fields=["reference"])

        self.attempt("swap_references", swap, refusals=(*REFUSED, DatabaseError))

    @precondition(lambda self: "squat_run_chain" in self.careless)
    @rule(period=st.sampled_from(PERIODS), amount=st.integers(1, 10**5), close=st.booleans())
    def squat_run_chain(self, period, amount, close):
        """Post a shop journal into a chain named as the first run of ``period``'s will be, and
        maybe close it."""
        chain = open_chain(f"payrun:PR-{self.prison.slug}-{period[0]:%Y-%m-%d}")
        bank, sales = self.accounts()[:2]
        cents = Decimal(amount).scaleb(-2)
        self.attempt(
            "post_journal",
            lambda: post_journal(
                key=f"squat:{chain.pk}",
                on=D(2026, 11, 23),
                lines=[(bank, cents), (sales, -cents)],
                memo="Shop",
                chain=chain,
            ),
        )
        if close:
            self.attempt("close_chain", lambda: close_chain(chain))
