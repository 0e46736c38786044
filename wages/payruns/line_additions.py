"""What a run adds to its lines once they are calculated: the makers' share of sales
(``wages.payruns.sales_share``) and the back wages paid out once received
(``wages.payruns.back_wages_payouts``). A worker owed one of them who has no line (no work in
the period) gets a line with only that; the run's totals and hash include them, because
``calculate_pay_run`` hashes the lines after this."""

from decimal import Decimal

from wages.models import PayRun, PayRunLine, SalesShareCarry
from wages.payruns.amounts import ZERO, money_text
from wages.payruns.back_wages_payouts import payouts
from wages.payruns.sales_share import sales_shares

BATCH = 2_000


def add_shares_and_payouts(run: PayRun, policy, records) -> tuple[Decimal, Decimal, int]:
    """Fill ``sales_share`` and ``back_wages_paid(_by_payer)`` of the run's lines, keep the
    workshops' ``SalesShareCarry`` rows; returns (share paid, back wages paid out, lines
    added)."""
    SalesShareCarry.objects.filter(run=run).delete()
    shares, carries = sales_shares(run, policy, records)
    SalesShareCarry.objects.bulk_create(carries)
    lines = dict(PayRunLine.objects.filter(run=run).values_list("worker_id", "pk"))
    paid = payouts(run, lines)
    workers = sorted(set(shares) | set(paid))
    changed, added = [], []
    for worker_id in workers:
        by_payer = paid.get(worker_id, {})
        line = PayRunLine(
            run=run,
            worker_id=worker_id,
            gross=ZERO,
            own_spending=ZERO,
            sales_share=shares.get(worker_id, ZERO),
            back_wages_paid=sum(by_payer.values(), ZERO),
            back_wages_paid_by_payer={
                payer: money_text(amount, run.currency) for payer, amount in by_payer.items()
            },
        )
        if worker_id in lines:
            line.pk = lines[worker_id]
            changed.append(line)
        else:
            added.append(line)
    fields = ["sales_share", "back_wages_paid", "back_wages_paid_by_payer"]
    PayRunLine.objects.bulk_update(changed, fields, batch_size=BATCH)
    PayRunLine.objects.bulk_create(added, batch_size=BATCH)
    return (
        sum(shares.values(), ZERO),
        sum((line.back_wages_paid for line in changed + added), ZERO),
        len(added),
    )
