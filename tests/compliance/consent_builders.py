"""The smallest world the consent, staff-benefit, safety and grievance rules need, on the
production world (``tests.workshops.production_builders``): a partner with a contract for the
time-only crew workshop from 2026-01-01, its shifts in March 2026, work consents with their
signed documents, posted pay lines, compliance thresholds, inspections, insurance and
grievances."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.rules.context import Scope
from compliance.rules.engine import run_check
from core.private_files import PrivateFile, store_private_file
from core.uploads import PDF
from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import World, build_worker_in, build_world
from wages.models import Chain, PayRun, PayRunLine
from workshops.models import (
    Consent,
    Contract,
    DeductionCategory,
    Partner,
    ProductionRecord,
    Worker,
    Workshop,
)

D = datetime.date
MARCH = (D(2026, 3, 1), D(2026, 3, 31))
AWARDED = D(2025, 12, 1)  # contract_fields' award day
THRESHOLDS_FROM = D(2025, 1, 1)
SIGNED_PDF = b"%PDF-1.7\nsigned\n%%EOF\n"


@dataclass
class PartnerWorld:
    world: World
    partner: Partner
    contract: Contract

    @property
    def workshop(self) -> Workshop:
        """The partner's workshop: the time-only crew."""
        return self.world.crew

    @property
    def workers(self) -> list[Worker]:
        return self.world.workers

    @property
    def supervisor(self) -> User:
        return self.world.supervisor


def build_partner_world(*, workers: int = 2) -> PartnerWorld:
    """The production world with a partner (acme) under contract for the crew from 2026-01-01;
    every worker assigned to the crew."""
    world = build_world(workers=2)
    for n in range(2, workers):
        world.workers.append(build_worker_in([world.workshop, world.crew], f"W-{n:06d}"))
    partner = build_partner("acme")
    contract = Contract.objects.create(workshop=world.crew, **contract_fields(partner))
    return PartnerWorld(world=world, partner=partner, contract=contract)


def shift(pw: PartnerWorld, worker: Worker, day: datetime.date, *, legacy=False, workshop=None):
    """A day's time-only work in the crew (or ``workshop``), supervised unless legacy."""
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop or pw.workshop,
        day=day,
        hours=Decimal(6),
        supervisor=None if legacy else pw.supervisor,
        legacy=legacy,
    )


def signed_document(name="consent.pdf") -> PrivateFile:
    return store_private_file(
        SimpleUploadedFile(name, SIGNED_PDF), purpose="consent", allowed=(PDF,)
    )


def category(code: str) -> DeductionCategory:
    return DeductionCategory.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def work_consent(
    worker, partner, signed_on, *, codes=(), document=True, withdrawn_on=None
) -> Consent:
    consent = Consent.objects.create(
        worker=worker,
        kind=Consent.Kind.WORK,
        partner=partner,
        signed_on=signed_on,
        document=signed_document() if document else None,
        withdrawn_on=withdrawn_on,
    )
    consent.deduction_categories.set([category(code) for code in codes])
    return consent


def posted_lines(
    pw: PartnerWorld, deductions: dict, *, period=MARCH, status=PayRun.Status.POSTED
) -> PayRun:
    """A run of ``period`` for the prison with a line for each worker of ``deductions`` (a worker
    to its line's deductions), then posted (lines of a posted run cannot be added on PostgreSQL,
    and runs of a prison do not overlap) unless another ``status`` is asked for."""
    reference = f"PR-{period[0].isoformat()}"
    run = PayRun.objects.create(
        reference=reference,
        prison=pw.workshop.prison,
        period_start=period[0],
        period_end=period[1],
        status=PayRun.Status.APPROVED,
        currency="EUR",
        created_by=pw.supervisor,
        approved_hash="a" * 64,
    )
    for worker, taken in deductions.items():
        PayRunLine.objects.create(
            run=run,
            worker=worker,
            gross=Decimal("100.00"),
            own_spending=Decimal("50.00"),
            deductions=taken,
        )
    chain = Chain.objects.create(name=f"payrun:{reference}") if status == "posted" else None
    PayRun.objects.filter(pk=run.pk).update(status=status, chain=chain)
    run.refresh_from_db()
    return run


def thresholds(effective_from=THRESHOLDS_FROM, **fields) -> ComplianceThresholds:
    return ComplianceThresholds.objects.create(effective_from=effective_from, **fields)


def inspection(pw, inspected_on, *, result="passed", workshop=None, partner=True):
    return SafetyInspection.objects.create(
        partner=pw.partner if partner else None,
        workshop=workshop,
        inspected_on=inspected_on,
        inspector="Labour inspectorate",
        result=result,
        findings="Guards missing" if result == "failed" else "",
    )


def insurance(pw, start, end, *, workshop=None) -> InsuranceCover:
    return InsuranceCover.objects.create(
        partner=pw.partner,
        workshop=workshop,
        insurer="Mutual",
        policy_number=f"P-{start.isoformat()}",
        start=start,
        end=end,
    )


def declaration(user, partner, declared_on, interest="") -> InterestDeclaration:
    return InterestDeclaration.objects.create(
        staff=user,
        partner=partner,
        has_interest=bool(interest),
        interest=interest,
        declared_on=declared_on,
    )


def grievance(worker, received_on, *, partner=None, workshop=None, answered_on=None):
    return Grievance.objects.create(
        worker=worker,
        partner=partner,
        workshop=workshop,
        received_on=received_on,
        subject="Late pay",
        category=Grievance.Category.PAY,
        answered_on=answered_on,
        outcome="Paid" if answered_on else "",
    )


def check(code: str, target, period=MARCH, kind: str | None = None):
    """The findings of the rule ``code`` over ``target`` (a partner, workshop or prison)."""
    kind = kind or type(target).__name__.lower()
    return run_check(Scope(kind, target), *period, codes=[code])


def cites(*instances) -> list[tuple[str, int, str]]:
    """Evidence rows as (model, id, url) for comparing with a finding's evidence."""
    from compliance.rules.evidence import evidence

    return [(item.model, item.id, item.url) for item in evidence(*instances)]


def cited(finding) -> list[tuple[str, int, str]]:
    return [(item.model, item.id, item.url) for item in finding.evidence]
