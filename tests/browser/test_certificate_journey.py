"""Certificates in a real browser: a visitor checks one at its verification address and finds a
neutral page (no brand, no link to the brand site, not indexed, accessible, no sideways scroll
on a phone) whose signed content downloads; a programme manager issues one from the admin and
revokes it, and the verification page then says it is revoked."""

import datetime
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from brand.demo.register_content import DEMO_TODAY
from brand.demo.seed import DEMO_PASSWORD
from brand.demo.training import AUTHORITY
from core.formatting import format_date
from core.testing.browser import admin_login
from tests.browser.test_accessibility import WCAG_AA
from workshops.models import (
    Assessment,
    Certificate,
    Course,
    Enrolment,
    Worker,
    Workshop,
    WorkshopSupervisor,
)
from workshops.training.attendance import record_attendance
from workshops.training.certificates import issue_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
WORKSHOP = "jebel-qantar-tailoring"
QUALIFICATION = "Pattern cutter"
LEVEL = "EQF level 3"
CHOSEN_NAME = "Nour El Amrani"
# After the demo's last production day, so the sessions stay within the working-time limits.
SESSIONS = [DEMO_TODAY + datetime.timedelta(days=1), DEMO_TODAY + datetime.timedelta(days=2)]
AWARDED_ON = DEMO_TODAY + datetime.timedelta(days=3)
REASON = "Issued before the assessment was moderated."
PHONE = 375


@pytest.fixture
def earned(demo):
    """A demo worker with no training yet, enrolled on a new course, its four hours attended
    through ``record_attendance`` and its assessment passed: eligible for a certificate."""
    workshop = Workshop.objects.get(slug=WORKSHOP)
    worker = (
        Worker.objects.filter(
            assignments__workshop=workshop,
            assignments__end__isnull=True,
            release_date__isnull=True,
            enrolments__isnull=True,
        )
        .order_by("reference")
        .first()
    )
    course = Course.objects.create(
        code="pattern-cutter-3",
        trade=workshop.trade,
        qualification=QUALIFICATION,
        qualification_code="NVTA-TX-318",
        level=LEVEL,
        awarding_body=AUTHORITY,
        required_hours=Decimal(4),
        assessment="Practical test: a graded pattern",
    )
    enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=DEMO_TODAY)
    supervisor = WorkshopSupervisor.objects.filter(workshop=workshop).first().user
    for day in SESSIONS:
        record_attendance(
            enrolment=enrolment,
            workshop=workshop,
            day=day,
            hours="2",
            trainer="Omar Tazi",
            user=supervisor,
        )
    Assessment.objects.create(
        enrolment=enrolment,
        assessed_on=AWARDED_ON,
        outcome=Assessment.Outcome.PASSED,
        assessor=f"{AUTHORITY}: assessor 01",
    )
    return enrolment


def verification_path(certificate: Certificate) -> str:
    return reverse("certificate_verify", args=[certificate.public_id])


def definitions(dl) -> dict[str, str]:
    """A description list as a person reads it, term by description."""
    terms = [text.strip() for text in dl.locator("dt").all_inner_texts()]
    descriptions = [text.strip() for text in dl.locator("dd").all_inner_texts()]
    return dict(zip(terms, descriptions, strict=True))


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def test_visitor_verifies_a_certificate_on_a_neutral_page(page, demo, earned):
    certificate = issue_certificate(
        enrolment=earned,
        holder_name=CHOSEN_NAME,
        user=get_user_model().objects.get(username="programme"),
        language="fr",
    )
    download = reverse("certificate_json", args=[certificate.public_id])

    page.goto(demo + verification_path(certificate))

    expect(page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    assert definitions(page.locator("dl.details")) == {
        "Name": CHOSEN_NAME,
        "Qualification": QUALIFICATION,
        "Qualification code": "NVTA-TX-318",
        "Level": LEVEL,
        "Awarding body": AUTHORITY,
        "Awarded on": format_date(AWARDED_ON, "en"),
        "Certificate number": certificate.public_id,
    }
    assert page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        download,
        reverse("certificate_keys"),
    ]
    assert settings.WAGTAIL_SITE_NAME not in page.content()
    text = page.locator("body").inner_text()
    worker = earned.worker
    for private in [worker.reference, worker.legal_name, worker.prison_number]:
        assert private not in text
    expect(page.locator("meta[name=robots]")).to_have_attribute(
        "content", "noindex, nofollow, noarchive"
    )
    page.screenshot(path=str(SCREENSHOTS / "verify-page.png"), full_page=True)
    assert violations(page) == []

    page.set_viewport_size({"width": PHONE, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(SCREENSHOTS / "verify-page-mobile.png"), full_page=True)
    assert violations(page) == []

    with page.expect_response(demo + download) as downloaded:
        page.get_by_role("link", name="the signed content").click()
    response = downloaded.value
    assert (response.status, response.headers["content-type"]) == (200, "application/json")
    assert response.json()["content"]["certificate"] == certificate.public_id
    expect(page).to_have_url(demo + download)


def test_programme_manager_issues_and_revokes_a_certificate(page, chromium, demo, earned):
    admin_login(page, demo, "programme", DEMO_PASSWORD)

    page.get_by_role("button", name="Training").click()
    page.get_by_role("link", name="Certificates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificates")
    page.get_by_role("link", name="Add certificate").click()
    expect(page).to_have_url(demo + reverse("workshops_certificate:add"))
    enrolment = page.get_by_role("combobox", name="Enrolment")
    # Ready enrolments come first, each saying where it stands.
    expect(enrolment.locator("optgroup").first).to_have_attribute(
        "label", "Ready for a certificate"
    )
    enrolment.select_option(value=str(earned.pk))
    page.get_by_role("textbox", name="Name on the certificate").fill(CHOSEN_NAME)
    page.get_by_role("combobox", name="Language").select_option("fr")
    page.get_by_role("button", name="Save").first.click()

    expect(page.locator(".messages .success")).to_contain_text(
        f"Certificate issued to {CHOSEN_NAME}."
    )
    expect(page.locator(".messages .success a")).to_have_count(0)  # nothing to edit
    certificate = Certificate.objects.get(enrolment=earned)
    inspect = reverse("workshops_certificate:inspect", args=[certificate.pk])
    expect(page).to_have_url(demo + inspect)
    assert definitions(page.locator("main dl"))["Status"] == "Valid"

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke a certificate")
    page.get_by_role("textbox", name="Reason").fill(REASON)
    page.get_by_role("button", name="Revoke a certificate").click()
    expect(page.locator(".messages .success")).to_have_text(
        f"The certificate of {CHOSEN_NAME} is revoked."
    )
    expect(page).to_have_url(demo + inspect)

    visitor = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    verification = visitor.new_page()
    verification.goto(demo + verification_path(certificate))
    expect(verification.get_by_role("heading", level=1)).to_have_text("Revoked certificate")
    expect(verification.get_by_role("status")).to_contain_text(
        f"This certificate was revoked on {format_date(timezone.localdate(), 'en')}."
    )
    assert REASON not in verification.locator("body").inner_text()
    visitor.close()

    certificate.refresh_from_db()
    assert (
        certificate.holder_name,
        certificate.language,
        certificate.content["holder"],
        certificate.issued_on,
        certificate.revoked_on,
        certificate.revocation_reason,
    ) == (CHOSEN_NAME, "fr", CHOSEN_NAME, timezone.localdate(), timezone.localdate(), REASON)
