"""A credit note's PDF: printed once, in the order's language, and kept privately with its
SHA-256, so every download serves the same bytes (``credit_note_pdf``), like an invoice's
(``catalogue.invoices.documents``). Printing runs as a task after the credit note is issued; a
download that comes first prints it then."""

from django.db import transaction
from django_tasks import task
from moneyed import Money

from catalogue.invoices.documents import TaxRow
from catalogue.models import CreditNote, ShopSettings
from catalogue.refunds.splitting import tax_by_rate
from core.pdf import render_pdf
from core.private_files import PrivateFile, store_generated_file

PURPOSE = "credit-note"


def credit_note_context(credit_note: CreditNote) -> dict:
    refund = credit_note.refund
    order = refund.order
    parts = list(refund.parts.select_related("line"))
    rows = [
        TaxRow(rate, Money(net, order.currency), Money(tax, order.currency))
        for rate, net, tax in tax_by_rate(parts)
    ]
    return {
        "credit_note": credit_note,
        "refund": refund,
        "order": order,
        "invoice": credit_note.invoice,
        "parts": parts,
        "tax_rows": rows,
        "net_total": sum((row.net for row in rows), Money(0, order.currency)),
        "tax_total": sum((row.tax for row in rows), Money(0, order.currency)),
        "shop": ShopSettings.load(),
    }


def _print(credit_note: CreditNote) -> bytes:
    return render_pdf(
        "catalogue/pdf/credit_note.html",
        credit_note_context(credit_note),
        language=credit_note.refund.order.language,
    )


def credit_note_pdf(credit_note: CreditNote) -> PrivateFile:
    """The stored PDF of ``credit_note``, printed now if it has none yet (once, under a lock)."""
    if credit_note.document_id is not None:
        return credit_note.document
    content = _print(credit_note)  # outside the lock: printing takes a while
    with transaction.atomic():
        credit_note = CreditNote.objects.select_for_update().get(pk=credit_note.pk)
        if credit_note.document_id is None:
            credit_note.document = store_generated_file(
                content,
                name=f"credit-note-{credit_note.number}.pdf",
                purpose=PURPOSE,
                content_type="application/pdf",
            )
            credit_note.save(update_fields=["document"])
    return credit_note.document


def _loaded(credit_note_id: int) -> CreditNote:
    return CreditNote.objects.select_related("refund__order", "invoice").get(pk=credit_note_id)


@task()
def print_credit_note(*, credit_note_id: int) -> str:
    """Print and store a credit note's PDF; returns its SHA-256."""
    return credit_note_pdf(_loaded(credit_note_id)).sha256
