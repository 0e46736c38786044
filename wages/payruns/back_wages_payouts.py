"""Back wages paid out once received (issue 22; PIECP, Mandela Rule 103): what a pay run adds to
the lines of the workers owed back wages whose payer has paid.

**Owed.** A worker is owed, by each payer (``own`` or ``partner:<id>``), the sum of the posted
lines' ``back_wages_by_payer[payer]`` less the sum of the posted lines'
``back_wages_paid_by_payer[payer]``: the run being calculated owes its own shortfalls only once
posted, so they are paid out by a later run.

**Pool.** A payer's pool is what its ``BackWagesReceipt``s (in the run's currency) hold less what
posted runs have paid out of them, rounded down to the cent. When the pool covers what the run's
workers are owed by that payer, each is paid in full; when it does not, the pool is split **pro
rata to what each is owed**, by ``core.money.allocate`` (largest remainder; equal remainders to the
lower worker id). No one is paid more than owed: a part is at most the exact share rounded up to
the cent, and the exact share is below what is owed. The money moves from the worker's
back-wages-owed account to their own spending (``wages.payruns.posting``).

**Who.** The workers with a line in the run, and those whose current stay (not ended) is in the
run's prison, though they did not work in the period. A released worker (no open stay) is left to
the release settlement, which pays their balances out; their back wages wait for it.

**Once.** Runs of different prisons may be calculated with the same pool. Posting locks the
receipts of the payers the run pays out (``hold_receipts``, rows in pk order) and refuses when
posted runs have since paid out of the pool, or paid the same worker, more than leaves room for
this run: the second of two runs posted at once waits for the first, then is refused, in words
saying to recalculate it.
"""

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _
from moneyed import Money

from core.money import allocate, minor_unit
from wages.models import BackWagesReceipt, PayRun, PayRunLine, ReleaseSettlement
from wages.payruns.amounts import ZERO, money_text
from workshops.models import Stay


def owed_by_payer(worker_ids=None) -> dict[int, dict[str, Decimal]]:
    """What each worker (of ``worker_ids``, or all) is still owed, by payer, from posted runs:
    only amounts above zero."""
    lines = PayRunLine.objects.filter(run__status=PayRun.Status.POSTED).exclude(
        back_wages_by_payer={}, back_wages_paid_by_payer={}
    )
    if worker_ids is not None:
        lines = lines.filter(worker_id__in=worker_ids)
    owed = defaultdict(lambda: defaultdict(Decimal))
    rows = lines.values_list("worker_id", "back_wages_by_payer", "back_wages_paid_by_payer")
    for worker_id, earned, paid in rows.iterator(chunk_size=2_000):
        for payer, amount in earned.items():
            owed[worker_id][payer] += Decimal(amount)
        for payer, amount in paid.items():
            owed[worker_id][payer] -= Decimal(amount)
    settlements = ReleaseSettlement.objects.exclude(back_wages_by_payer={})
    if worker_ids is not None:
        settlements = settlements.filter(worker_id__in=worker_ids)
    for worker_id, paid in settlements.values_list("worker_id", "back_wages_by_payer"):
        for payer, amount in paid.items():  # paid out at release (``wages.releases``)
            owed[worker_id][payer] -= Decimal(amount)
    return {
        worker: {payer: amount for payer, amount in sorted(payers.items()) if amount > 0}
        for worker, payers in owed.items()
        if any(amount > 0 for amount in payers.values())
    }


def pools(currency: str, payers=None) -> dict[str, Decimal]:
    """What each payer's receipts hold that posted runs have not paid out, to the cent below."""
    receipts = BackWagesReceipt.objects.filter(currency=currency)
    if payers is not None:
        receipts = receipts.filter(payer__in=payers)
    held = defaultdict(Decimal)
    for payer, amount in receipts.values_list("payer").annotate(total=Sum("amount")).order_by():
        held[payer] += amount
    for payer, amount in paid_out(currency).items():
        held[payer] -= amount
    unit = minor_unit(currency)
    return {p: a.quantize(unit, rounding=ROUND_DOWN) for p, a in held.items() if a > 0}


def paid_out(currency: str) -> dict[str, Decimal]:
    """What posted runs and release payouts in ``currency`` have paid out, by payer: both pay
    out of the same receipts (``wages.releases.back_wages``)."""
    paid = defaultdict(Decimal)
    rows = (
        PayRunLine.objects.filter(run__status=PayRun.Status.POSTED, run__currency=currency)
        .exclude(back_wages_paid_by_payer={})
        .values_list("back_wages_paid_by_payer", flat=True)
    )
    for by_payer in rows.iterator(chunk_size=2_000):
        for payer, amount in by_payer.items():
            paid[payer] += Decimal(amount)
    released = ReleaseSettlement.objects.filter(currency=currency).exclude(back_wages_by_payer={})
    for by_payer in released.values_list("back_wages_by_payer", flat=True):
        for payer, amount in by_payer.items():
            paid[payer] += Decimal(amount)
    return paid


def payouts(run: PayRun, worker_ids) -> dict[int, dict[str, Decimal]]:
    """What the run pays out to each worker, by payer (module docstring). ``worker_ids``: the
    workers with a line in the run."""
    in_prison = Stay.objects.filter(prison_id=run.prison_id, end__isnull=True).values_list(
        "worker_id", flat=True
    )
    owed = owed_by_payer()
    wanted = set(worker_ids) | set(in_prison)
    owed = {worker: payers for worker, payers in owed.items() if worker in wanted}
    pool = pools(run.currency, {payer for payers in owed.values() for payer in payers})
    paid = defaultdict(dict)
    for payer in sorted(pool):
        workers = sorted(worker for worker, payers in owed.items() if payer in payers)
        if not workers:
            continue
        amounts = [owed[worker][payer] for worker in workers]
        if sum(amounts) > pool[payer]:
            amounts = [m.amount for m in allocate(Money(pool[payer], run.currency), amounts)]
        for worker, amount in zip(workers, amounts, strict=True):
            if amount:
                paid[worker][payer] = amount
    return dict(paid)


def hold_receipts(run: PayRun) -> None:
    """At posting: lock the receipts of the payers the run pays out of, then refuse when what
    posted runs have paid since leaves less than the run pays (module docstring, "Once")."""
    lines = list(
        PayRunLine.objects.filter(run=run)
        .exclude(back_wages_paid_by_payer={})
        .values_list("worker_id", "back_wages_paid_by_payer")
    )
    to_pay = defaultdict(Decimal)
    for _worker, by_payer in lines:
        for payer, amount in by_payer.items():
            to_pay[payer] += Decimal(amount)
    if not to_pay:
        return
    list(
        BackWagesReceipt.objects.select_for_update()
        .filter(payer__in=to_pay, currency=run.currency)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pool = pools(run.currency, to_pay)
    for payer, amount in sorted(to_pay.items()):
        if amount > pool.get(payer, ZERO):
            raise _refused(run, payer, amount, pool.get(payer, ZERO))
    owed = owed_by_payer([worker for worker, _by_payer in lines])
    for worker, by_payer in lines:
        for payer, amount in by_payer.items():
            if Decimal(amount) > owed.get(worker, {}).get(payer, ZERO):
                raise _refused(run, payer, amount, owed.get(worker, {}).get(payer, ZERO))


def _refused(run: PayRun, payer: str, amount, left) -> ValidationError:
    return ValidationError(
        _(
            "Pay run %(reference)s pays out %(amount)s of back wages owed by %(payer)s, but only "
            "%(left)s is left to pay since other runs were posted: cancel it and calculate a new "
            "run."
        )
        % {
            "reference": run.reference,
            "amount": money_text(Decimal(amount), run.currency),
            "payer": payer,
            "left": money_text(left, run.currency),
        }
    )
