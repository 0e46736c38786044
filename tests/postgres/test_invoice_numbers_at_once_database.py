"""What the shop promises under concurrency on PostgreSQL, with real connections: invoices issued
at once take every number of the year once, without a gap; an invoice or a payment posted twice
at once is one journal."""

import pytest

from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Invoice, InvoiceCounter
from catalogue.orders.journals import post_invoice_journal, post_payment_journal
from core.testing.database import race
from tests.catalogue.order_builders import D, build_order, build_shop
from wages.models import Journal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORDERS = 12


@pytest.fixture
def orders():
    shop = build_shop(stock=100)
    return [build_order(shop, f"BW-2026-{n:04d}", quantities=(1, 1)) for n in range(1, ORDERS + 1)]


def test_invoices_issued_at_once_are_numbered_without_gap_or_duplicate(orders):
    outcomes = race(
        *(lambda order=order: issue_invoice(order, on=D(2026, 12, 6)) for order in orders)
    )
    numbers = sorted(invoice.number for invoice in outcomes)
    assert numbers == [f"2026-{n:06d}" for n in range(1, ORDERS + 1)]
    assert InvoiceCounter.objects.get(year=2026).last == ORDERS
    assert Invoice.objects.count() == ORDERS


def test_the_same_order_invoiced_at_once_gets_one_invoice_and_one_number(orders):
    order = orders[0]
    outcomes = race(*(lambda: issue_invoice(order, on=D(2026, 12, 6)) for _ in range(6)))
    assert {invoice.pk for invoice in outcomes} == {Invoice.objects.get().pk}
    assert InvoiceCounter.objects.get(year=2026).last == 1


def test_an_invoice_and_a_payment_posted_at_once_twice_are_one_journal_each(orders):
    invoice = issue_invoice(orders[0], on=D(2026, 12, 6))
    outcomes = race(
        *(lambda: post_invoice_journal(invoice) for _ in range(4)),
        *(lambda: post_payment_journal(invoice.order, on=D(2026, 12, 7)) for _ in range(4)),
    )
    assert len({journal.pk for journal in outcomes}) == 2
    assert sorted(Journal.objects.values_list("key", flat=True)) == [
        "invoice:2026-000001",
        "payment:BW-2026-0001",
    ]
