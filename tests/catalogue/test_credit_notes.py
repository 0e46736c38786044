"""Credit notes (``catalogue.refunds.credit_notes`` and ``documents``): their own series of numbers,
never an invoice's, and a PDF printed once in the order's language, referring to the invoice it
corrects, with the refunded lines and tax per rate, served as the same bytes."""

import hashlib
import subprocess

import pytest
from django.utils import timezone

from catalogue.models import ShopSettings
from catalogue.refunds.credit_notes import credit_note_number
from catalogue.refunds.documents import credit_note_context, credit_note_pdf
from catalogue.refunds.operations import refund_order
from core.testing.tools import require_executable
from tests.catalogue.order_builders import build_shop, eur
from tests.catalogue.refund_builders import paid_order, refunder

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def order():
    settings = ShopSettings.load()
    settings.seller_name = "Bridgework"
    settings.save()
    return paid_order(build_shop(), language="en")


def test_a_credit_note_number_is_its_own_series():
    assert credit_note_number(2026, 42) == "CN-2026-000042"
    assert credit_note_number(2026, 1_234_567) == "CN-2026-1234567"


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_is_printed_once_and_reads_the_invoice_it_corrects_and_the_lines(
    order, django_capture_on_commit_callbacks
):
    require_executable("pdftotext")
    bread = order.lines.get(description="Bread").pk
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_order(
            order, user=refunder(), key="k", reason="Arrived broken", lines=[(bread, 1, False)]
        )
    credit_note = refund.credit_note
    credit_note.refresh_from_db()  # printed by the task the immediate backend ran at commit
    stored = credit_note.document
    assert stored is not None and stored.purpose == "credit-note"
    content = stored.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    assert credit_note_pdf(credit_note).pk == stored.pk  # a download prints nothing again
    text = pdf_text(stored.file.path)
    year = timezone.localdate().year
    assert f"Credit note CN-{year}-000001" in text
    assert f"Corrects invoice {year}-000001" in text
    assert "Arrived broken" in text
    assert "BW-2026-0001" in text
    assert "−€10.00" in text and "−€2.00" in text and "−€12.00" in text


def test_the_tax_table_sums_the_parts_per_rate(order):
    refund = refund_order(order, user=refunder(), key="k", reason="Late", amount=eur("10.00"))
    context = credit_note_context(refund.credit_note)
    assert [(row.rate, row.net, row.tax) for row in context["tax_rows"]] == [
        (20, eur("8.34"), eur("1.66"))  # 3.31 + 4.20 + 0.83 and 0.66 + 0.84 + 0.16
    ]
    assert (context["net_total"], context["tax_total"]) == (eur("8.34"), eur("1.66"))
