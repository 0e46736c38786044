"""Whether every posted pay run still holds exactly what it paid.

Posting makes a run's production lock final and keeps what the lock held then: how many records
and training sessions, and a checksum of which ones (``workshops.production.held_by``). A record
freed from a posted run would be a late record for the next run and paid a second time, under a
new journal key, so no journal check would see it. Operations refuse to free it and, on
PostgreSQL, triggers do; this check finds what someone with the triggers switched off did, and a
run posted before locks became final whose lock was already released. ``verify_ledger`` runs it.

It also checks the money issue 22 adds to runs: a posted run's lines pay exactly the makers' share
its workshops' rows say (``SalesShareCarry.share``); no payer's back wages were paid out beyond
what its receipts hold, and no worker was paid out more back wages than posted runs owed them.
(The journals themselves are checked against the lines' amounts by their keys and hashes.)
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from wages.models import BackWagesReceipt, PayRun, PayRunLine, SalesShareCarry
from workshops.models import ProductionLock
from workshops.production import held_by


def verify_pay_runs() -> list[str]:
    """One line per problem, in the order of the runs' references: a posted run whose lock is
    missing, released or not final, or holds other records or sessions than when it was posted.
    Two queries per posted run, on its lock's rows."""
    posted = PayRun.objects.filter(status=PayRun.Status.POSTED).values("reference")
    locks = ProductionLock.objects.filter(reference__in=posted)
    held = {lock.reference: lock for lock in locks.active()}
    released = set(locks.values_list("reference", flat=True)) - set(held)
    problems = []
    for reference in posted.order_by("reference").values_list("reference", flat=True):
        lock = held.get(reference)
        if lock is None:
            problems.append(
                f"pay run {reference}: its lock was released, so the records it paid may be "
                "paid again"
                if reference in released
                else f"pay run {reference}: the lock on the records it paid is missing"
            )
        elif not lock.is_final:
            problems.append(f"pay run {reference}: its lock is not final")
        else:
            problems += _compare(lock)
    return problems + _shares_unequal() + _paid_beyond_receipts() + _paid_beyond_owed()


def _shares_unequal() -> list[str]:
    posted = {"run__status": PayRun.Status.POSTED}
    lines = dict(
        PayRunLine.objects.filter(**posted, sales_share__gt=0)
        .values_list("run__reference")
        .annotate(total=Sum("sales_share"))
        .order_by()
    )
    rows = dict(
        SalesShareCarry.objects.filter(**posted, share__gt=0)
        .values_list("run__reference")
        .annotate(total=Sum("share"))
        .order_by()
    )
    return [
        f"pay run {reference}: its lines pay {lines.get(reference, 0)} of makers' share, its "
        f"workshops' shares come to {rows.get(reference, 0)}"
        for reference in sorted(set(lines) | set(rows))
        if lines.get(reference, 0) != rows.get(reference, 0)
    ]


def _paid_lines():
    return (
        PayRunLine.objects.filter(run__status=PayRun.Status.POSTED)
        .exclude(back_wages_paid_by_payer={}, back_wages_by_payer={})
        .values_list(
            "worker_id", "run__currency", "back_wages_by_payer", "back_wages_paid_by_payer"
        )
    )


def _paid_beyond_receipts() -> list[str]:
    paid = defaultdict(Decimal)
    for _worker, currency, _owed, by_payer in _paid_lines().iterator(chunk_size=2_000):
        for payer, amount in by_payer.items():
            paid[(payer, currency)] += Decimal(amount)
    held = defaultdict(Decimal)
    for payer, currency, total in (
        BackWagesReceipt.objects.values_list("payer", "currency")
        .annotate(t=Sum("amount"))
        .order_by()
    ):
        held[(payer, currency)] += total
    return [
        f"back wages owed by {payer}: {amount} {currency} paid out, receipts hold "
        f"{held[(payer, currency)]}"
        for (payer, currency), amount in sorted(paid.items())
        if amount > held[(payer, currency)]
    ]


def _paid_beyond_owed() -> list[str]:
    owed = defaultdict(Decimal)
    for worker, _currency, earned, paid in _paid_lines().iterator(chunk_size=2_000):
        for payer, amount in earned.items():
            owed[(worker, payer)] += Decimal(amount)
        for payer, amount in paid.items():
            owed[(worker, payer)] -= Decimal(amount)
    return [
        f"worker {worker}: {-amount} more back wages owed by {payer} paid out than were owed"
        for (worker, payer), amount in sorted(owed.items())
        if amount < 0
    ]


def _compare(lock: ProductionLock) -> list[str]:
    records, attendance, checksum = held_by(lock)
    if (records, attendance) != (lock.held_records, lock.held_attendance):
        return [
            f"pay run {lock.reference}: its lock held {lock.held_records} records and "
            f"{lock.held_attendance} training sessions when the run was posted, and holds "
            f"{records} and {attendance} now"
        ]
    if checksum != lock.held_checksum:
        return [
            f"pay run {lock.reference}: its lock holds other records or training sessions than "
            "when the run was posted"
        ]
    return []
