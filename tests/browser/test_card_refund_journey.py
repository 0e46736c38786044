"""A card order's journey in a real browser, in English on a desktop: a buyer adds two units of a
product to the cart, checks out choosing the card and is sent to Stripe's Checkout Session, which
(Stripe offline, ``FakeStripe`` inside the live server) sends them straight back to the shop's
"payment being confirmed" page. Stripe's signed ``checkout.session.completed`` event arrives at
the webhook and the page, checking again, shows the order paid. Order fulfilment refunds one unit
in the back office's Refund dialog, back in stock; Stripe's Refunds API answers ``re_…``; the
page lists the refund and its credit note. The buyer downloads the credit note from their order's
page: a PDF whose text says its number and the amount refunded."""

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from catalogue.cards import client
from catalogue.cards.amounts import order_amount
from catalogue.models import CardCheckout, CreditNote, Order, Refund, ShippingRate
from catalogue.shipping.pricing import zone_for
from core.formatting import format_money
from core.testing.browser import admin_login
from core.testing.tools import require_executable
from tests.browser.shop_pages import DESKTOP, TIMEOUT, add_to_cart, two_products, words
from tests.catalogue.card_checks import PAYLOADS, WEBHOOK
from tests.catalogue.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, signed
from workshops.models import Stock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
LANGUAGE = "en"
BUYER = "sam.taylor@example.org"
SESSION = "cs_test_journey_1"
INTENT = "pi_3QxJourneyIntent01"
REFUND_ID = "re_3QxJourneyRefund01"
REASON = "One arrived scratched"


@pytest.fixture
def stripe_in_the_live_server(settings, monkeypatch) -> FakeStripe:
    """Card payment on with test keys, and every call the live server (same process) makes to
    Stripe answered by a ``FakeStripe``: a new Checkout Session's ``url`` is its own
    ``success_url`` (the buyer "pays" at once and comes back); a refund succeeds."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    fake.on(
        "post",
        r"/v1/checkout/sessions",
        lambda request: (
            200,
            {
                "id": SESSION,
                "object": "checkout.session",
                "url": request.params["success_url"],
                "status": "open",
                "payment_status": "unpaid",
            },
        ),
    )
    fake.on(
        "post",
        r"/v1/refunds",
        lambda request: (
            200,
            {
                "id": REFUND_ID,
                "object": "refund",
                "amount": int(request.params["amount"]),
                "currency": "eur",
                "payment_intent": request.params["payment_intent"],
                "status": "succeeded",
            },
        ),
    )
    monkeypatch.setattr(client, "HTTP_CLIENT", fake)
    return fake


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def on_a_desktop(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    return context, context.new_page()


def money(amount) -> str:
    return format_money(amount, LANGUAGE)


def completed_event(order: Order) -> str:
    """Stripe's documented ``checkout.session.completed`` event for ``order``'s session, paid in
    full (``stripe_payloads``)."""
    body = json.loads((PAYLOADS / "checkout_session_completed.json").read_text())
    amount, currency = order_amount(order)
    body["id"] = "evt_journey_completed_1"
    body["data"]["object"].update(
        id=SESSION,
        client_reference_id=order.number,
        metadata={"order": order.number, "attempt": "1"},
        payment_intent=INTENT,
        payment_status="paid",
        status="complete",
        amount_subtotal=amount,
        amount_total=amount,
        currency=currency,
        customer_email=order.email,
    )
    return json.dumps(body)


def checks_out_by_card(page, variant):
    email, name, address, postcode, city, country, place = words(
        LANGUAGE,
        "E-mail",
        "Full name",
        "Address",
        "Postcode",
        "Town or city",
        "Country",
        "Place order",
    )
    page.get_by_label(email, exact=True).fill(BUYER)
    page.get_by_label(name, exact=True).fill("Sam Taylor")
    page.get_by_label(address, exact=True).fill("12 rue des Lilas")
    page.get_by_label(postcode, exact=True).fill("69003")
    page.get_by_label(city, exact=True).fill("Lyon")
    page.get_by_label(country, exact=True).select_option("FR")
    rate = (
        ShippingRate.objects.filter(
            zone=zone_for("FR"),
            kind="delivery",
            max_weight_grams__gte=variant.weight_grams * 2,
            active=True,
        )
        .order_by("max_weight_grams")
        .first()
    )
    page.locator(f'input[name="shipping"][value="{rate.pk}"]').check()
    page.locator('input[name="payment_method"][value="card"]').check()
    page.get_by_role("button", name=place).click()


def test_a_card_order_is_paid_by_its_event_partly_refunded_and_its_credit_note_downloaded(
    chromium, demo, stripe_in_the_live_server
):
    stripe = stripe_in_the_live_server
    product, variant = two_products(LANGUAGE)[0]
    context, page = on_a_desktop(chromium)

    # 1. Two units in the cart; checkout by card; "Stripe" sends the buyer back to be confirmed.
    add_to_cart(page, demo, product, variant)
    (update, check_out) = words(LANGUAGE, "Update", "Check out")
    line = page.locator(f"#line-{variant.pk}")
    line.get_by_role("spinbutton").fill("2")
    line.get_by_role("button", name=re.compile(f"^{update}")).click()
    expect(line.locator(".cart-line__total")).to_have_text(money(variant.price * 2))
    page.get_by_role("link", name=check_out).click()
    checks_out_by_card(page, variant)

    order = Order.objects.get(email=BUYER)
    paid_page = demo + url_in(LANGUAGE, "catalogue_cards:paid", order.access_token)
    expect(page).to_have_url(paid_page)
    (confirming,) = words(LANGUAGE, "Your card payment is being confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text(confirming)
    assert (order.status, order.payment_method) == (Order.Status.AWAITING_PAYMENT, "card")
    (session,) = [r for r in stripe.requests if r.path == "/v1/checkout/sessions"]
    assert session.idempotency_key == f"order:{order.number}:attempt:1"
    assert session.params["client_reference_id"] == order.number
    assert CardCheckout.objects.get(order=order).state == CardCheckout.State.OPEN

    # 2. Stripe's signed event pays the order; the buyer's page, checked now, says so.
    payload = completed_event(order)
    answer = page.request.post(
        demo + WEBHOOK,
        data=payload,
        headers={"Stripe-Signature": signed(payload), "Content-Type": "application/json"},
    )
    assert (answer.status, answer.text()) == (200, "ok")
    (check_now, confirmed) = words(LANGUAGE, "Check now", "Thank you: your payment is confirmed")
    page.get_by_role("link", name=check_now).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(confirmed)
    expect(page.locator("main")).to_contain_text(order.number)
    order.refresh_from_db()
    assert (order.status, order.provider_payment_id, order.review_reason) == (
        Order.Status.PAID,
        INTENT,
        "",
    )
    stock_paid = Stock.objects.get(sku_id=variant.sku_id).on_hand

    # 3. Order fulfilment refunds one unit, back in stock, through the Refund dialog.
    order_line = order.lines.get()
    refund_amount = variant.price  # one unit of two
    staff = chromium.new_context(viewport=DESKTOP)
    staff.set_default_timeout(TIMEOUT)
    office = staff.new_page()
    admin_login(office, demo, "fulfilment", DEMO_PASSWORD)
    office.goto(f"{demo}/admin/catalogue/order/?status={Order.Status.PAID}")
    office.get_by_role("link", name=order.number).click()
    expect(office.locator("#refunds")).to_contain_text(f"Still refundable: {money(order.total)}")
    office.get_by_role("button", name="Refund").first.click()
    dialog = office.get_by_role("dialog")
    units = dialog.get_by_role(
        "spinbutton", name=f"{order_line.description}: units to refund (up to 2)"
    )
    units.fill("1")
    restock = dialog.get_by_role("checkbox", name="Put them back in stock")
    restock.check()
    expect(restock).to_be_checked()
    dialog.get_by_role("textbox", name="Why it is refunded").fill(REASON)
    office.screenshot(path=str(SCREENSHOTS / "card-refund-journey-dialog.png"), full_page=True)
    dialog.get_by_role("button", name="Refund", exact=True).click()

    refund = Refund.objects.get(order=order)
    credit_note = CreditNote.objects.get(refund=refund)
    expect(
        office.get_by_text(
            f"{money(refund_amount)} of order {order.number} refunded: "
            f"credit note {credit_note.number}."
        )
    ).to_be_visible()
    listed = office.locator("#order-refund-list")
    expect(
        listed.get_by_role("link", name=f"Credit note {credit_note.number} (PDF)")
    ).to_be_visible()
    expect(listed).to_contain_text(money(refund_amount))
    expect(listed).to_contain_text(REASON)
    expect(office.locator("#refunds")).to_contain_text(
        f"Still refundable: {money(order.total - refund_amount)}"
    )
    office.locator("#refunds").scroll_into_view_if_needed()
    office.screenshot(path=str(SCREENSHOTS / "card-refund-journey-refunded.png"))
    staff.close()

    # 4. The buyer downloads the credit note from their order's page.
    page.goto(demo + url_in(LANGUAGE, "catalogue_orders:status", order.access_token))
    (download_label,) = words(LANGUAGE, "Download credit note %(number)s (PDF)")
    with page.expect_download() as downloading:
        page.get_by_role("link", name=download_label % {"number": credit_note.number}).click()
    pdf = Path(downloading.value.path()).read_bytes()
    (SCREENSHOTS / "card-refund-journey-credit-note.pdf").write_bytes(pdf)
    context.close()
    assert pdf.startswith(b"%PDF")
    require_executable("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert credit_note.number in text
    assert money(refund_amount) in text

    # What happened, as recorded.
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at is not None
    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id, refund.amount, refund.reason) == (
        Refund.Status.SUCCEEDED,
        REFUND_ID,
        refund_amount,
        REASON,
    )
    assert [(p.line_id, p.quantity, p.restock) for p in refund.parts.all()] == [
        (order_line.pk, 1, True)
    ]
    assert Stock.objects.get(sku_id=variant.sku_id).on_hand == stock_paid + 1
    (asked,) = [r for r in stripe.requests if r.path == "/v1/refunds"]
    assert asked.idempotency_key == f"refund:{refund.key}"
    assert (asked.params["payment_intent"], asked.params["amount"]) == (
        INTENT,
        str(int(refund_amount.amount * 100)),
    )
