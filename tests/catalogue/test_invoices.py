"""Invoices (``catalogue.invoices``): numbered without gaps per year from a locked counter row,
issued once per order, printed once in the order's language and served as the same bytes."""

import datetime
import hashlib
import subprocess

import pytest
from django.core import mail

from catalogue.invoices.documents import invoice_pdf, tax_rows
from catalogue.invoices.issuing import invoice_number, issue_invoice
from catalogue.models import Invoice, InvoiceCounter, ShopSettings
from core.testing.tools import require_executable
from tests.catalogue.order_builders import D, build_order, build_shop, eur

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def shop():
    settings = ShopSettings.load()
    settings.seller_name, settings.iban, settings.bank_name = (
        "Bridgework",
        "FR7630006000011234567890189",
        "Banque",
    )
    settings.payment_terms_days = 30
    settings.save()
    return build_shop()


def test_numbers_follow_each_other_within_a_year_and_start_again_the_next(shop):
    first = issue_invoice(build_order(shop, "BW-1"), on=D(2026, 12, 30))
    second = issue_invoice(build_order(shop, "BW-2"), on=D(2026, 12, 31))
    next_year = issue_invoice(build_order(shop, "BW-3"), on=D(2027, 1, 1))
    assert [first.number, second.number, next_year.number] == [
        "2026-000001",
        "2026-000002",
        "2027-000001",
    ]
    assert dict(InvoiceCounter.objects.values_list("year", "last")) == {2026: 2, 2027: 1}
    assert (second.issued_on, second.due_on) == (D(2026, 12, 31), D(2027, 1, 30))


def test_issuing_twice_returns_the_first_invoice_and_takes_no_number(shop):
    order = build_order(shop)
    first = issue_invoice(order, on=D(2026, 12, 6))
    again = issue_invoice(order, on=D(2026, 12, 7))
    assert again.pk == first.pk and again.number == "2026-000001"
    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get(year=2026).last == 1


def test_a_number_past_six_digits_keeps_every_digit():
    assert invoice_number(2026, 1_234_567) == "2026-1234567"


def test_tax_is_shown_per_rate_over_the_lines_and_shipping(shop):
    order = build_order(shop)
    assert [(row.rate, row.net, row.tax) for row in tax_rows(order)] == [
        (20, eur("50.42"), eur("10.08"))
    ]


def test_the_pdf_is_printed_once_in_the_orders_language_and_served_as_the_same_bytes(
    shop, django_capture_on_commit_callbacks
):
    require_executable("pdftotext")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue_invoice(build_order(shop, language="fr"), on=D(2026, 12, 6))
    invoice.refresh_from_db()  # printed by the task the immediate backend ran at commit
    stored = invoice.document
    assert stored is not None and stored.purpose == "invoice"
    content = stored.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    assert invoice_pdf(invoice).pk == stored.pk  # a download prints nothing again
    text = subprocess.run(
        ["pdftotext", "-layout", stored.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Facture 2026-000001" in text
    assert "FR7630006000011234567890189" in text and "REF0001" in text
    assert "60,50" in text and "10,08" in text
    assert len(mail.outbox) == 0  # issuing sends nothing by itself


def test_the_pdf_escapes_what_the_buyer_typed(shop):
    require_executable("pdftotext")
    order = build_order(shop, name="<b>Camille</b><script>x()</script>")
    invoice = invoice_pdf(issue_invoice(order, on=D(2026, 12, 6)))  # printed by a download
    invoice = Invoice.objects.get(order=order)
    text = subprocess.run(
        ["pdftotext", invoice.document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<b>Camille</b><script>x()</script>" in text  # printed as text, not run as markup


def test_a_first_invoice_of_a_new_year_makes_its_counter(shop):
    assert not InvoiceCounter.objects.exists()
    issue_invoice(build_order(shop), on=datetime.date(2030, 5, 1))
    assert list(InvoiceCounter.objects.values_list("year", "last")) == [(2030, 1)]


def test_the_buyer_downloads_the_same_bytes_by_the_link_in_their_e_mails(shop, client):
    order = build_order(shop)
    invoice = issue_invoice(order, on=D(2026, 12, 6))
    first = client.get(f"/fr/orders/{order.access_token}/invoice.pdf")
    again = client.get(f"/en/orders/{order.access_token}/invoice.pdf")
    invoice.refresh_from_db()
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    body = b"".join(first.streaming_content)
    assert body == b"".join(again.streaming_content)
    assert hashlib.sha256(body).hexdigest() == invoice.document.sha256
    assert client.get(f"/en/orders/{order.access_token}x/invoice.pdf").status_code == 404
