"""A labour invoice's PDF: printed once, in the language chosen when it was issued (the partner's
reader's), and kept privately with its SHA-256, so every download serves the same bytes, like the
shop's invoices. Printing runs as a task after the invoice is issued; a download that comes first
prints it then. Finance officers and auditors read these PDFs (``labour_invoice_file_access``)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django_tasks import task
from djmoney.money import Money

from core.formatting import format_rate
from core.pdf import render_pdf
from core.private_files import PrivateFile, store_generated_file
from wages.models import LabourInvoice

PURPOSE = "labour-invoice"
READ = "wages.view_labourinvoice"


def labour_invoice_context(invoice: LabourInvoice) -> dict:
    lines = list(
        invoice.lines.select_related(
            "contract", "workshop__trade", "workshop__prison__region", "benchmark"
        )
    )

    def money(value):
        return Money(value, invoice.currency) if value is not None else None

    def rate(value):  # as finely as it is kept: the amount is hours × this, then rounded
        return format_rate(money(value), invoice.language) if value is not None else ""

    return {
        "invoice": invoice,
        "partner": invoice.partner,
        "issuer": settings.BRIDGEWORK_LABOUR_INVOICE_ISSUER,
        "lines": [
            {
                "line": line,
                "benchmark": rate(line.benchmark_hourly),
                "charge": rate(line.charge_hourly),
                "rate": rate(line.rate),
                "amount": money(line.amount),
            }
            for line in lines
        ],
        "labour": money(invoice.labour),
        "back_wages": money(invoice.back_wages),
        "total": money(invoice.total),
    }


def _print(invoice: LabourInvoice) -> bytes:
    return render_pdf(
        "wages/invoices/labour_invoice.html",
        labour_invoice_context(invoice),
        language=invoice.language,
    )


def labour_invoice_pdf(invoice: LabourInvoice) -> PrivateFile:
    """The stored PDF of ``invoice``, printed now if it has none yet (once, under a lock)."""
    if invoice.document_id is not None:
        return invoice.document
    content = _print(invoice)  # outside the lock: printing takes a while
    with transaction.atomic():
        invoice = LabourInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.document_id is None:
            invoice.document = store_generated_file(
                content,
                name=f"labour-invoice-{invoice.number}.pdf",
                purpose=PURPOSE,
                content_type="application/pdf",
            )
            invoice.save(update_fields=["document"])
    return invoice.document


@task()
def print_labour_invoice(*, invoice_id: int) -> str:
    """Print and store a labour invoice's PDF; returns its SHA-256."""
    invoice = LabourInvoice.objects.select_related("partner").get(pk=invoice_id)
    return labour_invoice_pdf(invoice).sha256


def labour_invoice_file_access(user) -> Q | None:
    if user.has_perm(READ):
        return Q(purpose=PURPOSE)
    return None
