"""An order's page in the back office (``catalogue.orders.admin_views.InspectView``): its buyer, where
it goes, its lines, tax and totals, its invoice, its timeline and audit log, with what the buyer
typed escaped; and its packing slip (``catalogue.orders.packing``), in the packer's language,
with no prices."""

import subprocess

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from catalogue.models import ShippingRate
from catalogue.orders import lifecycle
from catalogue.templatetags.shop_text import direction
from core.formatting import format_moment
from core.testing.tools import require_executable
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_order, build_shop, eur, staff
from tests.catalogue.order_screens import (
    NOT_ALLOWED,
    auditor_staff,
    finance_staff,
    fulfilment_staff,
    page_url,
    shown,
    signed_in,
    slip_url,
    table,
    text_of,
)

pytestmark = pytest.mark.django_db


def when(moment) -> str:
    """A moment as the page writes it, its spaces as the page's text reads them."""
    return " ".join(format_moment(moment).split())


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def shop():
    return build_shop()


def test_the_page_shows_the_buyer_the_delivery_the_lines_tax_and_totals(client, shop):
    order = build_order(shop, organisation="Mairie de Lyon", purchase_order="PO-778")
    signed_in(client, auditor_staff())

    response = client.get(page_url(order))

    html = response.text
    assert response.status_code == 200
    assert text_of(html, "order-summary") == [
        "Status",
        "Awaiting payment",
        "Placed",
        when(order.placed_at),
        "Payment",
        "On invoice (bank transfer) · reference REF0001",
        "Total",
        "€60.50",
    ]
    assert text_of(html, "buyer") == [
        "Buyer",
        "Mairie de Lyon",
        "Camille Martin",
        "buyer@example.org",
        "Purchase order: PO-778",
        "Language: French",
    ]
    assert text_of(html, "delivery") == [
        "Delivery",
        "Mairie de Lyon",
        "Camille Martin",
        "1 rue du Pain",
        "75001 Paris",
        "France",
        "Post",
    ]
    assert table(html, "order-lines") == [
        ["Bread", "BREAD", "2", "€12.00", "20 %", "€24.00"],
        ["Apron", "APRON", "1", "€30.50", "20 %", "€30.50"],
        ["Shipping: Post", "", "1", "€6.00", "20 %", "€6.00"],
    ]
    assert table(html, "order-tax-rows") == [["20 %", "€50.42", "€10.08"]]
    assert text_of(html, "order-total-figures") == [
        "Total without tax",
        "€50.42",
        "Tax",
        "€10.08",
        "Total",
        "€60.50",
    ]
    assert text_of(html, "invoice") == ["Invoice", "Not issued yet."]
    assert text_of(html, "order-timeline") == [f"Placed: {when(order.placed_at)}"]
    assert "Nothing recorded yet." in html


def test_a_paid_and_shipped_order_shows_its_invoice_timeline_and_audit_log(client, shop):
    order = build_order(shop)
    finance = finance_staff()
    finance.first_name, finance.last_name = "Farah", "Finance"
    finance.save()
    packer = fulfilment_staff()
    lifecycle.mark_paid(order, user=finance, on=timezone.localdate())
    lifecycle.pack(order, user=packer)
    lifecycle.ship(order, user=packer, carrier="La Poste", tracking_number="6A123")
    order.refresh_from_db()
    invoice = order.invoice
    signed_in(client, packer)

    html = client.get(page_url(order)).text

    assert text_of(html, "invoice")[:2] == ["Invoice", f"Invoice {invoice.number} (PDF)"]
    assert f'href="/admin/catalogue/invoice/{invoice.pk}/pdf/"' in html
    assert text_of(html, "order-timeline") == [
        f"Placed: {when(order.placed_at)}",
        f"Paid: {when(order.paid_at)}",
        f"Packed: {when(order.packed_at)}",
        f"Shipped: {when(order.shipped_at)} · La Poste, 6A123",
    ]
    assert [row[1:] for row in table(html, "order-log")] == [
        ["Farah Finance", "Payment recorded"],
        ["packer", "Order packed"],
        ["packer", "Order shipped"],
    ]


def collected(order, shop):
    """``order``, collected from a shop instead of posted."""
    order.shipping_rate = ShippingRate.objects.create(
        zone=shop.rate.zone,
        kind=ShippingRate.Kind.COLLECTION,
        name="Shop on Rue Neuve",
        max_weight_grams=9000,
        price=eur("0"),
        tax_class=shop.rate.tax_class,
        collection_address="Bridgework shop\n4 rue Neuve\n69001 Lyon",
    )
    order.save()
    return order


def test_an_order_collected_from_a_shop_shows_where(client, shop):
    order = collected(build_order(shop), shop)
    signed_in(client, fulfilment_staff())

    html = client.get(page_url(order)).text

    assert text_of(html, "delivery") == [
        "Collected from a shop",
        "Bridgework shop",
        "4 rue Neuve",
        "69001 Lyon",
        "Post",
    ]


def test_what_the_buyer_typed_is_escaped(client, shop):
    order = build_order(shop, name="<script>alert(1)</script>", email="x@example.org")
    signed_in(client, fulfilment_staff())

    html = client.get(page_url(order)).text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_staff_without_the_orders_permission_cannot_open_an_order(client, shop):
    order = build_order(shop)
    signed_in(client, staff("editor", "wagtailadmin.access_admin"))

    response = client.get(page_url(order), follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert shown(response) == [NOT_ALLOWED]


# The packing slip


def slip_text(response) -> str:
    require_executable("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()


def test_the_packing_slip_lists_skus_and_quantities_without_prices(client, shop):
    order = build_order(shop, quantities=(3, 1))
    signed_in(client, fulfilment_staff())

    response = client.get(slip_url(order))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = slip_text(response)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert "Packing slip" in text and "BW-2026-0001" in text
    assert "APRON Apron 1" in lines and "BREAD Bread 3" in lines
    assert "Pieces in the parcel 4" in lines
    assert all(word in text for word in ("DELIVER TO", "1 rue du Pain", "75001 Paris", "France"))
    assert "€" not in text and "12.00" not in text and "60.50" not in text


def test_the_packing_slip_is_in_the_packers_language(client, shop):
    order = build_order(shop, language="en")
    packer = fulfilment_staff()
    profile = UserProfile.get_for_user(packer)
    profile.preferred_language = "fr"
    profile.save()
    signed_in(client, packer)

    text = slip_text(client.get(slip_url(order)))

    assert "Bon de livraison" in text and "LIVRER À" in text and "Quantité" in text


@pytest.mark.parametrize("make", [finance_staff, auditor_staff])
def test_those_who_read_orders_may_print_the_slip(client, shop, make):
    order = build_order(shop)
    signed_in(client, make())

    assert client.get(slip_url(order)).status_code == 200


def test_the_packing_slip_is_refused_without_the_orders_permission(client, shop):
    order = build_order(shop)
    signed_in(client, staff("editor", "wagtailadmin.access_admin"))

    response = client.get(slip_url(order))

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_the_packing_slip_of_a_collected_order_names_the_shop_and_the_buyer(client, shop):
    order = collected(build_order(shop), shop)
    signed_in(client, fulfilment_staff())

    text = slip_text(client.get(slip_url(order)))

    assert "COLLECTED FROM" in text and "For: Camille Martin" in text
    assert all(line in text for line in ("Bridgework shop", "4 rue Neuve", "69001 Lyon"))
    assert "DELIVER TO" not in text and "1 rue du Pain" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 rue du Pain", "ltr"), ("5 شارع الحرية", "rtl"), ("75001", "auto"), ("", "auto")],
)
def test_a_typed_line_is_printed_in_the_direction_of_its_first_letter(text, expected):
    assert direction(text) == expected


# The page's queries: the session, the user and their profile, the admin's site and menu, the
# order with its shipping rate, its lines with their SKUs, its invoice, its audit log with who did
# each step, its refunds with their credit notes; none per line or per entry of the log.
PAGE_QUERIES = 18


@pytest.mark.parametrize("steps", [0, 3])
def test_an_orders_page_makes_the_same_number_of_queries_whatever_its_history(
    client, shop, steps, django_assert_num_queries
):
    order = build_order(shop)
    packer = fulfilment_staff()
    if steps:
        lifecycle.mark_paid(order, user=finance_staff(), on=timezone.localdate())
        lifecycle.pack(order, user=packer)
        lifecycle.ship(order, user=packer, carrier="La Poste")
    signed_in(client, packer)
    client.get(page_url(order))  # warm-up: sessions, site, content types

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page_url(order))

    assert len(table(response.text, "order-log")) == steps
