"""Paying a released worker out in a real browser: finance opens the Releases screen, the
settlement of the worker the demo released in Ain Zahra in September (ready: September's run paid
their last work), pays it out by bank transfer and downloads the receipt."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from core.testing.browser import admin_login, settled
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from wages.models import Journal, ReleaseSettlement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
IBAN = "DE89 3704 0044 0532 0130 00"


def test_finance_pays_a_released_worker_out_and_downloads_the_receipt(chromium, demo):
    settlement = ReleaseSettlement.objects.select_related("worker").get(status="ready")
    reference = settlement.worker.reference
    context = chromium.new_context(viewport=TABLET, accept_downloads=True)
    page = context.new_page()
    admin_login(page, demo, "finance", DEMO_PASSWORD)

    page.goto(f"{demo}/admin/wages/releasesettlement/")
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", name="Balances now")).to_be_visible()
    page.get_by_label("Bank transfer").check()
    page.get_by_role("textbox", name="IBAN").fill(IBAN)
    settled(page)
    assert violations(page) == []
    fits_a_tablet(page, "the settlement page")
    page.screenshot(path=str(SCREENSHOTS / "release-settlement.png"), full_page=True)
    page.get_by_role("button", name="Pay out").click()
    expect(page.get_by_text(f"{reference} was paid out")).to_be_visible()

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    pdf = Path(downloading.value.path()).read_bytes()
    (SCREENSHOTS / "release-receipt.pdf").write_bytes(pdf)
    context.close()

    assert pdf.startswith(b"%PDF")
    settlement.refresh_from_db()
    assert (settlement.status, settlement.method, settlement.paid_by.username) == (
        "paid",
        "transfer",
        "finance",
    )
    assert Journal.objects.filter(key=f"release:{reference}").count() == 1
