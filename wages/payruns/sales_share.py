"""The makers' share of sales (DESIGN.md, "Pay rates"; issue 22): what a pay run adds to the
lines of the workers who made a workshop's products.

**Net revenue** of a workshop in a run's period is read from the ledger, never from the shop: the
entries of the workshop's income account ``sales:workshop:<id>`` (``wages.ledger.accounts``),
which the shop credits with each invoice's goods, excluding tax and shipping, and debits with
each refund of goods, in journals dated (``Journal.on``) from the period's first day to its last.
Net = −(sum of the entries): credits are sales, debits refunds. Runs of one prison never overlap
and a workshop belongs to one prison, so each journal is counted by at most one run; a journal
dated in no posted run's period (a cancelled run's days that no run covered again) is shared by
none. Posting refuses a run whose workshops' net revenue changed since it was calculated (a sale
or refund dated in the period posted later), so what was shared is what the ledger holds.

**Carry.** ``available = net − shortfall carried in`` (the ``carried_out`` of the workshop's
latest posted run before this one). When ``available ≤ 0`` the period pays nothing and carries
``−available`` forward; otherwise nothing is carried and the makers are paid the policy's
``sales_share`` % of ``available``, rounded half up to the cent (``core.money``'s one rule).
A workshop whose period had no makers pays nothing and carries only a shortfall.

**Makers** are the workers with production records of the workshop with a SKU (goods for the
shop), dated in the period, among the records the run holds. The share is split **by their hours**
with ``core.money.allocate``: each gets the share × hours ÷ total hours rounded down to the cent,
and the cents left over go one each to the largest remainders; equal remainders go to the lower
worker id (the worker registered first), so the split is the same however often it is run.

    sales_shares(run, policy, records) -> (shares by worker id, unsaved SalesShareCarry rows)
    revenue_changed(run) -> [workshop names whose net revenue differs from the run's rows]
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from moneyed import Money

from core.money import allocate
from wages.ledger.accounts import sales_code
from wages.models import Entry, PayRun, SalesShareCarry
from wages.payruns.amounts import ZERO, cents
from workshops.models import Workshop

HUNDRED = Decimal(100)


def net_revenue(run: PayRun, workshop_ids) -> dict[int, Decimal]:
    """Each workshop's net sales in the run's period (module docstring), one query."""
    codes = {sales_code(pk): pk for pk in workshop_ids}
    rows = (
        Entry.objects.filter(
            account__code__in=codes,
            account__currency=run.currency,
            journal__on__gte=run.period_start,
            journal__on__lte=run.period_end,
        )
        .values_list("account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    net = dict.fromkeys(codes.values(), ZERO)
    for code, total in rows:
        net[codes[code]] = -total
    return net


def carried_in(run: PayRun) -> dict[int, Decimal]:
    """The shortfall each workshop of the run's prison carries from its latest posted run."""
    earlier = (
        SalesShareCarry.objects.filter(
            run__prison_id=run.prison_id,
            run__status=PayRun.Status.POSTED,
            run__period_end__lt=run.period_start,
        )
        .order_by("run__period_end")
        .values_list("workshop_id", "carried_out")
    )
    return dict(earlier)  # the latest run's row last, so it is the one kept


def makers_hours(run: PayRun, records) -> dict[int, list[tuple[int, Decimal]]]:
    """(worker id, hours) of each workshop's makers in the period, in worker id order."""
    rows = (
        records.filter(
            sku__isnull=False, day__gte=run.period_start, day__lte=run.period_end, hours__gt=0
        )
        .values_list("workshop_id", "worker_id")
        .annotate(hours=Sum("hours"))
        .order_by("workshop_id", "worker_id")
    )
    hours = defaultdict(list)
    for workshop_id, worker_id, worked in rows:
        hours[workshop_id].append((worker_id, Decimal(worked)))
    return hours


def sales_shares(run: PayRun, policy, records) -> tuple[dict[int, Decimal], list]:
    """What each maker is paid from the run's workshops' sales, and one unsaved
    ``SalesShareCarry`` per workshop with sales, a carried shortfall or makers."""
    workshops = list(
        Workshop.objects.filter(prison_id=run.prison_id).order_by("pk").values_list("pk", flat=True)
    )
    net = net_revenue(run, workshops)
    carry = carried_in(run)
    makers = makers_hours(run, records)
    shares: dict[int, Decimal] = defaultdict(Decimal)
    rows = []
    for workshop_id in workshops:
        row = _workshop_share(
            run, policy, workshop_id, net[workshop_id], carry.get(workshop_id, ZERO)
        )
        hours = makers.get(workshop_id, [])
        row.makers, row.hours = len(hours), sum((h for _w, h in hours), ZERO)
        if not hours:
            row.shared = row.share = ZERO
        elif row.share:
            parts = allocate(Money(row.share, run.currency), [h for _w, h in hours])
            for (worker_id, _hours), part in zip(hours, parts, strict=True):
                shares[worker_id] += part.amount
        if row.net_revenue or row.carried_in or row.makers:
            rows.append(row)
    return {worker: amount for worker, amount in shares.items() if amount}, rows


def _workshop_share(run, policy, workshop_id, net: Decimal, carried: Decimal) -> SalesShareCarry:
    available = net - carried
    if available <= 0:
        return SalesShareCarry(
            run=run,
            workshop_id=workshop_id,
            net_revenue=net,
            carried_in=carried,
            carried_out=-available,
        )
    return SalesShareCarry(
        run=run,
        workshop_id=workshop_id,
        net_revenue=net,
        carried_in=carried,
        shared=available,
        share=cents(available * policy.sales_share / HUNDRED, run.currency),
    )


def revenue_changed(run: PayRun) -> list[str]:
    """Names of the run's workshops whose net revenue in the period is not what the run read
    when it was calculated: posting refuses such a run."""
    kept = dict(SalesShareCarry.objects.filter(run=run).values_list("workshop_id", "net_revenue"))
    workshops = dict(Workshop.objects.filter(prison_id=run.prison_id).values_list("pk", "name"))
    now = net_revenue(run, workshops)
    return sorted(str(workshops[pk]) for pk, amount in now.items() if amount != kept.get(pk, ZERO))
