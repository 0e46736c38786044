"""A quote's PDF: printed once it is sent, in the quote's language, and kept privately with its
SHA-256, so every download serves the same bytes (``quote_pdf``). Printing runs as a task after
the quote is sent; a download that comes first prints it then."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django_tasks import task
from moneyed import Money

from catalogue.invoices.documents import TaxRow
from catalogue.models import Quote, ShopSettings
from core.pdf import render_pdf
from core.private_files import PrivateFile, store_generated_file

PURPOSE = "quote"


def tax_rows(quote: Quote, lines) -> list[TaxRow]:
    """Tax per rate over the lines and shipping: what the quote shows under its lines."""
    net: dict[Decimal, Decimal] = defaultdict(Decimal)
    tax: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        net[line.tax_rate] += line.net.amount
        tax[line.tax_rate] += line.tax.amount
    if quote.shipping_price.amount:
        net[quote.shipping_tax_rate] += quote.shipping_net.amount
        tax[quote.shipping_tax_rate] += quote.shipping_tax.amount
    return [
        TaxRow(rate, Money(net[rate], quote.currency), Money(tax[rate], quote.currency))
        for rate in sorted(net)
    ]


def quote_context(quote: Quote) -> dict:
    lines = list(quote.lines.all())
    return {
        "quote": quote,
        "lines": lines,
        "tax_rows": tax_rows(quote, lines),
        "shop": ShopSettings.load(),
    }


def _print(quote: Quote) -> bytes:
    return render_pdf("catalogue/pdf/quote.html", quote_context(quote), language=quote.language)


def quote_pdf(quote: Quote) -> PrivateFile:
    """The stored PDF of ``quote`` (sent, or answered since), printed now if it has none yet
    (once, under a row lock)."""
    if quote.document_id is not None:
        return quote.document
    content = _print(quote)  # outside the lock: printing takes a while
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if quote.document_id is None:
            quote.document = store_generated_file(
                content,
                name=f"quote-{quote.number}.pdf",
                purpose=PURPOSE,
                content_type="application/pdf",
            )
            quote.save(update_fields=["document"])
    return quote.document


@task()
def print_quote(*, quote_id: int) -> str:
    """Print and store a quote's PDF; returns its SHA-256."""
    return quote_pdf(Quote.objects.get(pk=quote_id)).sha256
