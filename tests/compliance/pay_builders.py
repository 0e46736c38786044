"""The world of the pay rules' tests, on the pay-run world (``tests.wages.payrun_builders``):

- deduction categories with their uses (own spending, family, release savings, the victims'
  fund held for others, board kept), and a pay policy: minimum wage 5.00, floor 45 % (2.25 an
  hour), cap on deductions 80 %; family 10 %, release savings 20 %, victims' fund 5 %;
- tailoring, the administration's own work, at ``own_hourly`` an hour (no piece rate);
- the bakery under the partner's contract C-1 at ``contract_hourly`` an hour, charging 9.00 an
  hour for labour; the market wage of its trade (Bakery) in the North region is 7.00 from June
  2026.

``work_week_1`` gives each worker 8 hours in tailoring on 2 November and 8 in the bakery on the
3rd, and posts week 1 (2–8 November 2026). ``posted_row_run`` writes a posted run and its lines
directly, for lines no calculation would make (deductions above the cap, no own spending).
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money

from compliance.models import ComplianceThresholds
from compliance.rules import RULES
from compliance.rules.context import CheckContext, Scope
from compliance.rules.evidence import inspect_url
from tests.wages.payrun_builders import (
    EUR,
    WEEK_1,
    D,
    build_benchmark,
    build_contract,
    build_pay_world,
    build_policy,
    build_rate,
    posted,
    record,
)
from wages.ledger import open_chain
from wages.models import LabourInvoice, PayRun, PayRunLine
from workshops.models import Consent, DeductionCategory

NOVEMBER = (D(2026, 11, 1), D(2026, 11, 30))
JANUARY_1 = D(2026, 1, 1)
CATEGORIES = (
    # code, credited to the worker, use
    ("own-spending", True, "kept"),
    ("family", True, "family"),
    ("release-savings", True, "release_savings"),
    ("victims-fund", False, "victims_fund"),
    ("board", False, "kept"),
)
ALLOCATIONS = (("family", "10", 1), ("release-savings", "20", 2), ("victims-fund", "5", 3))


def build_categories(uses: bool = True) -> dict[str, DeductionCategory]:
    """The categories; without ``uses``, none is marked family, release savings or victims'
    fund (a register that never said what its categories are for)."""
    return {
        code: DeductionCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": code.replace("-", " ").capitalize(),
                "credited_to_worker": credited,
                "use": use if uses else "kept",
            },
        )[0]
        for code, credited, use in CATEGORIES
    }


def build_rules_world(
    *,
    workers: int = 2,
    own_hourly: str = "2.25",
    contract_hourly: str = "7.00",
    benchmark: str | None = "7.00",
    allocations=ALLOCATIONS,
    policy: bool = True,
    **policy_fields,
):
    pay = build_pay_world(priced=False, workers=workers)
    pay.categories = build_categories()
    build_rate(workshop=pay.tailoring, hourly=own_hourly)
    pay.contract = build_contract(pay, pay.bakery, hourly=contract_hourly, piece=None)
    if benchmark is not None:
        pay.benchmark = build_benchmark(
            pay.bakery.trade, pay.prison.region, benchmark, D(2026, 6, 1)
        )
    if policy:
        pay.policy = build_policy(allocations=allocations, **policy_fields)
    return pay


def work_week_1(pay, *, own_hours="8", bakery_hours="8", post=True):
    """Each worker's day in tailoring and day in the bakery; week 1 posted (the run)."""
    pay.records = {}
    for worker in pay.workers:
        pay.records[worker.pk] = [
            record(pay, worker, pay.tailoring, D(2026, 11, 2), own_hours),
            record(pay, worker, pay.bakery, D(2026, 11, 3), bakery_hours),
        ]
    pay.run = posted(pay) if post else None
    return pay.run


def posted_row_run(pay, lines, *, policy=None, period=WEEK_1, reference="PR-rows") -> PayRun:
    """A posted run written as rows (no calculation), with ``lines``: dicts of PayRunLine
    fields, each with its ``worker``; amounts as text."""
    run = PayRun.objects.create(
        reference=reference,
        prison=pay.prison,
        period_start=period[0],
        period_end=period[1],
        status=PayRun.Status.APPROVED,  # posted once its lines are in (PostgreSQL's triggers)
        currency=EUR,
        policy=policy if policy is not None else pay.policy,
        created_by=pay.calculator,
        calculated_by=pay.calculator,
        approved_by=pay.approver,
        approved_hash="x" * 64,
        chain=open_chain(f"payrun:{reference}"),
    )
    for fields in lines:
        fields = dict(fields)
        gross = Decimal(fields.pop("gross"))
        deductions = fields.pop("deductions", {})
        own = fields.pop("own_spending", gross - sum(map(Decimal, deductions.values()), Decimal(0)))
        PayRunLine.objects.create(
            run=run,
            gross=gross,
            earned=gross,
            deductions=deductions,
            own_spending=Decimal(own),
            payers=fields.pop("payers", {"own": f"{gross:.2f}"}),
            **fields,
        )
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.POSTED)
    run.refresh_from_db()
    return run


def money(amount: str) -> Money:
    return Money(Decimal(amount), EUR)


def check(code: str, scope: Scope, period=NOVEMBER):
    """The findings of rule ``code`` over ``scope`` and ``period``."""
    return list(RULES[code].check(CheckContext(scope, *period)))


def prison_scope(pay) -> Scope:
    return Scope("prison", pay.prison)


def partner_scope(pay) -> Scope:
    return Scope("partner", pay.partner)


def workshop_scope(workshop) -> Scope:
    return Scope("workshop", workshop)


@contextmanager
def counted():
    """The number of queries run inside (``.count`` after the block)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured


def queries(code: str, scope: Scope, period=NOVEMBER) -> int:
    with counted() as captured:
        check(code, scope, period)
    return len(captured.captured_queries)


def url(model: str, pk: int) -> str:
    return inspect_url(model, pk)


def day(n: int) -> datetime.date:
    return D(2026, 11, n)


def work_consent(pay, worker, codes, *, signed_on=JANUARY_1):
    """A signed work consent of ``worker`` for the partner, agreeing to the categories ``codes``."""
    consent = Consent.objects.create(
        worker=worker, kind=Consent.Kind.WORK, partner=pay.partner, signed_on=signed_on
    )
    consent.deduction_categories.set([pay.categories[code] for code in codes])
    return consent


def consent_everyone(pay, codes=("family", "release-savings", "victims-fund")):
    return [work_consent(pay, worker, codes) for worker in pay.workers]


def build_thresholds(*, minimum="5", maximum="20", effective_from=JANUARY_1):
    return ComplianceThresholds.objects.create(
        effective_from=effective_from,
        victims_fund_min=Decimal(minimum),
        victims_fund_max=Decimal(maximum),
    )


def labour_invoice_row(pay, labour, *, number="LI-2026-900001", period=NOVEMBER):
    """A labour invoice written as a row, charging ``labour`` for the partner's labour."""
    amount = Decimal(labour)
    return LabourInvoice.objects.create(
        number=number,
        year=2026,
        sequence=int(number[-6:]),
        partner=pay.partner,
        period_start=period[0],
        period_end=period[1],
        issued_on=D(2026, 12, 1),
        due_on=D(2026, 12, 31),
        currency=EUR,
        labour=amount,
        wages_charged=Decimal(0),
        back_wages=Decimal(0),
        total=amount,
        language="en",
        journal_key=f"labour-invoice:{number}",
        issued_by=pay.calculator,
    )


def as_json(findings) -> list[dict]:
    return [finding.as_json() for finding in findings]


def cited(*pairs) -> list[dict]:
    """Evidence as JSON: (model label, pk) pairs, each with its inspect url."""
    return [{"model": model, "id": pk, "url": url(model, pk)} for model, pk in pairs]
