"""What ``seed_demo`` builds of the shop's quotes (brand/demo/quotes.py): one in each state, the
accepted one with its order on invoice at the quoted prices and its purchase-order number."""

import pytest

from catalogue.models import Invoice, Quote

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_quote_in_each_state(demo_database):
    assert sorted(Quote.objects.values_list("status", flat=True)) == sorted(
        ["requested", "quoted", "accepted", "declined", "expired", "withdrawn"]
    )
    accepted = Quote.objects.select_related("order").get(status="accepted")
    order = accepted.order
    assert (order.payment_method, order.purchase_order, order.status) == (
        "invoice",
        "PO-2026-0042",
        "awaiting_payment",
    )
    assert order.total == accepted.total
    assert sorted(order.lines.values_list("unit_price", flat=True)) == sorted(
        accepted.lines.values_list("unit_price", flat=True)
    )
    assert Invoice.objects.filter(order=order).exists()
    assert all(
        line.unit_price < line.list_price for line in accepted.lines.all()
    )  # 10 % off for bulk
