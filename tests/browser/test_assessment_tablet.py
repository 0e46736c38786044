"""An assessment on a 1024 × 768 tablet, by its auditor: the listing and the assessment's page fit
without scrolling sideways and pass axe (WCAG 2.2 AA); the auditor sets a corrective action on a
finding from the page and sees it there."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import CorrectiveAction
from core.testing.browser import admin_login
from tests.brand.builders import build_home
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from tests.compliance.assessment_builders import build_assessment
from tests.compliance.office_builders import build_partner_world, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
PASSWORD = "a-long-test-password-1"


def test_an_auditor_works_on_an_assessment_on_a_tablet(chromium, live_server):
    build_home()
    partner, _workshop, worker = build_partner_world()
    auditor = staff("auditor")
    assessment = build_assessment(auditor, partner, findings=6, worker=worker)
    critical = assessment.check_run.findings.filter(severity="critical").order_by("pk").first()
    due = timezone.localdate() + datetime.timedelta(days=30)
    context = chromium.new_context(viewport=TABLET)
    page = context.new_page()
    admin_login(page, live_server.url, "auditor", PASSWORD)

    page.goto(f"{live_server.url}/admin/compliance/assessment/")
    fits_a_tablet(page, "the assessments' listing")
    assert violations(page) == []
    page.goto(f"{live_server.url}/admin/compliance/assessment/inspect/{assessment.pk}/")
    fits_a_tablet(page, "an assessment's page")
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "assessment-page-tablet.png"), full_page=True)
    finding = page.locator(f"#finding-{critical.pk}")
    finding.get_by_text("Set a corrective action").click()
    finding.get_by_role("textbox", name="What must be done").fill("Cap the shifts at 8 h")
    finding.get_by_role("textbox", name="Owner").fill("Workshop manager")
    finding.get_by_role("textbox", name="Due on").fill(due.isoformat())
    finding.get_by_role("button", name="Set the action").click()
    expect(page.get_by_text(f"The corrective action for {critical.code} is set.")).to_be_visible(
        timeout=30_000
    )
    fits_a_tablet(page, "an assessment's page with an action")

    action = CorrectiveAction.objects.get()
    assert (action.finding_id, action.what, action.owner, action.due_on) == (
        critical.pk,
        "Cap the shifts at 8 h",
        "Workshop manager",
        due,
    )
    context.close()
