"""Orders on a 1024 × 768 tablet, by order fulfilment: an order's page and the listing fit
without scrolling sideways and pass axe (WCAG 2.2 AA); the packer packs a paid order with its
button and cancels an unpaid one, the reason asked in a dialog. (Steps that e-mail the buyer are
left to the shop's journey, which has the buyer's order page their e-mails link to.)"""

import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Order
from core.testing.browser import admin_login
from tests.brand.builders import build_home
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from tests.catalogue.order_builders import build_order, build_shop, staff
from tests.catalogue.order_screens import FULFILMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
PASSWORD = "a-long-test-password-1"


def test_a_packer_packs_and_cancels_orders_on_a_tablet(chromium, live_server):
    build_home()
    shop = build_shop()
    order = build_order(shop, organisation="Mairie de Lyon")
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID, paid_at=timezone.now())
    unpaid = build_order(shop, "BW-2026-0002")
    packer = staff("packer", *FULFILMENT)
    packer.set_password(PASSWORD)
    packer.save()
    User.objects.filter(pk=packer.pk).update(first_name="Pat", last_name="Packer")
    context = chromium.new_context(viewport=TABLET)
    page = context.new_page()
    admin_login(page, live_server.url, "packer", PASSWORD)

    page.goto(f"{live_server.url}/admin/catalogue/order/inspect/{order.pk}/")
    fits_a_tablet(page, "an order's page")
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "order-page-tablet.png"), full_page=True)
    page.get_by_role("button", name="Mark packed").click()
    expect(page.get_by_text("Order BW-2026-0001 packed.")).to_be_visible()
    page.goto(f"{live_server.url}/admin/catalogue/order/inspect/{unpaid.pk}/")
    page.get_by_role("button", name="Cancel the order").first.click()
    page.get_by_role("textbox", name="Why it is cancelled").fill("The buyer asked us to")
    page.get_by_role("dialog").get_by_role("button", name="Cancel the order").click()
    expect(page.get_by_text("Order BW-2026-0002 cancelled")).to_be_visible()

    assert list(Order.objects.order_by("number").values_list("status", "cancel_reason")) == [
        (Order.Status.PACKED, ""),
        (Order.Status.CANCELLED, "The buyer asked us to"),
    ]
    page.goto(f"{live_server.url}/admin/catalogue/order/")
    fits_a_tablet(page, "the orders' listing")
    assert violations(page) == []
    context.close()
