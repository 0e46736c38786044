"""The compliance dashboard on a 1024 × 768 tablet, by an auditor: the page does not scroll
sideways (its tables scroll in their own regions), passes axe (WCAG 2.2 AA), and drills down from
a count of open findings to the findings of that rule and severity, then to a finding's page."""

import pytest
from playwright.sync_api import expect

from core.testing.browser import admin_login
from tests.brand.builders import build_home
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from tests.compliance.dashboard_builders import build_dashboard_world
from tests.compliance.office_builders import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


def test_an_auditor_reads_the_dashboard_on_a_tablet_and_drills_into_a_finding(
    chromium, live_server
):
    build_home()
    auditor = staff("auditor")
    world = build_dashboard_world(auditor)
    context = chromium.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, live_server.url, "auditor", PASSWORD)

    page.goto(f"{live_server.url}/admin/compliance/dashboard/")
    fits_a_tablet(page, "the compliance dashboard")
    assert violations(page) == []
    expect(page.get_by_role("img", name="Findings of the last assessments of Acme")).to_be_visible()

    table = page.get_by_role("table", name="Open findings of AS-A2 by rule and severity")
    table.get_by_role("row", name="WAGE_FLOOR").get_by_role("link", name="1").click()
    expect(page.get_by_role("link", name="WAGE_FLOOR")).to_have_count(1)
    page.get_by_role("link", name="WAGE_FLOOR").click()
    expect(page.get_by_role("heading", name="Finding WAGE_FLOOR")).to_be_visible()
    assert page.url.endswith(f"/findings/{world['overdue'].finding.pk}/")
    context.close()
