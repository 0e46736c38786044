"""Calculating pay runs (``wages.payruns.calculation``): the worked example (``work_week_1``, see
``tests.wages.payrun_examples``) paid by payer and split by the policy, posted as one balanced
journal per worker; prices changing within the period, rounding, legacy records, refusals that
lock nothing, and recalculating before approval.
"""

from decimal import Decimal

import pytest

from tests.wages.payrun_builders import (
    EUR,
    WEEK_1,
    WEEK_2,
    D,
    approved,
    attend,
    attendance_locks,
    build_contract,
    build_policy,
    build_rate,
    build_time_workshop,
    build_trade,
    calculated,
    draft,
    journal_entries,
    line_of,
    locks,
    posted,
    record,
)
from tests.wages.payrun_examples import RUN_1, RUN_2, line_values, refusal, run_log, work_week_1
from wages.ledger import trial_balance, verify_ledger
from wages.models import Account, Chain, Checkpoint, Journal, PayPolicy
from wages.payruns import approve_pay_run, calculate_pay_run
from wages.payruns.line_hashes import lines_hash
from wages.payruns.prices import NoRate
from workshops.models import ProductionLock

# SQLite only for now: nothing here should differ on PostgreSQL (no primary keys assumed, each
# Hypothesis example rolled back to a savepoint), but the module has not yet run there.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_the_worked_example_pays_each_worker_by_payer_and_splits_it_by_the_policy(pay_world):
    work = work_week_1(pay_world)
    first, second = pay_world.workers
    partner = pay_world.payer

    run = calculated(pay_world)

    # W-000000: 12 h × 2.00 + 61 pieces × 0.125 = 31.625 → 31.63, and 3 h of training at 1.00;
    # for the partner 5 h × 6.50 + 30 × 0.10 = 35.50. Gross 70.13: family 10 % = 7.013 → 7.01,
    # release savings 20 % = 14.026 → 14.02, victims' fund 5 % = 3.5065 → 3.50, 45.60 left.
    assert line_values(line_of(run, first)) == {
        "hours": Decimal("17.00"),
        "pieces": 91,
        "training_hours": Decimal("3.00"),
        "earned": Decimal("70.13"),
        "adjustments": Decimal("0.00"),
        "gross": Decimal("70.13"),
        "payers": {"own": "34.63", partner: "35.50"},
        "deductions": {"family": "7.01", "release-savings": "14.02", "victims-fund": "3.50"},
        "own_spending": Decimal("45.60"),
        "back_wages": Decimal("0.00"),
        "back_wages_by_payer": {},
        "settles": [],
        "warnings": [],
    }
    # W-000001: 9 h in the crew at the trade's 1.80 = 16.20, below the floor 9 × 2.25 = 20.25;
    # for the partner 4 h × 6.50 + 10 × 0.10 = 27.00, below the market wage 4 × 7.00 = 28.00.
    assert line_values(line_of(run, second)) == {
        "hours": Decimal("13.00"),
        "pieces": 10,
        "training_hours": Decimal("0.00"),
        "earned": Decimal("43.20"),
        "adjustments": Decimal("0.00"),
        "gross": Decimal("43.20"),
        "payers": {"own": "16.20", partner: "27.00"},
        "deductions": {"family": "4.32", "release-savings": "8.64", "victims-fund": "2.16"},
        "own_spending": Decimal("28.08"),
        "back_wages": Decimal("5.05"),
        "back_wages_by_payer": {"own": "4.05", partner: "1.00"},
        "settles": [],
        "warnings": [
            {
                "code": "below_floor",
                "payer": "own",
                "hourly": "1.80",
                "floor": "2.25",
                "owed": "4.05",
            },
            {
                "code": "below_floor",
                "payer": partner,
                "trade": pay_world.bakery.trade_id,
                "hourly": "6.75",
                "floor": "7.00",
                "owed": "1.00",
            },
            {"code": "over_limit", "days": 1},
        ],
    }
    run.refresh_from_db()
    assert (
        run.status,
        run.policy,
        run.calculated_by.username,
        run.workers,
        run.gross,
        run.deductions,
        run.back_wages,
        run.warnings,
        run.result_hash,
    ) == (
        "calculated",
        pay_world.policy,
        "calculator",
        2,
        Decimal("113.33"),
        Decimal("39.65"),
        Decimal("5.05"),
        3,
        lines_hash(run),
    )
    records = [work.tailoring, work.tailoring_b, work.bakery, work.crew, work.bakery_b]
    assert locks() == {each.pk: RUN_1 for each in records}
    assert run_log(run) == [
        ("wagtail.create", "calculator"),
        ("bridgework.pay_run_calculated", "calculator"),
    ]
    assert Journal.objects.count() == 0


def test_the_worked_example_posts_one_balanced_journal_per_worker_in_the_runs_chain(pay_world):
    work_week_1(pay_world)
    labour = f"{pay_world.payer}:labour"

    run = posted(pay_world)

    chain = Chain.objects.get(name=f"payrun:{RUN_1}")
    assert (run.status, run.chain, run.posted_by.username) == ("posted", chain, "approver")
    assert chain.closed_at is not None
    assert list(
        Journal.objects.order_by("sequence").values_list(
            "key", "on", "memo", "chain__name", "sequence", "posted_by__username"
        )
    ) == [
        (
            f"payrun:{RUN_1}:W-000000",
            WEEK_1[1],
            f"Pay run {RUN_1}, 2026-11-02 to 2026-11-08 · W-000000",
            chain.name,
            1,
            "approver",
        ),
        (
            f"payrun:{RUN_1}:W-000001",
            WEEK_1[1],
            f"Pay run {RUN_1}, 2026-11-02 to 2026-11-08 · W-000001",
            chain.name,
            2,
            "approver",
        ),
    ]
    assert journal_entries(f"payrun:{RUN_1}:W-000000") == sorted(
        [
            ("wages-expense", Decimal("34.63")),
            (labour, Decimal("35.50")),
            ("worker:W-000000:family", Decimal("-7.01")),
            ("worker:W-000000:release-savings", Decimal("-14.02")),
            ("deduction:victims-fund", Decimal("-3.50")),
            ("worker:W-000000:own-spending", Decimal("-45.60")),
        ]
    )
    assert journal_entries(f"payrun:{RUN_1}:W-000001") == sorted(
        [
            ("wages-expense", Decimal("16.20")),
            (labour, Decimal("27.00")),
            ("worker:W-000001:family", Decimal("-4.32")),
            ("worker:W-000001:release-savings", Decimal("-8.64")),
            ("deduction:victims-fund", Decimal("-2.16")),
            ("worker:W-000001:own-spending", Decimal("-28.08")),
            ("wages-expense:back-wages", Decimal("4.05")),
            ("worker:W-000001:back-wages", Decimal("-4.05")),
            (labour, Decimal("1.00")),
            ("worker:W-000001:back-wages", Decimal("-1.00")),
        ]
    )
    assert list(
        Account.objects.order_by("code").values_list("code", "kind", "worker__reference", "balance")
    ) == [
        ("deduction:victims-fund", "liability", None, Decimal("-5.66")),
        (labour, "asset", None, Decimal("63.50")),
        ("wages-expense", "expense", None, Decimal("50.83")),
        ("wages-expense:back-wages", "expense", None, Decimal("4.05")),
        ("worker:W-000000:family", "liability", "W-000000", Decimal("-7.01")),
        ("worker:W-000000:own-spending", "liability", "W-000000", Decimal("-45.60")),
        ("worker:W-000000:release-savings", "liability", "W-000000", Decimal("-14.02")),
        ("worker:W-000001:back-wages", "liability", "W-000001", Decimal("-5.05")),
        ("worker:W-000001:family", "liability", "W-000001", Decimal("-4.32")),
        ("worker:W-000001:own-spending", "liability", "W-000001", Decimal("-28.08")),
        ("worker:W-000001:release-savings", "liability", "W-000001", Decimal("-8.64")),
    ]
    assert Account.objects.get(code=labour).name == ("Wages receivable from Acme")
    assert list(Checkpoint.objects.values_list("chain_name", "length", "head")) == [
        (chain.name, 2, chain.head)
    ]
    assert trial_balance(WEEK_1[1]).totals() == {EUR: (Decimal("118.38"), Decimal("118.38"))}
    assert trial_balance(WEEK_1[0]).rows == []  # dated on the period's last day
    assert verify_ledger() == []
    assert run_log(run) == [
        ("wagtail.create", "calculator"),
        ("bridgework.pay_run_calculated", "calculator"),
        ("bridgework.pay_run_approved", "approver"),
        ("bridgework.pay_run_posted", "approver"),
    ]


def test_rates_and_contracts_that_change_within_the_period_price_each_day_by_its_own(
    unpriced_world,
):
    pay = unpriced_world
    first = pay.workers[0]
    build_policy()
    build_rate(workshop=pay.tailoring, hourly="2.00", piece="0.1250", end=D(2026, 11, 4))
    build_rate(workshop=pay.tailoring, hourly="3.00", start=D(2026, 11, 5))
    build_rate(trade=pay.tailoring.trade, hourly="1.80")  # the workshop's own rate comes first
    build_contract(pay, pay.bakery, start=D(2026, 11, 5))
    record(pay, first, pay.tailoring, D(2026, 11, 3), "4", 10)  # 8.00 + 1.25
    record(pay, first, pay.tailoring, D(2026, 11, 6), "4", 10)  # 12.00, no piece rate
    record(pay, first, pay.bakery, D(2026, 11, 4), "2", 5)  # own work at the trade's 1.80
    record(pay, first, pay.bakery, D(2026, 11, 5), "2", 5)  # the partner's: 13.00 + 0.50

    run = calculated(pay)

    line = line_of(run, first)
    assert (line.payers, line.gross) == (
        {"own": "24.85", pay.payer: "13.50"},
        Decimal("38.35"),
    )
    assert line.warnings == [{"code": "no_benchmark", "trade": pay.bakery.trade_id}]


def test_pay_is_rounded_half_up_once_per_payer(pay_world):
    first, second = pay_world.workers
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "0", 1)  # 0.125
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "0", 1)  # 0.125
    record(pay_world, second, pay_world.tailoring, D(2026, 11, 2), "0", 1)  # 0.125

    run = calculated(pay_world)

    assert [
        (line.payers, line.gross, line.deductions, line.own_spending)
        for line in run.lines.order_by("worker__reference")
    ] == [
        (
            {"own": "0.25"},
            Decimal("0.25"),
            {"family": "0.02", "release-savings": "0.05", "victims-fund": "0.01"},
            Decimal("0.17"),
        ),
        (
            {"own": "0.13"},
            Decimal("0.13"),
            {"family": "0.01", "release-savings": "0.02", "victims-fund": "0.00"},
            Decimal("0.10"),
        ),
    ]


def test_legacy_records_are_never_paid(pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    legacy = record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "4", 10, legacy=True)
    later = record(pay_world, first, pay_world.tailoring, D(2026, 11, 9), "1", 0)

    first_run = posted(pay_world)
    second_run = posted(pay_world, WEEK_2)

    assert line_of(first_run, first).gross == Decimal("17.00")
    assert line_of(second_run, first).gross == Decimal("2.00")
    assert line_of(second_run, first).warnings == [
        {"code": "below_floor", "payer": "own", "hourly": "2.00", "floor": "2.25", "owed": "0.25"}
    ]
    assert locks()[legacy.pk] is None
    assert locks()[later.pk] == RUN_2


def test_recalculating_holds_training_recorded_since(pay_world):
    first = pay_world.workers[0]
    work_week_1(pay_world)
    run = calculated(pay_world)
    added = attend(pay_world, first, D(2026, 11, 6), "2")

    run = calculate_pay_run(run, user=pay_world.calculator)

    assert line_of(run, first).training_hours == Decimal("5.00")
    assert set(attendance_locks().values()) == {RUN_1}
    assert attendance_locks()[added.pk] == RUN_1
    assert run.result_hash == lines_hash(run)


def test_a_run_without_a_policy_in_effect_is_refused_and_locks_nothing(pay_world):
    work_week_1(pay_world)
    PayPolicy.objects.filter(pk=pay_world.policy.pk).update(effective_from=D(2026, 11, 9))
    run = draft(pay_world)

    assert refusal(lambda: calculate_pay_run(run, user=pay_world.calculator)) == [
        "No pay policy is in effect on Nov 8, 2026: add one first."
    ]
    assert set(locks().values()) == {None}
    assert ProductionLock.objects.count() == 0


def test_work_where_no_rate_or_contract_applies_is_refused_and_locks_nothing(pay_world):
    work_week_1(pay_world)
    joinery = build_time_workshop(
        "joinery-north", build_trade("joinery", "Joinery", "7522"), pay_world.prison
    )
    record(pay_world, pay_world.workers[0], joinery, D(2026, 11, 4), "3")
    run = draft(pay_world)

    assert refusal(lambda: calculate_pay_run(run, user=pay_world.calculator), NoRate) == [
        "No pay rate or contract covers Workshop joinery-north on Nov 4, 2026: add a pay rate "
        "first."
    ]
    assert set(locks().values()) == {None}
    assert ProductionLock.objects.count() == 0


def test_recalculating_before_approval_replaces_the_lines(pay_world):
    first = pay_world.workers[0]
    work_week_1(pay_world)
    run = calculated(pay_world)
    old_lines = set(run.lines.values_list("pk", flat=True))
    old_hash = run.result_hash
    added = record(pay_world, first, pay_world.tailoring, D(2026, 11, 6), "2", 0)

    run = calculate_pay_run(run, user=pay_world.approver)

    assert run.lines.count() == 2
    assert not old_lines & set(run.lines.values_list("pk", flat=True))
    assert line_of(run, first).payers == {"own": "38.63", pay_world.payer: "35.50"}
    assert (run.gross, run.calculated_by.username) == (Decimal("117.33"), "approver")
    assert run.result_hash == lines_hash(run) != old_hash
    assert locks()[added.pk] == RUN_1
    # the four-eyes rule follows the last calculation
    assert approve_pay_run(run, user=pay_world.calculator).approved_by == pay_world.calculator


def test_recalculating_an_approved_run_is_refused(pay_world):
    work_week_1(pay_world)
    run = approved(pay_world)
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 6), "2", 0)

    assert refusal(lambda: calculate_pay_run(run, user=pay_world.calculator)) == [
        f"Pay run {RUN_1} is approved: only a draft or calculated run is calculated."
    ]
