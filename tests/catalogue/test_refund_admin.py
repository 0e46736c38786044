"""Refunds in the back office (``catalogue.refunds.admin_views``) and on the buyer's page: the
order's page lists its refunds and credit notes and what remains refundable, and offers the refund
form to order fulfilment only; a refund posted from it is made and shown, a refused one comes back
as a message and changes nothing; finance records the transfer; credit notes are listed and
downloaded, by staff and by the buyer (by the order's token)."""

import pytest
from django.utils import timezone

from catalogue.models import CreditNote, Refund
from catalogue.refunds.operations import refund_order
from tests.brand.builders import build_home
from tests.catalogue.order_builders import build_shop, eur, staff
from tests.catalogue.order_screens import (
    AUDITOR,
    FINANCE,
    FULFILMENT,
    page_url,
    shown,
    signed_in,
)
from tests.catalogue.refund_builders import paid_order, refunder, snapshot

pytestmark = pytest.mark.django_db

CREDIT_NOTES = "/admin/catalogue/creditnote/"
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def home():
    return build_home()


@pytest.fixture
def order():
    return paid_order(build_shop())


def fulfilment():
    return staff("packer", *FULFILMENT, "catalogue.refund_order", "catalogue.view_creditnote")


def refund_url(order) -> str:
    return f"{CREDIT_NOTES}order/{order.pk}/refund/"


def form_data(order, **fields) -> dict:
    data = {"refund-key": "form-key-1", "refund-reason": "Arrived broken", "refund-amount": ""}
    for line in order.lines.all():
        data[f"refund-quantity_{line.pk}"] = "0"
    data.update({f"refund-{name}": value for name, value in fields.items()})
    return data


def test_the_order_page_offers_the_refund_form_to_order_fulfilment_only(client, order):
    signed_in(client, fulfilment())
    page = client.get(page_url(order))
    assert refund_url(order) in page.text
    assert "Still refundable: €60.50" in page.text
    client.logout()
    signed_in(client, staff("auditor", *AUDITOR, "catalogue.view_creditnote"))
    page = client.get(page_url(order))
    assert page.status_code == 200 and refund_url(order) not in page.text


def test_a_refund_posted_from_the_order_page_is_made_and_listed(client, order):
    signed_in(client, fulfilment())
    bread = order.lines.get(description="Bread")
    data = form_data(order, **{f"quantity_{bread.pk}": "1", f"restock_{bread.pk}": "on"})
    answer = client.post(refund_url(order), data, follow=True)
    number = f"CN-{YEAR}-000001"
    assert shown(answer) == [f"€12.00 of order BW-2026-0001 refunded: credit note {number}."]
    refund = Refund.objects.get()
    assert [(p.quantity, p.restock) for p in refund.parts.all()] == [(1, True)]
    assert f"Credit note {number} (PDF)" in answer.text
    assert "Still refundable: €48.50" in answer.text
    again = client.post(refund_url(order), data, follow=True)  # a double submit
    assert Refund.objects.count() == 1 and again.status_code == 200


def test_a_refused_refund_comes_back_as_a_message_and_changes_nothing(client, order):
    signed_in(client, fulfilment())
    before = snapshot()
    answer = client.post(refund_url(order), form_data(order, amount="70.00"), follow=True)
    assert shown(answer) == [
        "€70.00 cannot be refunded: only €60.50 of order BW-2026-0001 remains refundable. "
        "Refund less."
    ]
    both = form_data(order, amount="1.00")
    bread = order.lines.get(description="Bread")
    both[f"refund-quantity_{bread.pk}"] = "1"
    answer = client.post(refund_url(order), both, follow=True)
    assert shown(answer) == ["Give units to refund on some lines, or an amount, not both."]
    assert snapshot() == before


def test_staff_who_may_not_refund_are_sent_home_and_nothing_changes(client, order):
    signed_in(client, staff("finance", *FINANCE))
    before = snapshot()
    answer = client.post(refund_url(order), form_data(order, amount="1.00"))
    assert answer.status_code == 302 and answer.url == "/admin/"
    assert snapshot() == before


def test_finance_records_the_transfer_of_a_refund_on_invoice(client, order):
    refund = refund_order(order, user=refunder(), key="k", reason="Late", amount=eur("5.00"))
    signed_in(client, staff("finance", *FINANCE, "catalogue.pay_back_refund"))
    today = timezone.localdate()
    answer = client.post(
        f"{CREDIT_NOTES}refund/{refund.pk}/paid-back/",
        {"paid-back-on": today.isoformat()},
        follow=True,
    )
    assert shown(answer) == ["The transfer of €5.00 to the buyer is recorded."]
    refund.refresh_from_db()
    assert refund.paid_back_on == today


def test_credit_notes_are_listed_and_downloaded_by_staff_and_by_the_buyer(client, order):
    refund = refund_order(order, user=refunder(), key="k", reason="Late", amount=eur("5.00"))
    note = CreditNote.objects.get()
    signed_in(client, staff("auditor", *AUDITOR, "catalogue.view_creditnote"))
    listing = client.get(CREDIT_NOTES)
    assert note.number in listing.text and "BW-2026-0001" in listing.text
    staff_pdf = client.get(f"{CREDIT_NOTES}{note.pk}/pdf/")
    assert staff_pdf["Content-Type"] == "application/pdf"
    client.logout()
    status = client.get(f"/fr/orders/{order.access_token}/")
    buyer_url = f"/fr/orders/{order.access_token}/credit-notes/{note.number}.pdf"
    assert buyer_url in status.text
    buyer_pdf = client.get(buyer_url)
    assert buyer_pdf.status_code == 200
    assert b"".join(buyer_pdf.streaming_content) == b"".join(staff_pdf.streaming_content)
    assert "no-store" in buyer_pdf["Cache-Control"]
    assert client.get(f"/fr/orders/not-a-token/credit-notes/{note.number}.pdf").status_code == 404
    assert refund.credit_note == note
