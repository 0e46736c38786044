"""The smallest world TRAINING_SHARE and GENDER_ACCESS read: one mixed prison, workshops in
trades with a pay rate each, workers of either sex, their production and training attendance,
courses, and the compliance thresholds in force."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from djmoney.money import Money
from wagtail.models import Locale

from compliance.models import ComplianceThresholds
from compliance.rules.context import CheckContext, Scope
from wages.models import PayRate
from workshops.models import (
    Course,
    Enrolment,
    Prison,
    ProductionRecord,
    Region,
    Trade,
    TrainingAttendance,
    Worker,
    Workshop,
)

D = datetime.date
MONDAY = D(2026, 3, 2)  # a past week, Monday to Friday
PERIOD = (MONDAY, D(2026, 3, 6))
THRESHOLDS_FROM = D(2026, 1, 1)


@dataclass
class TrainingWorld:
    prison: Prison
    supervisor: User
    trades: dict[str, Trade] = field(default_factory=dict)
    workshops: dict[str, Workshop] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    enrolments: dict[int, Enrolment] = field(default_factory=dict)

    def context(self, *, kind="prison", target=None) -> CheckContext:
        return CheckContext(Scope(kind, target or self.prison), *PERIOD)


def build_world(*, population="mixed") -> TrainingWorld:
    region = Region.objects.create(name="North", slug="north")
    prison = Prison.objects.create(
        name="North Prison", slug="north-prison", region=region, population=population
    )
    return TrainingWorld(prison=prison, supervisor=User.objects.create_user("sup", password="x"))


def build_thresholds(*, share="10", gap="10", since=THRESHOLDS_FROM) -> ComplianceThresholds:
    return ComplianceThresholds.objects.create(
        effective_from=since, training_share=Decimal(share), gender_gap=Decimal(gap)
    )


def add_workshop(
    world: TrainingWorld, slug: str, *, hourly="2.00", piece=None, course=True
) -> Workshop:
    """A workshop of the trade ``slug`` (made once), paid ``hourly`` (a pay rate of its own,
    none when ``hourly`` and ``piece`` are both None), with an active course of the trade."""
    trade = world.trades.get(slug)
    if trade is None:
        trade = Trade.objects.create(
            name=slug.title(), slug=slug, occupation_code="7512", locale=Locale.get_default()
        )
        world.trades[slug] = trade
    if course and slug not in world.courses:
        world.courses[slug] = Course.objects.create(
            code=f"{slug}-1",
            trade=trade,
            qualification=f"{slug.title()}, level 1",
            level="EQF level 2",
            awarding_body="National Vocational Authority",
            required_hours=Decimal(40),
            assessment="Practical test",
        )
    number = len(world.workshops) + 1
    workshop = Workshop.objects.create(
        name=f"{slug.title()} workshop {number}",
        slug=f"{slug}-{number}",
        public_name=slug.title(),
        prison=world.prison,
        trade=trade,
        kind=Workshop.Kind.ADMINISTRATION,
        makes_products=False,
    )
    world.workshops[workshop.slug] = workshop
    if hourly is not None or piece is not None:
        PayRate.objects.create(
            workshop=workshop,
            hourly=Money(Decimal(hourly), "EUR") if hourly is not None else None,
            piece=Money(Decimal(piece), "EUR") if piece is not None else None,
            effective_from=THRESHOLDS_FROM,
        )
    return workshop


def add_worker(world: TrainingWorld, reference: str, sex="female", *, course=None) -> Worker:
    """A worker, enrolled on ``course`` (a trade's slug) when given."""
    worker = Worker.objects.create(
        reference=reference, legal_name=f"Legal {reference}", prison_number=f"P{reference}", sex=sex
    )
    if course:
        enrol(world, worker, course)
    return worker


def enrol(world: TrainingWorld, worker: Worker, course: str) -> Enrolment:
    enrolment = Enrolment.objects.create(
        worker=worker, course=world.courses[course], enrolled_on=THRESHOLDS_FROM
    )
    world.enrolments[worker.pk] = enrolment
    return enrolment


def work(
    world: TrainingWorld, worker: Worker, workshop: Workshop, hours, *, day=MONDAY, pieces=0
) -> ProductionRecord:
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=day,
        hours=Decimal(hours),
        pieces=pieces,
        supervisor=world.supervisor,
    )


def work_week(world, worker, workshop, hours_a_day) -> list[ProductionRecord]:
    """A record on each day of ``PERIOD`` (Monday to Friday)."""
    return [
        work(world, worker, workshop, hours_a_day, day=MONDAY + datetime.timedelta(days=n))
        for n in range(5)
    ]


def train(world: TrainingWorld, worker: Worker, hours, *, day=MONDAY) -> TrainingAttendance:
    enrolment = world.enrolments[worker.pk]
    return TrainingAttendance.objects.create(
        enrolment=enrolment,
        workshop=next(iter(world.workshops.values())),
        day=day,
        hours=Decimal(hours),
        trainer="A. Trainer",
        recorded_by=world.supervisor,
    )
