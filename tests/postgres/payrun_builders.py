"""The smallest payroll a pay-run test needs: the production world of
``tests.workshops.production_builders`` (a week of work in the tailoring workshop of North
Prison), a pay rate for its trade, a pay policy with two deductions, and three finance officers,
so that one calculates, another approves and a third may post.

The week Monday 2 to Sunday 8 November 2026 pays (hourly 2.00, piece 0.10; floor 45 % of a
5.00 minimum wage, 2.25 an hour; family 10 %, victims' fund 5 %, own spending the rest):

    W-000000  7 h, 30 pieces   17.00 = family 1.70 + victims' fund 0.85 + own spending 14.45
    W-000001  6 h               12.00 = family 1.20 + victims' fund 0.60 + own spending 10.20,
                                and back wages 1.50 (13.50 is the floor of six hours)
    W-000002  0 h, all rejected  nothing: a line, but no journal

``build_south`` adds South Prison, whose first worker works for a partner:

    W-000100  5 h for Acme      32.50 = family 3.25 + victims' fund 1.62 + own spending 27.63
    W-000101  4 h               8.00 = family 0.80 + victims' fund 0.40 + own spending 6.80,
                                and back wages 1.00
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from djmoney.money import Money

from brand.roles import sync_roles
from tests.workshops.builders import build_partner, build_workshop, contract_fields
from tests.workshops.production_builders import (
    SINCE,
    World,
    build_worker_in,
    build_world,
    day,
)
from wages.models import PayAllocation, PayPolicy, PayRate, PayRun
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run
from workshops.models import Contract, DeductionCategory, Prison, ProductionRecord, Workshop

FIRST_DAY = day(0)
LAST_DAY = day(6)
REFERENCE = "PR-north-prison-2026-11-02"
CHAIN = f"payrun:{REFERENCE}"

# The accounts the week's run posts to, with their balances once posted (debit +).
POSTED_BALANCES = [
    ("deduction:victims-fund", Decimal("-1.45")),
    ("wages-expense", Decimal("29.00")),
    ("wages-expense:back-wages", Decimal("1.50")),
    ("worker:W-000000:family", Decimal("-1.70")),
    ("worker:W-000000:own-spending", Decimal("-14.45")),
    ("worker:W-000001:back-wages", Decimal("-1.50")),
    ("worker:W-000001:family", Decimal("-1.20")),
    ("worker:W-000001:own-spending", Decimal("-10.20")),
]
# Worker → (hours, pieces, gross, own spending, back wages) of the week's lines.
LINES = [
    ("W-000000", Decimal("7.00"), 30, Decimal("17.00"), Decimal("14.45"), Decimal("0.00")),
    ("W-000001", Decimal("6.00"), 0, Decimal("12.00"), Decimal("10.20"), Decimal("1.50")),
    ("W-000002", Decimal("0.00"), 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
]


@dataclass
class Payroll:
    world: World
    calculator: User
    approver: User
    poster: User

    @property
    def prison(self):
        return self.world.workshop.prison


def build_finance_officer(username: str) -> User:
    user = User.objects.create_user(username, password="x")
    user.groups.add(sync_roles()["finance"])
    return user


def record(world: World, *, worker: int, on: datetime.date, hours, pieces=0, rejects=0, sku=0):
    return ProductionRecord.objects.create(
        worker=world.workers[worker],
        workshop=world.workshop,
        day=on,
        sku=world.skus[sku],
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        supervisor=world.supervisor,
    )


def build_payroll() -> Payroll:
    world = build_world()
    PayRate.objects.create(
        trade=world.workshop.trade,
        hourly=Money("2.00", "EUR"),
        piece=Money("0.10", "EUR"),
        effective_from=SINCE,
    )
    policy = PayPolicy.objects.create(
        effective_from=SINCE,
        minimum_wage=Money("5.00", "EUR"),
        floor_share=Decimal(45),
        training_rate=Money("1.00", "EUR"),
        sales_share=Decimal(10),
    )
    for priority, (code, percentage) in enumerate((("family", 10), ("victims-fund", 5)), 1):
        PayAllocation.objects.create(
            policy=policy,
            category=DeductionCategory.objects.create(
                code=code, name=code.title(), credited_to_worker=code == "family"
            ),
            percentage=Decimal(percentage),
            priority=priority,
        )
    record(world, worker=0, on=day(0), hours="7.00", pieces=30, rejects=1)
    record(world, worker=1, on=day(1), hours="6.00", sku=1)
    record(world, worker=2, on=day(2), hours="0.00", rejects=4)
    return Payroll(
        world=world,
        calculator=build_finance_officer("finance-calculates"),
        approver=build_finance_officer("finance-approves"),
        poster=build_finance_officer("finance-posts"),
    )


def week_run(payroll: Payroll, *, first=FIRST_DAY, last=LAST_DAY) -> PayRun:
    return create_pay_run(
        prison=payroll.prison, period_start=first, period_end=last, user=payroll.calculator
    )


def calculated_run(payroll: Payroll) -> PayRun:
    return calculate_pay_run(week_run(payroll), user=payroll.calculator)


def approved_run(payroll: Payroll) -> PayRun:
    return approve_pay_run(calculated_run(payroll), user=payroll.approver)


def posted_run(payroll: Payroll) -> PayRun:
    return post_pay_run(approved_run(payroll), user=payroll.poster)


def build_south(payroll: Payroll) -> Prison:
    """South Prison: a workshop run for Acme under a contract (6.50 an hour) and one of the
    administration's own, each with a worker who worked there in the week."""
    south = Prison.objects.create(
        name="South Prison", slug="south-prison", region=payroll.prison.region, population="men"
    )
    acme = build_workshop("acme-south", prison=south, kind=Workshop.Kind.PARTNER)
    Contract.objects.create(workshop=acme, **contract_fields(build_partner("acme")))
    own = build_workshop("bakery-south", prison=south)
    for reference, workshop, hours in (("W-000100", acme, "5.00"), ("W-000101", own, "4.00")):
        ProductionRecord.objects.create(
            worker=build_worker_in([workshop], reference),
            workshop=workshop,
            day=day(1),
            sku=None,
            hours=Decimal(hours),
            supervisor=payroll.world.supervisor,
        )
    return south


def approved_south_run(payroll: Payroll, south: Prison) -> PayRun:
    run = create_pay_run(
        prison=south, period_start=FIRST_DAY, period_end=LAST_DAY, user=payroll.calculator
    )
    calculate_pay_run(run, user=payroll.calculator)
    return approve_pay_run(run, user=payroll.approver)
