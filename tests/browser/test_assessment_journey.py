"""An auditor's assessment in a real browser, on the seeded demo: the compliance dashboard, a
finding drilled into from its count, the record behind it, then the demo's assessment in progress
(the building crew's) given its last corrective action, written up, signed off and its PDF report downloaded and read back."""

import datetime
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from compliance.models import Assessment
from core.testing.browser import admin_login, settled
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
WORKSHOP = "wadi-sahel-building-crew"  # the demo's assessment in progress
ACTION = "Timetable the course hours within the working week for every worker of the crew."
SUMMARY = "Two women of 21 workers against 39 % in the prison: access to the trade must open."


def test_an_auditor_drills_into_a_finding_signs_the_assessment_and_downloads_the_report(
    chromium, demo
):
    workshop = Workshop.objects.get(slug=WORKSHOP)
    assessment = Assessment.objects.get(workshop=workshop, status=Assessment.Status.IN_PROGRESS)
    context = chromium.new_context(viewport=TABLET, accept_downloads=True)
    page = context.new_page()
    admin_login(page, demo, "auditor", DEMO_PASSWORD)

    page.goto(f"{demo}/admin/compliance/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance dashboard")
    settled(page)
    fits_a_tablet(page, "the compliance dashboard")
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "compliance-dashboard.png"), full_page=True)

    # The building crew's open findings, by rule and severity: its GENDER_ACCESS count → the
    # findings → the finding → a record it cites.
    card = page.locator(f"section.bw-card:has(h3:has-text('{workshop.name}'))")
    row = card.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="GENDER_ACCESS"))
    row.get_by_role("link").first.click()
    expect(page.locator("tbody tr").first).to_contain_text("GENDER_ACCESS")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    expect(page.locator("main")).to_contain_text("GENDER_ACCESS")
    finding_page = page.url
    evidence = page.locator("main ul.bw-touch a").first
    cited = evidence.get_attribute("href")
    assert cited.startswith("/admin/") and cited != finding_page
    evidence.click()
    expect(page).to_have_url(f"{demo}{cited}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{demo}/admin/compliance/assessment/inspect/{assessment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(assessment.reference)
    # Every open critical or major finding needs its corrective action before the sign-off.
    due = datetime.date.today() + datetime.timedelta(days=30)
    without = assessment.check_run.findings.filter(
        severity__in=("critical", "major"), actions__isnull=True
    )
    assert [finding.code for finding in without] == ["TRAINING_SHARE"]
    for finding in without:
        article = page.locator(f"#finding-{finding.pk}")
        article.get_by_text("Set a corrective action").click()
        article.get_by_role("textbox", name="What must be done").fill(ACTION)
        article.get_by_role("textbox", name="Owner").fill("Head of learning")
        article.get_by_role("textbox", name="Due on").fill(due.isoformat())
        article.get_by_role("button", name="Set the action").click()
        expect(page.get_by_text(f"The corrective action for {finding.code} is set.")).to_be_visible(
            timeout=30_000
        )
    page.get_by_role("textbox", name="Summary").fill(SUMMARY)
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("The summary is saved.")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Sign the assessment off").click()
    expect(page.get_by_text("Signed by")).to_be_visible(timeout=30_000)
    assessment.refresh_from_db()
    workshop.refresh_from_db()
    assert (assessment.status, assessment.summary, assessment.signed_by.username) == (
        "signed",
        SUMMARY,
        "auditor",
    )
    assert assessment.outcome == assessment.default_outcome
    assert (workshop.fairness, workshop.fairness_assessment) == (
        assessment.outcome,
        assessment.reference,
    )
    settled(page)
    fits_a_tablet(page, "the signed assessment")
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "assessment-signed.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert download.value.suggested_filename == f"assessment-{assessment.reference}.pdf"
    pdf = SCREENSHOTS / download.value.suggested_filename
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert assessment.reference in text
    assert "GENDER_ACCESS" in text
    assert SUMMARY.split(":")[0] in " ".join(text.split())
    context.close()
