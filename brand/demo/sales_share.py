"""The demo's makers' share of sales and back wages paid out (README, "Pay runs: the makers'
share of sales and back wages paid out").

The shop's orders are seeded after the pay runs, and their invoices are dated on the day the
demo is seeded, after the last month of production. So, once the orders are in, the prison whose
workshops sold the most and whose last month has no run yet gets one run from the day after its
last run to today: its makers of that month share that prison's net sales. Before it is
calculated, the administration's budget releases money for the back wages it owes (a receipt
recorded by a finance officer), so the same run pays them out too. Idempotent: the receipt has
its key, and a prison with a run covering today is left as it is.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from brand.demo.payruns import WAITING_PRISON
from wages.ledger.accounts import sales_code
from wages.models import Entry, PayRun
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run, post_pay_run
from wages.payruns.back_wages_receipts import record_back_wages_receipt
from workshops.models import Prison, Workshop

RECEIPT_KEY = "demo:back-wages:budget-release-1"
RECEIPT_AMOUNT = Decimal("60.00")


def seed_sales_share() -> dict:
    users = get_user_model().objects
    calculator, approver = users.get(username="finance"), users.get(username="finance2")
    today = timezone.localdate()
    prison = _best_selling_prison(today)
    if prison is None:
        return {"sales share runs": 0}
    record_back_wages_receipt(
        payer="own",
        amount=RECEIPT_AMOUNT,
        on=today,
        source="Ministry budget release 2026/11 for back wages",
        key=RECEIPT_KEY,
        user=calculator,
    )
    run = (
        PayRun.objects.filter(prison=prison, period_end__gte=today)
        .exclude(status=PayRun.Status.CANCELLED)
        .first()
    )
    if run is None:
        last = (
            PayRun.objects.filter(prison=prison)
            .exclude(status=PayRun.Status.CANCELLED)
            .order_by("-period_end")
            .values_list("period_end", flat=True)
            .first()
        )
        start = last + datetime.timedelta(days=1) if last else today.replace(day=1)
        run = create_pay_run(prison=prison, period_start=start, period_end=today, user=calculator)
    if run.status == PayRun.Status.DRAFT:
        run = calculate_pay_run(run, user=calculator)
    if run.status == PayRun.Status.CALCULATED:
        run = approve_pay_run(run, user=approver)
    if run.status == PayRun.Status.APPROVED:
        run = post_pay_run(run, user=calculator)
    return {"sales share runs": 1, "share": run.sales_share, "paid out": run.back_wages_paid}


def _best_selling_prison(today: datetime.date) -> Prison | None:
    """The prison (not the one whose last run waits for approval) whose workshops' net sales up
    to today are largest; None when nothing was sold."""
    codes = {sales_code(pk): prison for pk, prison in Workshop.objects.values_list("pk", "prison")}
    rows = (
        Entry.objects.filter(account__code__in=codes, journal__on__lte=today)
        .values_list("account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    net = {}
    for code, total in rows:
        net[codes[code]] = net.get(codes[code], Decimal(0)) - total
    prisons = Prison.objects.exclude(slug=WAITING_PRISON).filter(pk__in=net)
    return max(prisons, key=lambda prison: (net[prison.pk], -prison.pk), default=None)
