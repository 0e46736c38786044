"""The smallest world a pay-run test needs, built on the production world
(``tests.workshops.production_builders``): an own workshop with an hourly and piece rate
(tailoring), an own time-only workshop paid at its trade's rate (crew), a partner's workshop under
a contract (bakery, "other"), a market wage for the trade in the prison's region, a pay policy,
a course the workers attend, and two finance officers, so that one calculates and the other
approves."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from djmoney.money import Money
from wagtail.models import Locale, ModelLogEntry

from brand.roles import ROLES, sync_roles
from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import World, build_world
from wages.models import (
    Account,
    Chain,
    Checkpoint,
    Entry,
    Journal,
    MarketWageBenchmark,
    PayAllocation,
    PayPolicy,
    PayRate,
    PayRun,
    PayRunLine,
)
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run
from workshops.models import (
    Contract,
    Course,
    DeductionCategory,
    Enrolment,
    Partner,
    ProductionAdjustment,
    ProductionLock,
    ProductionRecord,
    Trade,
    TrainingAttendance,
    Worker,
    Workshop,
)

D = datetime.date
EUR = "EUR"
# Three weeks of November 2026, all in the past (production_builders' "today" is the 26th).
WEEK_1 = (D(2026, 11, 2), D(2026, 11, 8))
WEEK_2 = (D(2026, 11, 9), D(2026, 11, 15))
WEEK_3 = (D(2026, 11, 16), D(2026, 11, 22))
RATES_FROM = D(2026, 1, 1)
# family and release savings go to the worker's own accounts, the victims' fund to everyone's
ALLOCATIONS = (("family", "10", 1), ("release-savings", "20", 2), ("victims-fund", "5", 3))


@dataclass
class PayWorld:
    world: World
    partner: Partner
    contract: Contract | None
    policy: PayPolicy | None
    calculator: User  # finance officer who calculates
    approver: User  # another finance officer, who approves and posts
    enrolments: dict[int, Enrolment]  # worker pk → enrolment on the bakery course

    @property
    def prison(self):
        return self.world.workshop.prison

    @property
    def tailoring(self) -> Workshop:
        """Own work, the workshop's own rate: 2.00 an hour and 0.125 a piece."""
        return self.world.workshop

    @property
    def crew(self) -> Workshop:
        """Own time-only work, the bakery trade's rate: 1.80 an hour."""
        return self.world.crew

    @property
    def bakery(self) -> Workshop:
        """The partner's work under contract C-1: 6.50 an hour and 0.10 a piece."""
        return self.world.other

    @property
    def workers(self) -> list[Worker]:
        return self.world.workers

    @property
    def payer(self) -> str:
        return f"partner:{self.partner.pk}"


def build_finance_officer(username: str, role: str = "finance") -> User:
    """A user in the role's group (``sync_roles`` makes the groups when they are missing)."""
    name = next(each.name for each in ROLES if each.slug == role)
    group = Group.objects.filter(name=name).first() or sync_roles()[role]
    user = User.objects.create_user(username, password="x")
    user.groups.add(group)
    return user


# Categories credited to the worker's own account, as the demo's are.
CREDITED_TO_WORKER = ("own-spending", "family", "release-savings")


def category(code: str) -> DeductionCategory:
    return DeductionCategory.objects.get_or_create(
        code=code,
        defaults={"name": code.title(), "credited_to_worker": code in CREDITED_TO_WORKER},
    )[0]


def build_policy(
    *,
    effective_from=RATES_FROM,
    minimum_wage="5.00",
    floor_share="45",
    training_rate="1.00",
    deductions_cap="80",
    protected_own_spending="20",
    allocations=ALLOCATIONS,
) -> PayPolicy:
    """``allocations``: (category code, percentage, priority[, floor, cap]) tuples."""
    policy = PayPolicy.objects.create(
        effective_from=effective_from,
        minimum_wage=Money(Decimal(minimum_wage), EUR),
        floor_share=Decimal(floor_share),
        training_rate=Money(Decimal(training_rate), EUR),
        deductions_cap=Decimal(deductions_cap),
        protected_own_spending=Decimal(protected_own_spending),
        sales_share=Decimal(10),
    )
    for code, percentage, priority, *limits in allocations:
        floor, cap = (*limits, None, None)[:2]
        PayAllocation.objects.create(
            policy=policy,
            category=category(code),
            percentage=Decimal(percentage),
            priority=priority,
            floor=Money(Decimal(floor), EUR) if floor is not None else None,
            cap=Money(Decimal(cap), EUR) if cap is not None else None,
        )
    return policy


def money(amount) -> Money | None:
    return Money(Decimal(amount), EUR) if amount is not None else None


def build_rate(*, workshop=None, trade=None, hourly=None, piece=None, start=RATES_FROM, end=None):
    return PayRate.objects.create(
        workshop=workshop,
        trade=trade,
        hourly=money(hourly),
        piece=money(piece),
        effective_from=start,
        effective_to=end,
    )


def build_contract(pay, workshop, *, reference="C-1", hourly="6.50", piece="0.10", start=None):
    fields = contract_fields(pay.partner, reference=reference, start=start or RATES_FROM)
    return Contract.objects.create(
        workshop=workshop,
        **{**fields, "hourly_rate": money(hourly), "piece_rate": money(piece)},
    )


def build_benchmark(trade, region, hourly, observed_on) -> MarketWageBenchmark:
    return MarketWageBenchmark.objects.create(
        trade=trade,
        region=region,
        hourly=Money(Decimal(hourly), EUR),
        source="National wage survey",
        observed_on=observed_on,
    )


def build_trade(slug: str, name: str, code: str) -> Trade:
    return Trade.objects.create(
        slug=slug, name=name, occupation_code=code, locale=Locale.get_default()
    )


def build_time_workshop(slug: str, trade: Trade, prison) -> Workshop:
    """A time-only workshop of ``trade`` (no SKUs), with nobody assigned or supervising."""
    return Workshop.objects.create(
        name=f"Workshop {slug}",
        slug=slug,
        public_name=trade.name,
        prison=prison,
        trade=trade,
        kind=Workshop.Kind.PARTNER,
        makes_products=False,
    )


def build_pay_world(*, priced: bool = True, workers: int = 2) -> PayWorld:
    """``priced``: with the rates, contract, benchmarks and policy the module docstring names;
    without, only the people, workshops and enrolments (a test adds its own prices)."""
    world = build_world(workers=workers)
    pay = PayWorld(
        world=world,
        partner=build_partner("acme"),
        contract=None,
        policy=None,
        calculator=build_finance_officer("calculator"),
        approver=build_finance_officer("approver"),
        enrolments={},
    )
    course = Course.objects.create(
        code="bakery-1",
        trade=world.workshop.trade,
        qualification="Baking, level 1",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(40),
        assessment="Practical test",
    )
    pay.enrolments = {
        worker.pk: Enrolment.objects.create(worker=worker, course=course, enrolled_on=RATES_FROM)
        for worker in world.workers
    }
    if priced:
        trade = world.workshop.trade
        build_rate(workshop=world.workshop, hourly="2.00", piece="0.1250")
        build_rate(trade=trade, hourly="1.80")
        pay.contract = build_contract(pay, world.other)
        region = world.workshop.prison.region
        build_benchmark(trade, region, "6.00", D(2025, 6, 1))
        build_benchmark(trade, region, "7.00", D(2026, 6, 1))
        build_benchmark(trade, region, "9.00", D(2026, 12, 1))  # after every period here
        pay.policy = build_policy()
    return pay


def record(pay, worker, workshop, day, hours, pieces=0, **fields) -> ProductionRecord:
    """A production record as the grid saves it: the workshop's first SKU, if it has any."""
    sku = workshop.skus.order_by("code").first() if workshop.makes_products else None
    fields.setdefault("supervisor", None if fields.get("legacy") else _supervisor(pay, workshop))
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=day,
        sku=fields.pop("sku", sku),
        hours=Decimal(hours),
        pieces=pieces,
        **fields,
    )


def _supervisor(pay, workshop) -> User:
    return pay.world.other_supervisor if workshop == pay.world.other else pay.world.supervisor


def attend(pay, worker, day, hours) -> TrainingAttendance:
    return TrainingAttendance.objects.create(
        enrolment=pay.enrolments[worker.pk],
        workshop=pay.world.workshop,
        day=day,
        hours=Decimal(hours),
        trainer="A. Trainer",
        recorded_by=pay.world.supervisor,
    )


def draft(pay, period=WEEK_1, *, user=None) -> PayRun:
    """A run of the world's prison, created by ``user`` (the calculating officer unless said)."""
    return create_pay_run(
        prison=pay.prison,
        period_start=period[0],
        period_end=period[1],
        user=user or pay.calculator,
    )


def calculated(pay, period=WEEK_1) -> PayRun:
    return calculate_pay_run(draft(pay, period), user=pay.calculator)


def approved(pay, period=WEEK_1) -> PayRun:
    return approve_pay_run(calculated(pay, period), user=pay.approver)


def posted(pay, period=WEEK_1) -> PayRun:
    return post_pay_run(approved(pay, period), user=pay.approver)


def line_of(run, worker) -> PayRunLine:
    return PayRunLine.objects.get(run=run, worker=worker)


def balances() -> dict[str, Decimal]:
    return dict(Account.objects.order_by("code").values_list("code", "balance"))


def journal_entries(key: str) -> list[tuple[str, Decimal]]:
    return sorted(Entry.objects.filter(journal__key=key).values_list("account__code", "amount"))


def locks() -> dict[int, str | None]:
    """Record pk → the reference of the pay run locking it."""
    return dict(ProductionRecord.objects.values_list("pk", "locked__lock__reference"))


def attendance_locks() -> dict[int, str | None]:
    """Attendance pk → the reference of the pay run paying it."""
    return dict(TrainingAttendance.objects.values_list("pk", "lock__reference"))


def everything() -> dict:
    """Every row a pay-run operation may write, to show that a refused one wrote none."""
    return {
        "runs": list(
            PayRun.objects.order_by("reference").values_list(
                "reference",
                "status",
                "policy",
                "calculated_by__username",
                "calculated_at",
                "result_hash",
                "approved_by__username",
                "approved_hash",
                "posted_by__username",
                "chain__name",
                "cancel_reason",
                "workers",
                "gross",
                "deductions",
                "back_wages",
                "warnings",
            )
        ),
        "lines": list(
            PayRunLine.objects.order_by("run__reference", "worker__reference").values_list(
                "run__reference",
                "worker__reference",
                "gross",
                "own_spending",
                "back_wages",
                "payers",
                "deductions",
                "settles",
                "warnings",
            )
        ),
        "records": list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk", "hours", "pieces", "locked__lock__reference"
            )
        ),
        "attendance": list(
            TrainingAttendance.objects.order_by("pk").values_list("pk", "hours", "lock__reference")
        ),
        "locks": list(
            ProductionLock.objects.order_by("pk").values_list("reference", "released_at")
        ),
        "adjustments": list(
            ProductionAdjustment.objects.order_by("pk").values_list("pk", "settled_by")
        ),
        "journals": list(Journal.objects.order_by("pk").values_list("key", "hash")),
        "entries": Entry.objects.count(),
        "balances": list(Account.objects.order_by("pk").values_list("code", "balance")),
        "chains": list(Chain.objects.order_by("pk").values_list("name", "length", "closed_at")),
        "checkpoints": list(Checkpoint.objects.values_list("sequence", "chain_name")),
        "log": list(ModelLogEntry.objects.order_by("pk").values_list("action", "object_id")),
    }
