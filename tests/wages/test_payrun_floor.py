"""A partner's wage floor, trade by trade (``wages.payruns.calculation._back_wages``; issue 16,
item 6): the partner's pay for hours in one trade never offsets a shortfall against the market
wage of another, and a trade without a benchmark in the region is reported once, not counted.

The partner's bakery pays 6.50 an hour against the bakery trade's market wage of 7.00 in the
prison's region (``tests.wages.payrun_builders``): 10 hours there are 5.00 short.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.wages.payrun_builders import (
    WEEK_1,
    D,
    build_benchmark,
    build_contract,
    build_time_workshop,
    build_trade,
    calculated,
    journal_entries,
    line_of,
    posted,
    record,
)
from tests.workshops.builders import build_partner

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

RUN_1 = "PR-north-prison-2026-11-02"


def ten_hours_in_the_bakery(pay, worker):
    record(pay, worker, pay.bakery, D(2026, 11, 2), "5")
    record(pay, worker, pay.bakery, D(2026, 11, 3), "5")


def partner_workshop(pay, trade, slug, *, reference, hourly, partner=None):
    """A time-only workshop of ``trade`` under a contract of ``partner`` (the world's unless
    said), paying ``hourly``."""
    workshop = build_time_workshop(slug, trade, pay.prison)
    owner = pay if partner is None else SimpleNamespace(partner=partner)
    build_contract(owner, workshop, reference=reference, hourly=hourly, piece=None)
    return workshop


def test_pay_in_a_trade_without_a_benchmark_does_not_offset_a_shortfall_in_one_with(pay_world):
    second = pay_world.workers[1]
    joinery_trade = build_trade("joinery", "Joinery", "7522")  # no market wage in the region
    joinery = partner_workshop(pay_world, joinery_trade, "joinery", reference="C-2", hourly="20")
    ten_hours_in_the_bakery(pay_world, second)  # 65.00, the market wage 70.00
    record(pay_world, second, joinery, D(2026, 11, 4), "5")  # 100.00
    record(pay_world, second, joinery, D(2026, 11, 5), "5")  # 100.00

    run = posted(pay_world, WEEK_1)

    line = line_of(run, second)
    assert (line.gross, line.payers, line.back_wages, line.back_wages_by_payer) == (
        Decimal("265.00"),
        {pay_world.payer: "265.00"},
        Decimal("5.00"),
        {pay_world.payer: "5.00"},
    )
    assert line.warnings == [
        {
            "code": "below_floor",
            "payer": pay_world.payer,
            "trade": pay_world.bakery.trade_id,
            "hourly": "6.50",
            "floor": "7.00",
            "owed": "5.00",
        },
        {"code": "no_benchmark", "trade": joinery_trade.pk},
    ]
    labour = f"{pay_world.payer}:labour"
    assert [
        entry for entry in journal_entries(f"payrun:{RUN_1}:W-000001") if "back" in entry[0]
    ] == [("worker:W-000001:back-wages", Decimal("-5.00"))]
    assert (labour, Decimal("5.00")) in journal_entries(f"payrun:{RUN_1}:W-000001")


def test_each_benchmarked_trade_is_judged_on_its_own(pay_world):
    second = pay_world.workers[1]
    weaving_trade = build_trade("weaving", "Weaving", "7318")
    build_benchmark(weaving_trade, pay_world.prison.region, "5.00", D(2026, 6, 1))
    weaving = partner_workshop(pay_world, weaving_trade, "weaving", reference="C-2", hourly="9")
    ten_hours_in_the_bakery(pay_world, second)  # 65.00 against 70.00: 5.00 short
    record(pay_world, second, weaving, D(2026, 11, 4), "4")  # 36.00 against 20.00
    record(pay_world, second, weaving, D(2026, 11, 5), "0.5")  # 4.50 against 2.50

    run = calculated(pay_world, WEEK_1)

    line = line_of(run, second)
    assert (line.back_wages, line.back_wages_by_payer) == (
        Decimal("5.00"),
        {pay_world.payer: "5.00"},
    )
    assert [w["trade"] for w in line.warnings] == [pay_world.bakery.trade_id]


def test_shortfalls_in_two_trades_of_one_partner_add_up(pay_world):
    second = pay_world.workers[1]
    weaving_trade = build_trade("weaving", "Weaving", "7318")
    build_benchmark(weaving_trade, pay_world.prison.region, "5.005", D(2026, 6, 1))
    weaving = partner_workshop(pay_world, weaving_trade, "weaving", reference="C-2", hourly="4")
    ten_hours_in_the_bakery(pay_world, second)  # 5.00 short
    record(pay_world, second, weaving, D(2026, 11, 4), "3")  # 12.00 against 15.015 → 15.02

    run = calculated(pay_world, WEEK_1)

    line = line_of(run, second)
    assert (line.back_wages, line.back_wages_by_payer) == (
        Decimal("8.02"),
        {pay_world.payer: "8.02"},
    )
    assert [(w["trade"], w["owed"]) for w in line.warnings] == [
        (pay_world.bakery.trade_id, "5.00"),
        (weaving_trade.pk, "3.02"),
    ]


def test_a_trade_without_a_benchmark_is_reported_once_whatever_pays_for_it(pay_world):
    first = pay_world.workers[0]
    joinery_trade = build_trade("joinery", "Joinery", "7522")
    other = build_partner("other")
    acme = partner_workshop(pay_world, joinery_trade, "joinery-a", reference="C-2", hourly="8")
    theirs = partner_workshop(
        pay_world, joinery_trade, "joinery-b", reference="C-3", hourly="8", partner=other
    )
    record(pay_world, first, acme, D(2026, 11, 2), "2")
    record(pay_world, first, theirs, D(2026, 11, 3), "2")

    run = calculated(pay_world, WEEK_1)

    line = line_of(run, first)
    assert line.payers == {pay_world.payer: "16.00", f"partner:{other.pk}": "16.00"}
    assert (line.back_wages, line.warnings) == (
        Decimal(0),
        [{"code": "no_benchmark", "trade": joinery_trade.pk}],
    )
