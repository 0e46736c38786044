"""Pay runs against an independent oracle (Hypothesis): any policy, prices, work and training give
balanced journals, pay as the oracle computes it, and deductions within the policy's limits.
"""

import datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.money import round_money
from tests.wages.payrun_builders import (
    EUR,
    WEEK_1,
    D,
    attend,
    build_benchmark,
    build_contract,
    build_policy,
    build_rate,
    money,
    posted,
    record,
)
from wages.ledger import trial_balance, verify_ledger
from wages.models import Journal, PayAllocation, PayPolicy
from wages.pay import check_policy

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


CENT = Decimal("0.01")
CODES = ("family", "release-savings", "victims-fund", "board")
PLACES = ("tailoring", "crew", "bakery")
percent = st.decimals(min_value=0, max_value=100, places=2)
rate = st.decimals(min_value=0, max_value=5, places=4)


@st.composite
def policies(draw) -> dict:
    """A valid policy: the allocations fit the cap and leave the protected minimum."""
    cap, protected = draw(percent), draw(percent)
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=4))
    room = (min(cap, 100 - protected) / max(len(codes), 1)).quantize(CENT, ROUND_DOWN)
    allocations = []
    for code in codes:
        floor = draw(st.none() | st.decimals(min_value=0, max_value=30, places=2))
        above = draw(st.none() | st.decimals(min_value=0, max_value=30, places=2))
        allocations.append(
            (
                code,
                draw(st.decimals(min_value=0, max_value=room, places=2)),
                draw(st.integers(1, 3)),
                floor,
                None if above is None else (floor or 0) + above,
            )
        )
    return {
        "minimum_wage": draw(st.decimals(min_value="0.01", max_value=12, places=2)),
        "floor_share": draw(percent),
        "training_rate": draw(rate),
        "deductions_cap": cap,
        "protected_own_spending": protected,
        "allocations": allocations,
    }


prices = st.fixed_dictionaries(
    {
        "tailoring": st.tuples(st.none() | rate, st.none() | rate).filter(
            lambda pair: pair != (None, None)
        ),
        "trade_hourly": rate,
        "contract": st.none() | st.tuples(st.decimals(min_value=0, max_value=10, places=2), rate),
        "benchmark": st.none() | st.decimals(min_value="0.01", max_value=12, places=2),
    }
)
entry = st.tuples(
    st.integers(0, 6),
    st.sampled_from(PLACES),
    st.decimals(min_value=0, max_value=10, places=2),
    st.integers(0, 60),
)
weeks_of_work = st.lists(
    st.lists(entry, max_size=4, unique_by=lambda row: (row[0], row[1])), min_size=3, max_size=3
)
hours_of_training = st.lists(
    st.none() | st.decimals(min_value="0.25", max_value=4, places=2), min_size=3, max_size=3
)


def cents(amount: Decimal) -> Decimal:
    return round_money(money(amount)).amount


def expected_pay(pay, terms, rows, trained):
    """payers and back wages by payer, computed here from the module docstring's rules."""
    tailoring_hourly, tailoring_piece = (value or 0 for value in terms["tailoring"])
    exact = {"own": Decimal(0), pay.payer: Decimal(0)}
    hours = {"own": Decimal(0), pay.payer: Decimal(0)}
    for _day, place, worked, pieces in rows:
        if place == "bakery" and terms["contract"]:
            hourly, piece = terms["contract"]
            exact[pay.payer] += worked * hourly + pieces * piece
            hours[pay.payer] += worked
        elif place == "tailoring":
            exact["own"] += worked * tailoring_hourly + pieces * tailoring_piece
            hours["own"] += worked
        else:
            exact["own"] += worked * terms["trade_hourly"]
            hours["own"] += worked
    training_pay = cents((trained or 0) * terms["policy"]["training_rate"])
    payers = {payer: cents(amount) for payer, amount in exact.items()}
    payers["own"] += training_pay
    floors = {
        "own": terms["policy"]["minimum_wage"] * terms["policy"]["floor_share"] / 100,
        pay.payer: terms["benchmark"] or 0,
    }
    back_wages = {
        payer: f"{cents(floors[payer] * hours[payer]) - cents(exact[payer]):.2f}"
        for payer in exact
        if hours[payer] and cents(floors[payer] * hours[payer]) > cents(exact[payer])
    }
    return {payer: f"{amount:.2f}" for payer, amount in payers.items() if amount}, back_wages


def build_terms(pay, terms) -> None:
    policy = terms["policy"]
    build_policy(
        minimum_wage=policy["minimum_wage"],
        floor_share=policy["floor_share"],
        training_rate=policy["training_rate"],
        deductions_cap=policy["deductions_cap"],
        protected_own_spending=policy["protected_own_spending"],
        allocations=policy["allocations"],
    )
    check_policy(PayPolicy.objects.get(), list(PayAllocation.objects.select_related("category")))
    build_rate(workshop=pay.tailoring, hourly=terms["tailoring"][0], piece=terms["tailoring"][1])
    build_rate(trade=pay.tailoring.trade, hourly=terms["trade_hourly"])
    if terms["contract"]:
        build_contract(pay, pay.bakery, hourly=terms["contract"][0], piece=terms["contract"][1])
    if terms["benchmark"]:
        build_benchmark(pay.bakery.trade, pay.prison.region, terms["benchmark"], D(2026, 1, 1))


def build_work(pay, rows, trained, worker) -> None:
    places = {"tailoring": pay.tailoring, "crew": pay.crew, "bakery": pay.bakery}
    for day, place, worked, pieces in rows:
        on = WEEK_1[0] + datetime.timedelta(days=day)
        record(pay, worker, places[place], on, worked, 0 if place == "crew" else pieces)
    if trained:
        attend(pay, worker, WEEK_1[0], trained)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(policy=policies(), terms=prices, rows=weeks_of_work, trained=hours_of_training)
def test_any_run_posts_balanced_journals_and_keeps_the_policys_limits(
    unpriced_world, policy, terms, rows, trained
):
    pay = unpriced_world
    terms = {**terms, "policy": policy}
    with transaction.atomic():
        build_terms(pay, terms)
        for worker, worker_rows, worker_trained in zip(pay.workers, rows, trained, strict=True):
            build_work(pay, worker_rows, worker_trained, worker)

        run = posted(pay)

        paid = {
            worker.pk
            for worker, worked, learned in zip(pay.workers, rows, trained, strict=True)
            if worked or learned
        }
        assert set(run.lines.values_list("worker", flat=True)) == paid
        assert Journal.objects.filter(chain=run.chain).count() == (
            run.lines.exclude(gross=0, back_wages=0).count()
        )
        cap, protected = policy["deductions_cap"], policy["protected_own_spending"]
        for line in run.lines.select_related("worker"):
            index = pay.workers.index(line.worker)
            payers, back_wages = expected_pay(pay, terms, rows[index], trained[index])
            assert (line.payers, line.back_wages_by_payer) == (payers, back_wages)
            deducted = sum((Decimal(amount) for amount in line.deductions.values()), Decimal(0))
            assert line.gross == sum((Decimal(amount) for amount in payers.values()), Decimal(0))
            assert deducted + line.own_spending == line.gross
            assert deducted <= (line.gross * cap / 100).quantize(CENT, ROUND_DOWN)
            assert line.own_spending >= (line.gross * protected / 100).quantize(CENT, ROUND_UP)
            assert all(Decimal(amount) >= 0 for amount in line.deductions.values())
        for journal in Journal.objects.filter(chain=run.chain):
            assert sum(journal.entries.values_list("amount", flat=True)) == 0
        debits, credits = trial_balance(WEEK_1[1]).totals().get(EUR, (0, 0))
        assert debits == credits
        assert verify_ledger() == []
        transaction.set_rollback(True)
