"""Issuing an invoice with the next number of its year, without gaps.

The number comes from the year's **counter row**, locked (``select_for_update``) in the very
transaction that writes the invoice: a concurrent issue waits for it, and a transaction that rolls
back takes its number back with it. A database sequence would leave the numbers of rolled-back
transactions unused, which tax law forbids. The first invoice of a year makes its counter row; two
first invoices at once both try, and the loser of the unique key reads the winner's row.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalogue.models import Invoice, InvoiceCounter, Order, ShopSettings


def invoice_number(year: int, sequence: int) -> str:
    """``2026-000042``: the year, then the number in it on six digits (more when needed)."""
    return f"{year}-{sequence:06d}"


def _locked_counter(year: int) -> InvoiceCounter:
    counter = InvoiceCounter.objects.select_for_update().filter(year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: another transaction may make it now
            InvoiceCounter.objects.create(year=year)
    except IntegrityError:
        pass
    return InvoiceCounter.objects.select_for_update().get(year=year)


@transaction.atomic
def issue_invoice(order: Order, *, on: datetime.date | None = None) -> Invoice:
    """``order``'s invoice, issued now with the next number of the year; issuing twice returns
    the invoice issued the first time. The PDF is printed after the transaction commits
    (``catalogue.invoices.documents``)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if (earlier := Invoice.objects.filter(order=order).first()) is not None:
        return earlier
    on = on or timezone.localdate()
    counter = _locked_counter(on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    terms = ShopSettings.load().payment_terms_days
    invoice = Invoice.objects.create(
        number=invoice_number(on.year, counter.last),
        year=on.year,
        sequence=counter.last,
        order=order,
        issued_on=on,
        due_on=on + datetime.timedelta(days=terms),
    )
    from catalogue.invoices.documents import print_invoice

    transaction.on_commit(lambda: print_invoice.enqueue(invoice_id=invoice.pk))
    return invoice
