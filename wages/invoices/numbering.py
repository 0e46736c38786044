"""Labour invoice numbers: gap-free per year in a series of their own, ``LI-2026-000001``.

The pattern is the credit notes' (``catalogue.refunds.credit_notes``): the year's counter row is
locked in the transaction that writes the invoice, so a concurrent issue waits and a rollback
(a refused invoice) takes its number back; the first invoice of a year makes the row, and the
loser of two at once reads the winner's.
"""

from django.db import IntegrityError, transaction

from wages.models import LabourInvoiceCounter

PREFIX = "LI"


def labour_invoice_number(year: int, sequence: int) -> str:
    return f"{PREFIX}-{year}-{sequence:06d}"


def next_number(year: int) -> tuple[int, str]:
    """The next sequence and number of ``year``; call inside the transaction that uses it."""
    counter = LabourInvoiceCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: another transaction may make it now
                LabourInvoiceCounter.objects.create(year=year)
        except IntegrityError:
            pass
        counter = LabourInvoiceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, labour_invoice_number(year, counter.last)
