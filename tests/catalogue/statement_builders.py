"""Orders the sample statements in ``tests/catalogue/statements/`` pay, built without a checkout
(``order_builders``, each order 60.50 EUR), with their real creditor references:

    BW-2026-0001  RF78BW20260001   camt: 60.50 exact           → paid
    BW-2026-0002  RF51BW20260002   camt: 40.00 partial; MT940: 20.50 completes it → paid
    BW-2026-0003  RF24BW20260003   camt: 70.50 over by 10.00    → paid, 10.00 owed back
    BW-2026-0004  RF94BW20260004   paid already; camt: 60.50   → duplicate, all owed back
    BW-2026-0005  RF67BW20260005   not on any statement (manual matches)

The camt.053 of 2026-05-04 also holds an unmatched credit of 25.00 and a debit of 3.20 (fees);
the MT940 of 2026-05-05 an unmatched credit of 12.00 and a debit of 100.00.
"""

import datetime
from pathlib import Path

from django.utils import timezone

from catalogue.checkout.numbers import creditor_reference
from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Order
from catalogue.orders.journals import post_invoice_journal
from tests.catalogue.order_builders import build_order, build_shop, staff

SAMPLES = Path(__file__).parent / "statements"
CAMT = SAMPLES / "camt053_2026-05-04.xml"
MT940 = SAMPLES / "mt940_2026-05-05.sta"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def build_statement_orders() -> dict[str, Order]:
    shop = build_shop(stock=20)
    orders = {}
    for n in range(1, 6):
        number = f"BW-2026-{n:04d}"
        order = build_order(shop, number)
        Order.objects.filter(pk=order.pk).update(
            payment_reference=creditor_reference(number),
            placed_at=timezone.make_aware(datetime.datetime(2026, 4, 20, 10)),
        )
        orders[number] = order
    for order in orders.values():  # invoiced when placed, as an order on invoice is
        post_invoice_journal(issue_invoice(order, on=datetime.date(2026, 4, 20)))
    Order.objects.filter(number="BW-2026-0004").update(status="paid", paid_at=timezone.now())
    return {number: Order.objects.get(pk=order.pk) for number, order in orders.items()}


def finance_officer(username: str = "finance"):
    return staff(
        username,
        "catalogue.import_bankstatement",
        "catalogue.match_statementline",
        "catalogue.view_bankstatement",
    )
