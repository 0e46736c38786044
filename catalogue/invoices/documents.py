"""An invoice's PDF: printed once, in the order's language, and kept privately with its SHA-256,
so every download serves the same bytes (``invoice_pdf``). Printing runs as a task after the
invoice is issued; a download that comes first prints it then."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django_tasks import task
from moneyed import Money

from catalogue.models import Invoice, ShopSettings
from core.pdf import render_pdf
from core.private_files import PrivateFile, store_generated_file

PURPOSE = "invoice"


@dataclass(frozen=True)
class TaxRow:
    rate: Decimal
    net: Money
    tax: Money


def tax_rows(order) -> list[TaxRow]:
    """Tax per rate over the lines and shipping: what the invoice shows under the lines."""
    currency = order.currency
    net: dict[Decimal, Decimal] = defaultdict(Decimal)
    tax: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in order.lines.all():
        net[line.tax_rate] += line.net.amount
        tax[line.tax_rate] += line.tax.amount
    if order.shipping_price.amount:
        net[order.shipping_tax_rate] += order.shipping_price.amount - order.shipping_tax.amount
        tax[order.shipping_tax_rate] += order.shipping_tax.amount
    return [
        TaxRow(rate, Money(net[rate], currency), Money(tax[rate], currency)) for rate in sorted(net)
    ]


def invoice_context(invoice: Invoice) -> dict:
    order = invoice.order
    return {
        "invoice": invoice,
        "order": order,
        "lines": list(order.lines.all()),
        "tax_rows": tax_rows(order),
        "shop": ShopSettings.load(),
    }


def _print(invoice: Invoice) -> bytes:
    return render_pdf(
        "catalogue/pdf/invoice.html", invoice_context(invoice), language=invoice.order.language
    )


def invoice_pdf(invoice: Invoice) -> PrivateFile:
    """The stored PDF of ``invoice``, printed now if it has none yet (once, under a row lock)."""
    if invoice.document_id is not None:
        return invoice.document
    content = _print(invoice)  # outside the lock: printing takes a while
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.document_id is None:
            invoice.document = store_generated_file(
                content,
                name=f"invoice-{invoice.number}.pdf",
                purpose=PURPOSE,
                content_type="application/pdf",
            )
            invoice.save(update_fields=["document"])
    return invoice.document


@task()
def print_invoice(*, invoice_id: int) -> str:
    """Print and store an invoice's PDF; returns its SHA-256."""
    return invoice_pdf(Invoice.objects.select_related("order").get(pk=invoice_id)).sha256
