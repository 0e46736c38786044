"""The shop's records the permission matrix is walked over, kept by ``tests.security.world``'s
``build_world``: an order in each status a step starts from (awaiting payment, paid, packed,
shipped), the first with its invoice, a delivered order with a return asked, and the shop's
settings. Their buyer's name is secret text: no refused answer may
carry it."""

import datetime
from decimal import Decimal

from django.utils import timezone
from djmoney.money import Money

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import BankStatement, Order, ShopSettings, StatementLine
from catalogue.returns.operations import request_return
from tests.catalogue.order_builders import build_order, build_shop
from tests.catalogue.refund_builders import build_refund_records

BUYER = "Secret Buyer 8812"


def build_shop_records() -> dict:
    shop = build_shop()
    orders = {
        name: build_order(shop, f"BW-2026-{n:04d}", name=BUYER)
        for n, name in enumerate(("order", "paidorder", "packedorder", "shippedorder"), start=1)
    }
    placed = timezone.make_aware(datetime.datetime(2026, 1, 2, 12))  # payments after it are valid
    Order.objects.filter(pk__in=[order.pk for order in orders.values()]).update(placed_at=placed)
    now = timezone.now()
    for name, status in (
        ("paidorder", "paid"),
        ("packedorder", "packed"),
        ("shippedorder", "shipped"),
    ):
        Order.objects.filter(pk=orders[name].pk).update(
            status=status, paid_at=now, shipped_at=now if status == "shipped" else None
        )
    invoice = issue_invoice(orders["order"])
    statement, line = build_statement_record()
    delivered = build_order(shop, "BW-2026-0005", name=BUYER, quantities=(1, 1))
    Order.objects.filter(pk=delivered.pk).update(
        status="delivered", paid_at=now, shipped_at=now, delivered_at=now
    )
    bread = delivered.lines.get(sku=shop.bread)
    returned = request_return(
        delivered, key="matrix-return-0001", lines=[(bread.pk, 1)], reason="damaged"
    )
    refunds = build_refund_records(shop, name=BUYER)
    return {name: order.pk for name, order in orders.items()} | {
        "statement": statement.pk,
        "statementline": line.pk,
        "invoice": invoice.pk,
        "returnrequest": returned.pk,
        "returnline": bread.pk,
        "returnordertoken": delivered.access_token,
        "shopsettings": ShopSettings.load().pk,
        "ordertoken": orders["order"].access_token,
        "taxclass": shop.rate.tax_class_id,
        "shippingzone": shop.rate.zone_id,
        "shippingrate": shop.rate.pk,
        **refunds,
    }


def build_statement_record():
    """A bank statement with one unmatched credit, written directly (the importer's own tests
    read files); its payer's name is secret text."""
    statement = BankStatement.objects.create(
        sha256="0" * 64,
        file_name="statement.xml",
        format="camt.053",
        statement_id="STMT-SECRET-1",
        iban="NL91INGB0002445588",
        currency="EUR",
        from_date=datetime.date(2026, 5, 4),
        to_date=datetime.date(2026, 5, 4),
        opening_balance=Money(0, "EUR"),
        closing_balance=Money(Decimal("60.50"), "EUR"),
    )
    line = StatementLine.objects.create(
        statement=statement,
        position=1,
        iban=statement.iban,
        booking_date=datetime.date(2026, 5, 4),
        value_date=datetime.date(2026, 5, 4),
        amount=Money(Decimal("60.50"), "EUR"),
        excess=Money(0, "EUR"),
        direction="credit",
        bank_reference="2026050412000101",
        remittance="no reference given",
        counterparty_name=BUYER,
        state="unmatched",
    )
    return statement, line
