"""The smallest world production tests need: a product workshop with SKUs, a time-only workshop,
a supervisor for each, workers held, cleared and assigned, and a working-time policy."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from brand.roles import sync_roles
from tests.workshops.builders import D, build_workshop
from workshops.models import (
    SKU,
    Assignment,
    FitnessClearance,
    Stay,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)

SINCE = D(2026, 1, 1)
MONDAY = D(2026, 11, 2)  # a past Monday: a working week from here is in the past
TODAY = D(2026, 11, 26)


@dataclass
class World:
    workshop: Workshop  # makes products: SKU-A, SKU-B
    other: Workshop  # makes products: SKU-O, supervised by someone else
    crew: Workshop  # time-only work
    supervisor: User  # supervises workshop and crew
    other_supervisor: User  # supervises other
    skus: list[SKU]
    workers: list[Worker]  # assigned to workshop (and the first two to crew as well)
    policy: WorkingTimePolicy


def build_supervisor(username: str) -> User:
    user = User.objects.create_user(username, password="x")
    user.groups.add(sync_roles()["supervisor"])
    return user


def build_worker_in(workshops, reference: str, *, cleared=True, since=SINCE) -> Worker:
    worker = Worker.objects.create(
        reference=reference, legal_name=f"Legal {reference}", prison_number=f"P{reference}"
    )
    Stay.objects.create(worker=worker, prison=workshops[0].prison, start=since)
    if cleared:
        FitnessClearance.objects.create(worker=worker, cleared_on=since)
    for workshop in workshops:
        Assignment.objects.create(worker=worker, workshop=workshop, start=since)
    return worker


def build_world(*, workers: int = 3, skus: int = 2) -> World:
    policy = WorkingTimePolicy.objects.create(
        effective_from=D(2025, 1, 1),
        max_hours_per_day=Decimal(8),
        max_hours_per_week=Decimal(40),
        rest_days_per_week=1,
        fitness_clearance_required=True,
        consent_notice_days=7,
    )
    workshop = build_workshop("tailoring-north")
    other = build_workshop("bakery-north", prison=workshop.prison)
    crew = build_workshop("crew-north", prison=workshop.prison)
    crew.makes_products = False
    crew.save()
    made = [
        SKU.objects.create(code=f"SKU-{chr(65 + n)}", name=f"Product {n}", workshop=workshop)
        for n in range(skus)
    ]
    SKU.objects.create(code="SKU-O", name="Other product", workshop=other)
    supervisor = build_supervisor("sup")
    other_supervisor = build_supervisor("sup-other")
    for place, user in ((workshop, supervisor), (crew, supervisor), (other, other_supervisor)):
        WorkshopSupervisor.objects.create(workshop=place, user=user, start=SINCE)
    people = [
        build_worker_in([workshop, crew] if n < 2 else [workshop], f"W-{n:06d}")
        for n in range(workers)
    ]
    return World(
        workshop=workshop,
        other=other,
        crew=crew,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        skus=made,
        workers=people,
        policy=policy,
    )


def csv_file(*rows: str) -> bytes:
    header = (
        "date,worker,workshop,product_sku,hours,pieces,rejects,supervisor,supervisor_note,legacy"
    )
    return ("\n".join([header, *rows]) + "\n").encode()


def day(n: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=n)
