"""The back office's labour invoice screens (``wages.invoices.views``, ``admin``): finance issues
an invoice and records a payment through forms that call the operations, anyone who reads
invoices downloads the PDF (in the language chosen), overdue invoices are on the finance
dashboard and in a report exported to CSV."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from brand.dashboard import waiting_panels
from core.testing.tools import require_executable
from core.testing.twofactor import login_with_second_factor
from tests.wages.labour_invoice_builders import NOVEMBER, work_week_1
from tests.wages.payrun_builders import build_finance_officer
from wages.invoices import labour_invoice_issue
from wages.models import LabourInvoice, LabourPayment

pytestmark = pytest.mark.django_db
INVOICES = "/admin/wages/labourinvoice/"
REPORT = "/admin/wages/overdue-labour-invoices/"


def pdf_text(content: bytes) -> str:
    require_executable("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def issued(pay_world, language="en"):
    work_week_1(pay_world)
    return labour_invoice_issue(
        partner=pay_world.partner,
        start=NOVEMBER[0],
        end=NOVEMBER[1],
        user=pay_world.calculator,
        language=language,
    )


def test_finance_issues_an_invoice_through_the_form(client, pay_world):
    work_week_1(pay_world)
    login_with_second_factor(client, pay_world.calculator)

    response = client.post(
        INVOICES + "new/",
        {
            "partner": pay_world.partner.pk,
            "start": "2026-11-01",
            "end": "2026-11-30",
            "language": "fr",
        },
    )

    invoice = LabourInvoice.objects.get()
    assert response.status_code == 302
    assert response.url == f"{INVOICES}inspect/{invoice.pk}/"
    assert (invoice.language, str(invoice.total)) == ("fr", "213.650")


def test_a_refused_issue_is_shown_on_the_form_and_changes_nothing(client, pay_world):
    work_week_1(pay_world)
    login_with_second_factor(client, pay_world.calculator)

    response = client.post(
        INVOICES + "new/",
        {"partner": pay_world.partner.pk, "start": "2025-01-01", "end": "2025-01-31"}
        | {"language": "en"},
    )

    assert response.status_code == 200
    assert "Acme had no contract in force from Jan 1, 2025 to Jan 31, 2025" in response.text
    assert LabourInvoice.objects.count() == 0


def test_finance_records_a_payment_and_an_auditor_only_reads(client, pay_world):
    invoice = issued(pay_world)
    login_with_second_factor(client, pay_world.calculator)

    page = client.get(f"{INVOICES}inspect/{invoice.pk}/")
    response = client.post(
        f"{INVOICES}{invoice.pk}/pay/",
        {"amount": "213.65", "on": timezone.localdate().isoformat(), "reference": "BANK-77"},
    )

    assert "Record a payment" in page.text
    assert response.status_code == 302
    assert list(LabourPayment.objects.values_list("reference", flat=True)) == ["BANK-77"]
    client.logout()
    auditor = build_finance_officer("reader", role="auditor")
    login_with_second_factor(client, auditor)
    page = client.get(f"{INVOICES}inspect/{invoice.pk}/")
    assert page.status_code == 200
    assert "Record a payment" not in page.text
    assert "BANK-77" in page.text
    assert client.get(f"{INVOICES}{invoice.pk}/pay/").status_code == 302  # refused


def test_an_over_payment_is_refused_on_the_form(client, pay_world):
    invoice = issued(pay_world)
    login_with_second_factor(client, pay_world.calculator)

    response = client.post(
        f"{INVOICES}{invoice.pk}/pay/",
        {"amount": "300", "on": timezone.localdate().isoformat(), "reference": "BANK-1"},
    )

    assert response.status_code == 200
    assert "€300.00 is more than the €213.65 still owed" in response.text
    assert LabourPayment.objects.count() == 0


def test_the_pdf_names_the_partner_the_lines_the_total_and_the_reference(client, pay_world):
    invoice = issued(pay_world)
    login_with_second_factor(client, pay_world.calculator)

    first = client.get(f"{INVOICES}{invoice.pk}/pdf/")
    content = b"".join(first.streaming_content)
    again = b"".join(client.get(f"{INVOICES}{invoice.pk}/pdf/").streaming_content)

    text = " ".join(pdf_text(content).split())
    assert content == again  # printed once, stored with its hash
    assert f"Labour invoice {invoice.number}" in text
    assert pay_world.partner.legal_name in text
    assert "C-1 · " in text and "18.00" in text and "€162.00" in text
    assert "C-2 · " in text and "5.25 €8.1234 €7.50 €8.1234 €42.65" in text
    assert "Back wages owed to the workers" in text and "€9.00" in text
    assert "Total due €213.65" in text
    due = invoice.due_on
    assert f"Please pay the total by {due:%b} {due.day}, {due.year}" in text


def test_the_pdf_is_in_the_language_chosen(client, pay_world):
    invoice = issued(pay_world, language="fr")
    login_with_second_factor(client, pay_world.calculator)

    content = b"".join(client.get(f"{INVOICES}{invoice.pk}/pdf/").streaming_content)

    text = " ".join(pdf_text(content).split())
    # Amounts and dates as French readers write them (the strings are translated after the merge)
    assert "213,65 €" in text
    assert f"{invoice.due_on.day} " in text and str(invoice.due_on.year) in text


def test_an_overdue_invoice_is_on_the_dashboard_and_in_the_report(client, pay_world):
    invoice = issued(pay_world)
    LabourInvoice.objects.filter(pk=invoice.pk).update(due_on=datetime.date(2026, 11, 30))
    today = timezone.localdate()
    [panel] = waiting_panels(pay_world.calculator, today)
    [overdue] = [s for s in panel.sections if s.title == "Overdue labour invoices"]
    assert [(item.text, item.url) for item in overdue.items] == [
        (
            f"{invoice.number}, Acme, €213.65 owed since Nov 30, 2026",
            f"{INVOICES}inspect/{invoice.pk}/",
        )
    ]
    login_with_second_factor(client, pay_world.calculator)

    response = client.get(REPORT + "?export=csv")

    days = (today - datetime.date(2026, 11, 30)).days
    assert b"".join(response.streaming_content).decode().splitlines() == [
        "Number,Partner,Legal name,First day,Last day,Currency,Total,Still owed,Due on,"
        "Days overdue",
        f"{invoice.number},Acme,{pay_world.partner.legal_name},2026-11-01,2026-11-30,EUR,"
        f"213.65,213.65,2026-11-30,{days}",
    ]
