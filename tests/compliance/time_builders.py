"""Builders for the working-time and supervision rules' tests (HOURS_DAY, HOURS_WEEK, REST_DAY,
FITNESS, STAFF_SUPERVISION): the production world of ``tests.workshops.production_builders``
(policy 8 h a day, 40 h a week, 1 rest day in 7, fitness required), records and attendance
written directly, as history imported before a rule changed may hold them."""

import datetime
from decimal import Decimal

from compliance.rules import RULES
from compliance.rules.context import CheckContext, Scope
from compliance.rules.evidence import inspect_url
from tests.workshops.builders import CONTRACT_START, D, build_partner, contract_fields
from workshops.models import (
    Contract,
    Course,
    Enrolment,
    ProductionRecord,
    TrainingAttendance,
    WorkingTimePolicy,
)

MONDAY = D(2026, 3, 2)  # a past Monday; the checks run over March 2026
START, END = D(2026, 3, 1), D(2026, 3, 31)


def day(n: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=n)


def record(worker, workshop, on, hours, *, supervisor=None, note="", breaches="", legacy=False):
    """A time record written directly (no working-time check): history as imported."""
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=on,
        hours=Decimal(hours),
        supervisor=supervisor,
        supervisor_note=note,
        breaches=breaches,
        legacy=legacy,
    )


def attend(worker, workshop, on, hours, *, recorded_by, note="", breaches=""):
    """A training session of ``worker`` (enrolled on the workshop's trade course)."""
    course, _ = Course.objects.get_or_create(
        code=f"{workshop.trade.slug}-course",
        defaults={
            "trade": workshop.trade,
            "qualification": "Level 1",
            "level": "EQF level 2",
            "awarding_body": "National Vocational Authority",
            "required_hours": Decimal(100),
            "assessment": "Practical test",
        },
    )
    enrolment, _ = Enrolment.objects.get_or_create(
        worker=worker, course=course, defaults={"enrolled_on": D(2026, 1, 1)}
    )
    return TrainingAttendance.objects.create(
        enrolment=enrolment,
        workshop=workshop,
        day=on,
        hours=Decimal(hours),
        trainer="Trainer",
        note=note,
        breaches=breaches,
        recorded_by=recorded_by,
    )


def partner_contract(workshop, slug="acme", *, start=CONTRACT_START, end=None):
    partner = build_partner(slug)
    contract = Contract.objects.create(
        workshop=workshop, **contract_fields(partner, reference=f"C-{slug}", start=start, end=end)
    )
    return partner, contract


def check(code, scope, start=START, end=END):
    return list(RULES[code].check(CheckContext(scope, start, end)))


def policy_from(first_day):
    """The world's working-time policy, taking effect only on ``first_day``."""
    WorkingTimePolicy.objects.update(effective_from=first_day)


def workshop_scope(workshop):
    return Scope("workshop", workshop)


def cites(*instances):
    """The evidence list a finding should carry for ``instances``: (model, id, url)."""
    return [
        (item._meta.label_lower, item.pk, inspect_url(item._meta.label_lower, item.pk))
        for item in instances
    ]


def cited(finding):
    return [(item.model, item.id, item.url) for item in finding.evidence]
