"""The demo's bank statement (``brand.demo.statements``): written from the demo's orders awaiting
payment, valid against the camt.053 schema, it pays one exactly and one in part, leaves a gift
unmatched and shows the fees; seeding again changes nothing."""

from decimal import Decimal

import pytest

from brand.demo.statements import seed_statements
from catalogue.models import BankStatement, Order, StatementLine
from catalogue.statements.matching import outstanding
from tests.catalogue.statement_builders import build_statement_orders, finance_officer

pytestmark = pytest.mark.django_db


def test_the_demo_statement_pays_two_orders_and_leaves_a_gift_to_match():
    orders = build_statement_orders()
    for n, order in enumerate(orders.values(), start=1):
        Order.objects.filter(pk=order.pk).update(key=f"demo-order-{n:02d}-en-x")
    finance_officer("finance")
    statement = seed_statements()
    assert [
        (line.state, line.order.number if line.order else None, line.amount.amount)
        for line in statement.lines.order_by("position").select_related("order")
    ] == [
        ("matched", "BW-2026-0001", Decimal("60.500")),
        ("partial", "BW-2026-0002", Decimal("30.250")),  # half of 60.50
        ("unmatched", None, Decimal("18.000")),
        ("debit", None, Decimal("4.900")),
    ]
    assert Order.objects.get(number="BW-2026-0001").status == "paid"
    assert outstanding(Order.objects.get(number="BW-2026-0002")).amount == Decimal("30.25")
    assert seed_statements() == statement
    assert (BankStatement.objects.count(), StatementLine.objects.count()) == (1, 4)
