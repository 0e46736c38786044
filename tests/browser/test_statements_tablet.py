"""Bank statements on a 1024 × 768 tablet, by a finance officer: the upload, the statement's
page (it fits without scrolling sideways and passes axe, WCAG 2.2 AA) and a manual match of the
unmatched credit by order number."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalogue.models import StatementLine
from core.testing.browser import admin_login
from tests.brand.builders import build_home
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from tests.catalogue.order_builders import staff
from tests.catalogue.statement_builders import CAMT, build_statement_orders
from tests.catalogue.test_statements_admin import FINANCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
PASSWORD = "a-long-test-password-1"


def test_a_finance_officer_imports_a_statement_and_matches_a_line_on_a_tablet(
    chromium, live_server
):
    build_home()
    build_statement_orders()
    officer = staff("finance", *FINANCE)
    officer.set_password(PASSWORD)
    officer.save()
    context = chromium.new_context(viewport=TABLET)
    page = context.new_page()
    admin_login(page, live_server.url, "finance", PASSWORD)

    page.goto(f"{live_server.url}/admin/catalogue/bankstatement/")
    page.get_by_role("link", name="Import a statement").click()
    expect(page.get_by_label("Statement file")).to_be_visible()
    fits_a_tablet(page, "the statement upload")
    assert violations(page) == []
    page.get_by_label("Statement file").set_input_files(str(CAMT))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Statement 2026050400124 imported")).to_be_visible()
    fits_a_tablet(page, "a statement's page")
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "statement-page-tablet.png"), full_page=True)

    page.get_by_label("Order number").fill("BW-2026-0005")
    page.get_by_role("button", name="Match", exact=True).click()
    expect(
        page.get_by_text("Line 5 matched to order BW-2026-0005: partial payment.")
    ).to_be_visible()
    assert StatementLine.objects.get(position=5).state == "partial"
    page.goto(f"{live_server.url}/admin/catalogue/bankstatement/")
    fits_a_tablet(page, "the statements' listing")
    assert violations(page) == []
    context.close()
