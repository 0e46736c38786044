"""Paying people in a real browser (issue 22's journey): a finance officer posts a run through
its page; the posting and then the slips wait for a worker (the dummy backend stands in for
``db_worker``, as in ``test_payrun_journey``); the page shows "0 of N payslips made", and once the
worker (this test) has made them, "N of N"; the officer downloads a workshop's slips as one PDF
with one page per worker of that workshop. Then, on the Releases screen, the officer opens the
settlement of the worker the demo released in Ain Zahra in September (ready: September's run paid
their last work), pays it out by bank transfer and downloads the receipt."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect
from pypdf import PdfReader

from brand.demo.seed import DEMO_PASSWORD
from core.jobs import Job
from core.testing.browser import admin_login, settled
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from wages.models import Journal, PayRun, PayRunLine, Payslip, ReleaseSettlement
from wages.payruns import approve_pay_run, calculate_pay_run, create_pay_run
from wages.payruns import tasks as payrun_tasks
from wages.payruns import views as payrun_admin
from wages.payslips import tasks as payslip_tasks
from wages.payslips import views as payslip_admin
from workshops.models import Prison, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
PRISON = "jebel-qantar"  # the demo leaves its last month without a run
# One day of October keeps the run small: its slips are printed while the test waits.
FIRST = LAST = datetime.date(2026, 10, 1)
IBAN = "DE89 3704 0044 0532 0130 00"


def approved_run(prison) -> PayRun:
    finance, finance2 = (User.objects.get(username=name) for name in ("finance", "finance2"))
    run = create_pay_run(prison=prison, period_start=FIRST, period_end=LAST, user=finance)
    run = calculate_pay_run(run, user=finance)
    return approve_pay_run(run, user=finance2)


def test_finance_posts_a_run_downloads_a_workshops_slips_and_pays_a_released_worker_out(
    chromium, demo, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.BRIDGEWORK_PAYSLIPS_AFTER_POSTING = True
    monkeypatch.setattr(payrun_admin, "REFRESH_SECONDS", 3600)
    monkeypatch.setattr(payslip_admin, "REFRESH_SECONDS", 3600)
    run = approved_run(Prison.objects.get(slug=PRISON))
    due = PayRunLine.objects.filter(run=run).count()
    assert due > 0
    context = chromium.new_context(viewport=TABLET, accept_downloads=True)
    page = context.new_page()
    admin_login(page, demo, "finance", DEMO_PASSWORD)
    page.goto(f"{demo}/admin/wages/payrun/inspect/{run.pk}/")

    page.get_by_role("button", name="Post to the ledger").click()
    page.locator("#confirm-post").get_by_role("button", name="Post to the ledger").click()
    expect(page.get_by_text("is being posted in the background")).to_be_visible()
    posting = Job.objects.get(kind=payrun_tasks.POST_KIND, subject=f"wages.payrun:{run.pk}")
    payrun_tasks.post.call(job_id=posting.pk)  # the worker posts; the slips' job is queued
    making = Job.objects.get(kind=payslip_tasks.GENERATE_KIND, subject=f"wages.payrun:{run.pk}")
    assert (making.status, making.requested_by.username) == ("queued", "finance")

    page.reload()
    slips = page.locator("#payslips")
    expect(slips).to_contain_text(f"0 of {due} payslips made.")
    expect(slips.locator("section.bw-job")).to_contain_text("Waiting for a worker since")
    settled(page)
    assert violations(page) == []
    fits_a_tablet(page, "a posted run making its payslips")
    page.screenshot(path=str(SCREENSHOTS / "payslips-queued.png"), full_page=True)

    payslip_tasks.generate.call(job_id=making.pk)  # the worker makes the slips
    page.reload()
    expect(slips).to_contain_text(f"{due} of {due} payslips made.")
    expect(slips.locator("section.bw-job")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate payslips")).to_have_count(0)

    workshop = Workshop.objects.filter(payslips__run=run).order_by("name").distinct().first()
    pages = sum(Payslip.objects.filter(run=run, workshops=workshop).values_list("pages", flat=True))
    link = page.get_by_role("link", name=f"Payslips of {workshop.name} (PDF)")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"
    assert len(PdfReader(path).pages) == pages > 0
    settled(page)
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "payslips-made.png"), full_page=True)

    settlement = (
        ReleaseSettlement.objects.select_related("worker")
        .filter(status="ready")
        .order_by("released_on", "pk")
        .first()
    )
    reference = settlement.worker.reference
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
