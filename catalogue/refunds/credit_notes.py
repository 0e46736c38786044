"""Issuing a credit note with the next number of its year, without gaps, in a series of its own.

The pattern is the invoices' (``catalogue.invoices.issuing``): the year's **counter row** is locked
in the transaction that writes the credit note, so a concurrent issue waits and a rollback takes
its number back; the first credit note of a year makes the row, and the loser of two at once reads
the winner's. Numbers read ``CN-2026-000001``: never mistaken for an invoice's ``2026-000001``.
"""

import datetime

from django.db import IntegrityError, transaction

from catalogue.models import CreditNote, CreditNoteCounter, Invoice, Refund

PREFIX = "CN"


def credit_note_number(year: int, sequence: int) -> str:
    """``CN-2026-000042``: the series, the year, then the number in it on six digits (or more)."""
    return f"{PREFIX}-{year}-{sequence:06d}"


def _locked_counter(year: int) -> CreditNoteCounter:
    counter = CreditNoteCounter.objects.select_for_update().filter(year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: another transaction may make it now
            CreditNoteCounter.objects.create(year=year)
    except IntegrityError:
        pass
    return CreditNoteCounter.objects.select_for_update().get(year=year)


@transaction.atomic
def issue_credit_note(refund: Refund, *, invoice: Invoice, on: datetime.date) -> CreditNote:
    """``refund``'s credit note, correcting ``invoice``; issuing twice returns the first. The
    caller holds the order's lock; the PDF is printed after commit (``documents``)."""
    if (earlier := CreditNote.objects.filter(refund=refund).first()) is not None:
        return earlier
    counter = _locked_counter(on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    credit_note = CreditNote.objects.create(
        number=credit_note_number(on.year, counter.last),
        year=on.year,
        sequence=counter.last,
        refund=refund,
        invoice=invoice,
        issued_on=on,
    )
    from catalogue.refunds.documents import print_credit_note

    transaction.on_commit(lambda: print_credit_note.enqueue(credit_note_id=credit_note.pk))
    return credit_note
