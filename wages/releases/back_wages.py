"""Back wages at release (PIECP; ``wages.models.back_wages``): a released worker is paid the back
wages owed to them only as far as their payer has paid (its ``BackWagesReceipt``\\s), exactly as
a pay run pays them out; what the payer has not paid stays owed, in the worker's back-wages
account, and the settlement says so until ``release_payout_back_wages`` pays it.

What a payer's receipts still hold is what they received, less what pay runs (calculated, approved
or posted: a calculated run has already claimed it) and release payouts paid out of them:

    owed_by_payer(worker, settlement) -> {payer: Decimal}   posted runs' back wages, less paid out
    available(payers, *, lock) -> {payer: Decimal}          receipts, less paid out by anyone
    covered(owed, available) -> {payer: Decimal}            what may be paid now
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from wages.models import BackWagesReceipt, PayRun, PayRunLine, ReleaseSettlement

ZERO = Decimal(0)
CLAIMING = (PayRun.Status.CALCULATED, PayRun.Status.APPROVED, PayRun.Status.POSTED)


def _add(into: dict, amounts: dict, sign: int = 1) -> None:
    for payer, amount in (amounts or {}).items():
        into[payer] += sign * Decimal(amount)


def owed_by_payer(worker, settlement: ReleaseSettlement | None = None) -> dict[str, Decimal]:
    owed: dict[str, Decimal] = defaultdict(Decimal)
    lines = PayRunLine.objects.filter(worker=worker, run__status=PayRun.Status.POSTED)
    for by_payer, paid in lines.values_list("back_wages_by_payer", "back_wages_paid_by_payer"):
        _add(owed, by_payer)
        _add(owed, paid, -1)
    if settlement is not None:
        _add(owed, settlement.back_wages_by_payer, -1)
    return {payer: amount for payer, amount in sorted(owed.items()) if amount > 0}


def available(payers, *, lock: bool = False) -> dict[str, Decimal]:
    """What the payers' receipts still hold. ``lock``: take the receipts' row locks (in pk order)
    first, so two payouts from one payer's money take turns."""
    payers = sorted(payers)
    receipts = BackWagesReceipt.objects.filter(payer__in=payers)
    if lock:
        list(receipts.select_for_update().order_by("pk").values_list("pk", flat=True))
    held: dict[str, Decimal] = defaultdict(Decimal)
    for payer, total in receipts.values_list("payer").annotate(total=Sum("amount")):
        held[payer] += total
    paid_lines = PayRunLine.objects.filter(run__status__in=CLAIMING, back_wages_paid__gt=0)
    for paid in paid_lines.values_list("back_wages_paid_by_payer", flat=True):
        _add(held, paid, -1)
    for paid in ReleaseSettlement.objects.exclude(back_wages_by_payer={}).values_list(
        "back_wages_by_payer", flat=True
    ):
        _add(held, paid, -1)
    return {payer: max(held[payer], ZERO) for payer in payers}


def covered(owed: dict, held: dict) -> dict[str, Decimal]:
    return {
        payer: min(amount, held.get(payer, ZERO))
        for payer, amount in owed.items()
        if min(amount, held.get(payer, ZERO)) > 0
    }
