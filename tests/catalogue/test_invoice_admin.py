"""Invoices in the back office (``catalogue.invoices.admin``): the read-only listing for finance,
order fulfilment and auditors, and each invoice's PDF, the same stored bytes on every download."""

import datetime
import hashlib

import pytest

from catalogue.invoices.documents import invoice_pdf
from catalogue.invoices.issuing import issue_invoice
from catalogue.models import Invoice, Order
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop, staff
from tests.catalogue.order_screens import (
    INVOICES,
    auditor_staff,
    finance_staff,
    fulfilment_staff,
    signed_in,
    table,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def invoices():
    shop = build_shop()
    first = issue_invoice(build_order(shop, "BW-2026-0001"), on=D(2026, 11, 2))
    second = issue_invoice(build_order(shop, "BW-2026-0002"), on=D(2026, 11, 20))
    Order.objects.filter(pk=second.order_id).update(status="paid", paid_at=second.issued_at)
    return first, second


@pytest.mark.parametrize("make", [fulfilment_staff, finance_staff, auditor_staff])
def test_the_listing_shows_each_invoice_newest_first(client, invoices, make):
    signed_in(client, make())

    response = client.get(INVOICES)

    assert response.status_code == 200
    assert table(response.text) == [
        ["2026-000002", "BW-2026-0002", "Nov 20, 2026", "Dec 20, 2026", "€60.50", "Yes"],
        ["2026-000001", "BW-2026-0001", "Nov 2, 2026", "Dec 2, 2026", "€60.50", "No"],
    ]
    _first, second = invoices
    assert f'href="/admin/catalogue/invoice/{second.pk}/pdf/"' in response.text
    assert f'href="/admin/catalogue/order/inspect/{second.order_id}/"' in response.text


def test_the_listing_is_searched_by_invoice_or_order_number(client, invoices):
    signed_in(client, finance_staff())

    by_invoice = table(client.get(f"{INVOICES}?q=000001").text)
    by_order = table(client.get(f"{INVOICES}?q=BW-2026-0002").text)

    assert [row[0] for row in by_invoice + by_order] == ["2026-000001", "2026-000002"]


def test_a_download_serves_the_stored_pdf_every_time(client, invoices):
    first, _second = invoices
    signed_in(client, finance_staff())

    downloads = [
        b"".join(client.get(f"{INVOICES}{first.pk}/pdf/").streaming_content) for _ in range(2)
    ]

    first.refresh_from_db()
    stored = first.document
    assert downloads[0] == downloads[1]
    assert hashlib.sha256(downloads[0]).hexdigest() == stored.sha256
    assert downloads[0].startswith(b"%PDF")
    assert invoice_pdf(first).pk == stored.pk


def test_a_download_is_an_attachment_never_cached(client, invoices):
    first, _second = invoices
    signed_in(client, fulfilment_staff())

    response = client.get(f"{INVOICES}{first.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice-2026-000001.pdf"'
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"


def test_staff_without_the_invoices_permission_are_sent_home_and_nothing_is_printed(
    client, invoices
):
    first, _second = invoices
    signed_in(client, staff("editor", "wagtailadmin.access_admin"))

    listing = client.get(INVOICES)
    download = client.get(f"{INVOICES}{first.pk}/pdf/")

    assert [(r.status_code, r["Location"]) for r in (listing, download)] == [
        (302, "/admin/"),
        (302, "/admin/"),
    ]
    assert list(Invoice.objects.values_list("document", flat=True)) == [None, None]
