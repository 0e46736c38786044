"""The world of the labour invoice tests, on the pay-run world (``tests.wages.payrun_builders``):
the partner's bakery under contract C-1 (pays 6.50 an hour, charges 9.00 for labour; the market
wage of its trade in the region is 7.00), and a packing workshop of another trade under C-2 (pays
8.20 an hour, charges 7.50; the market wage is 8.1234). Week 1 of November 2026 is worked and
posted:

    W-000000  bakery   2 Nov   8 h     8 × 6.50 = 52.00, below 8 × 7.00 = 56.00: back wages 4.00
    W-000001  bakery   3 Nov  10 h    10 × 6.50 = 65.00, below 70.00:            back wages 5.00
    W-000000  packing  4 Nov   5.25 h 5.25 × 8.20 = 43.05, above the market wage
"""

from decimal import Decimal

from djmoney.money import Money

from tests.wages.payrun_builders import (
    D,
    build_benchmark,
    build_contract,
    build_time_workshop,
    build_trade,
    posted,
    record,
)
from wages.models import (
    Account,
    BackWagesReceipt,
    Journal,
    LabourInvoice,
    LabourInvoiceLine,
    LabourInvoiceRun,
    LabourPayment,
)

NOVEMBER = (D(2026, 11, 1), D(2026, 11, 30))


def build_packing(pay):
    trade = build_trade("packing", "Packing", "9321")
    packing = build_time_workshop("packing-north", trade, pay.prison)
    contract = build_contract(pay, packing, reference="C-2", hourly="8.20", piece=None)
    contract.labour_charge_per_hour = Money(Decimal("7.50"), "EUR")
    contract.save()
    build_benchmark(trade, pay.prison.region, "8.1234", D(2026, 10, 1))
    return packing


def work_week_1(pay):
    packing = build_packing(pay)
    first, second = pay.workers[:2]
    record(pay, first, pay.bakery, D(2026, 11, 2), "8")
    record(pay, second, pay.bakery, D(2026, 11, 3), "10")
    record(pay, first, packing, D(2026, 11, 4), "5.25")
    return posted(pay)


def invoicing_state() -> dict:
    """Every row an invoice operation may write, to show that a refused one wrote none."""
    return {
        "invoices": list(LabourInvoice.objects.values_list("number", "status", "paid")),
        "lines": LabourInvoiceLine.objects.count(),
        "runs": LabourInvoiceRun.objects.count(),
        "payments": LabourPayment.objects.count(),
        "receipts": BackWagesReceipt.objects.count(),
        "journals": Journal.objects.count(),
        "balances": dict(Account.objects.values_list("code", "balance")),
    }
