"""The demo's refund (``brand.demo.refunds``): a delivered order on invoice partly refunded, with
its credit note and journal, and the refund's units back in stock."""

import pytest

from catalogue.models import CreditNote, Refund
from wages.models import Journal

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_order_on_invoice_partly_refunded_with_a_credit_note(demo_database):
    refund = Refund.objects.select_related("order").get(key="demo-refund-1")
    assert (refund.status, refund.kind, refund.order.payment_method) == (
        "succeeded",
        "lines",
        "invoice",
    )
    assert refund.amount < refund.order.total
    [part] = refund.parts.all()
    assert (part.quantity, part.restock) == (1, False)  # damaged: not back in stock
    note = CreditNote.objects.get(refund=refund)
    assert note.number.startswith("CN-") and note.invoice.order_id == refund.order_id
    assert Journal.objects.filter(key=f"refund:{note.number}").count() == 1
