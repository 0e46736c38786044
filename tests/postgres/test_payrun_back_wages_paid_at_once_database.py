"""Back wages paid out once received, on real PostgreSQL connections: two prisons' runs, each
calculated with the whole of the administration's pool, posted at once, pay it out once. Posting
locks the payer's receipts (``wages.payruns.back_wages_payouts.hold_receipts``): the second waits
for the first, sees what it paid, and is refused.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import race
from tests.postgres.payrun_builders import build_payroll, build_south, posted_run
from tests.workshops.production_builders import day
from wages.ledger import verify_ledger
from wages.models import PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run
from wages.payruns.back_wages_payouts import pools
from wages.payruns.back_wages_receipts import record_back_wages_receipt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def locales():
    ensure_wagtail_roots()


def _week(payroll, prison, first, last):
    run = create_pay_run(
        prison=prison, period_start=first, period_end=last, user=payroll.calculator
    )
    run = calculate_pay_run(run, user=payroll.calculator)
    if run.status == PayRun.Status.CALCULATED:
        run = approve_pay_run(run, user=payroll.approver)
    return run


def test_two_prisons_runs_posted_at_once_pay_a_receipt_out_once():
    payroll = build_payroll()
    south = build_south(payroll)
    posted_run(payroll)  # North: W-000001 is owed 1.50 by the administration
    post_pay_run(_week(payroll, south, day(0), day(6)), user=payroll.poster)  # W-000101: 1.00
    record_back_wages_receipt(
        payer="own",
        amount=Decimal("2.00"),
        on=day(6),
        source="Budget release",
        key="budget-1",
        user=payroll.calculator,
    )
    # Each run of the next week is calculated with the whole pool of 2.00: 1.50 + 1.00 > 2.00.
    north = _week(payroll, payroll.prison, day(7), day(13))
    south_run = _week(payroll, south, day(7), day(13))
    assert sorted(
        PayRunLine.objects.filter(back_wages_paid__gt=0).values_list(
            "worker__reference", "back_wages_paid"
        )
    ) == [("W-000001", Decimal("1.500")), ("W-000101", Decimal("1.000"))]

    outcomes = race(
        lambda: post_pay_run(north, user=payroll.poster),
        lambda: post_pay_run(south_run, user=payroll.approver),
    )

    posted = [o for o in outcomes if isinstance(o, PayRun)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(posted), len(refused)) == (1, 1)
    assert "only" in str(refused[0]) and "calculate a new run" in str(refused[0])
    paid = sum(
        PayRunLine.objects.filter(run__status=PayRun.Status.POSTED).values_list(
            "back_wages_paid", flat=True
        )
    )
    assert paid in (Decimal("1.50"), Decimal("1.00"))
    assert pools("EUR") == {"own": Decimal("2.00") - paid}
    assert verify_ledger() == []
