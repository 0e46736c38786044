"""The worked example of the pay-run tests and the small checks they share.

``work_week_1`` pays two workers for the week of 2 November 2026 under the policy of
``tests.wages.payrun_builders``: minimum wage 5.00 with a floor of 45 % (2.25 an hour), training at
1.00 an hour, family 10 %, release savings 20 %, victims' fund 5 %, deductions capped at 80 % and
20 % protected for own spending.
"""

from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from tests.wages.payrun_builders import D, attend, draft, everything, record
from wages.models import PayRun, PayRunLine
from wages.payruns import approve_pay_run, calculate_pay_run
from workshops.production import adjust_production

RUN_1 = "PR-north-prison-2026-11-02"
RUN_2 = "PR-north-prison-2026-11-09"


def refusal(call, error=ValidationError) -> list[str]:
    """The messages ``call`` is refused with, having checked that it changed nothing."""
    before = everything()
    with pytest.raises(error) as refused:
        call()
    assert everything() == before
    if isinstance(refused.value, ValidationError):
        return refused.value.messages
    return [str(refused.value)]


def work_week_1(pay) -> SimpleNamespace:
    """The worked example's records: W-000000 in tailoring, for the partner and in training;
    W-000001 in the crew (a day over the limit) and for the partner."""
    first, second = pay.workers
    return SimpleNamespace(
        tailoring=record(pay, first, pay.tailoring, D(2026, 11, 2), "6", 40),
        tailoring_b=record(
            pay, first, pay.tailoring, D(2026, 11, 3), "6", 21, sku=pay.world.skus[1]
        ),
        bakery=record(pay, first, pay.bakery, D(2026, 11, 4), "5", 30),
        training=attend(pay, first, D(2026, 11, 5), "3"),
        crew=record(
            pay,
            second,
            pay.crew,
            D(2026, 11, 2),
            "9",
            breaches="HOURS_DAY",
            supervisor_note="Delivery deadline",
        ),
        bakery_b=record(pay, second, pay.bakery, D(2026, 11, 3), "4", 10),
    )


def line_values(line: PayRunLine) -> dict:
    return {
        "hours": line.hours,
        "pieces": line.pieces,
        "training_hours": line.training_hours,
        "earned": line.earned,
        "adjustments": line.adjustments,
        "gross": line.gross,
        "payers": line.payers,
        "deductions": line.deductions,
        "own_spending": line.own_spending,
        "back_wages": line.back_wages,
        "back_wages_by_payer": line.back_wages_by_payer,
        "settles": line.settles,
        "warnings": line.warnings,
    }


def run_log(run) -> list[tuple[str, str]]:
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PayRun), object_id=str(run.pk)
        )
        .order_by("pk")
        .values_list("action", "user__username")
    )


def adjust(pay, record, *, hours, pieces):
    return adjust_production(
        record=record,
        hours=hours,
        pieces=pieces,
        rejects=0,
        reason="Counted again",
        user=pay.world.supervisor,
    )


def _run_in(pay, status: str) -> PayRun | None:
    work_week_1(pay)
    if status == "none":
        return None
    run = draft(pay)
    if status in ("calculated", "approved"):
        run = calculate_pay_run(run, user=pay.calculator)
    if status == "approved":
        run = approve_pay_run(run, user=pay.approver)
    return run
