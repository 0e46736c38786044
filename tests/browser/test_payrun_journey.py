"""A pay run in a real browser, by two finance officers: officer A creates and
calculates the run and is not offered its approval; officer B approves and posts it; the trial
balance on the period's last day then shows what the run credited to a worker."""

import datetime
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from core.formatting import format_number
from core.jobs import Job
from core.testing.browser import admin_login, settled
from tests.browser.test_stock_journey import TABLET, fits_a_tablet, violations
from wages.ledger import tasks as ledger_tasks
from wages.ledger import views as admin_views
from wages.models import Entry, Journal, PayRun, PayRunLine
from wages.payruns import create_pay_run, tasks
from wages.payruns import views as payrun_admin
from workshops.models import Prison

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("BRIDGEWORK_SCREENSHOTS", tempfile.gettempdir()))
PRISON = "jebel-qantar"  # the demo leaves its last month without a run
FIRST, LAST = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


def signed_in(chromium, demo, username):
    context = chromium.new_context(viewport=TABLET)
    page = context.new_page()
    admin_login(page, demo, username, DEMO_PASSWORD)
    return context, page


def test_one_officer_calculates_another_approves_and_posts_and_the_trial_balance_shows_it(
    chromium, demo
):
    prison = Prison.objects.get(slug=PRISON)
    context, page = signed_in(chromium, demo, "finance")
    page.goto(f"{demo}/admin/wages/payrun/new/")
    page.get_by_role("combobox", name="Prison").select_option(label=str(prison))
    page.get_by_role("textbox", name="First day").fill(FIRST.isoformat())
    page.get_by_role("textbox", name="Last day").fill(LAST.isoformat())
    page.get_by_role("button", name="Save").press("Enter")
    expect(page.get_by_text("created: calculate it next")).to_be_visible()
    run = PayRun.objects.get(prison=prison, period_start=FIRST)
    assert (run.status, run.created_by.username) == ("draft", "finance")

    page.get_by_role("button", name="Calculate", exact=True).click()
    expect(page.get_by_text(f"Pay run {run.reference} calculated")).to_be_visible()
    run.refresh_from_db()
    assert (run.status, run.calculated_by.username) == ("calculated", "finance")
    assert run.workers == PayRunLine.objects.filter(run=run).count() > 0
    expect(page.get_by_text("another finance officer must approve it")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    line = PayRunLine.objects.filter(run=run).select_related("worker").order_by("-gross").first()
    row = page.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=line.worker.reference, exact=True)
    )
    expect(row).to_contain_text(format_number(line.gross, "en", places=2))
    settled(page)
    assert violations(page) == []
    fits_a_tablet(page, "the calculated pay run")
    page.screenshot(path=str(SCREENSHOTS / "payrun-calculated.png"), full_page=True)
    context.close()

    context, page = signed_in(chromium, demo, "finance2")
    page.goto(f"{demo}/admin/wages/payrun/inspect/{run.pk}/")
    # Approving and posting each open a dialog with the run's totals: the click in it commits.
    page.get_by_role("button", name="Approve").click()
    dialog = page.locator("#confirm-approve")
    expect(dialog).to_contain_text("Approve this pay run?")
    expect(dialog).to_contain_text(run.reference)
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"Pay run {run.reference} approved")).to_be_visible()
    page.get_by_role("button", name="Post to the ledger").click()
    dialog = page.locator("#confirm-post")
    expect(dialog).to_contain_text("Post this pay run to the ledger?")
    dialog.get_by_role("button", name="Post to the ledger").click()
    expect(page.get_by_text(f"Pay run {run.reference} posted to the ledger")).to_be_visible()
    run.refresh_from_db()
    assert (run.status, run.approved_by.username, run.posted_by.username) == (
        "posted",
        "finance2",
        "finance2",
    )
    # one journal per line paying wages, and one per makers' share and back wages paid out
    journals = Journal.objects.filter(chain=run.chain)
    lines = PayRunLine.objects.filter(run=run)
    assert journals.count() == (
        lines.exclude(payers={}).count()
        + lines.filter(sales_share__gt=0).count()
        + lines.filter(back_wages_paid__gt=0).count()
    )
    assert journals.filter(key__endswith=":sales-share").count() == (
        lines.filter(sales_share__gt=0).count()
    )
    assert Journal.objects.filter(chain=run.chain).values_list(
        "on", flat=True
    ).distinct().get() == (LAST)

    page.get_by_role("link", name="Trial balance", exact=True).click()
    page.get_by_role("button", name="Show filters").click()
    page.locator('button[aria-controls="drilldown-id_on"]').click()
    page.locator("#id_on").fill(LAST.isoformat())
    page.keyboard.press("Escape")
    expect(page.locator("#id_on")).to_be_hidden()
    code = f"worker:{line.worker.reference}:own-spending"
    credit = -Entry.objects.filter(account__code=code, journal__on__lte=LAST).aggregate(
        total=Sum("amount")
    )["total"]
    # Every posted run's own spending for this worker, up to the day: exactly the balance shown.
    paid = PayRunLine.objects.filter(
        worker=line.worker, run__status="posted", run__period_end__lte=LAST
    ).aggregate(total=Sum("own_spending"))["total"]
    assert credit == paid
    assert line.own_spending > Decimal(0)
    row = page.locator("tbody tr").filter(has_text=code)
    expect(row).to_contain_text(format_number(credit, "en", places=2))
    settled(page)
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "payrun-trial-balance.png"), full_page=True)
    context.close()


def test_a_calculation_waits_for_a_worker_and_the_page_shows_the_run_once_it_is_done(
    chromium, demo, settings, monkeypatch
):
    """With the database backend the request only queues the work. The dummy backend stands in
    for it here: the page says the run waits for a worker and reloads itself; once the worker
    (this test) has calculated it, the next reload shows the run's lines, with no click. The
    ledger's verification shows how many journals it has checked. The pages look again after
    an hour while axe reads them, then every second."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(payrun_admin, "REFRESH_SECONDS", 3600)
    monkeypatch.setattr(admin_views, "REFRESH_SECONDS", 3600)
    prison = Prison.objects.get(slug=PRISON)
    finance = User.objects.get(username="finance")
    run = create_pay_run(prison=prison, period_start=FIRST, period_end=LAST, user=finance)
    context, page = signed_in(chromium, demo, "finance")
    page.goto(f"{demo}/admin/wages/payrun/inspect/{run.pk}/")

    page.get_by_role("button", name="Calculate", exact=True).click()
    expect(page.get_by_text("is being calculated in the background")).to_be_visible()
    expect(page.locator("section.bw-job")).to_contain_text("Waiting for a worker since")
    expect(page.get_by_role("button", name="Calculate", exact=True)).to_have_count(0)
    settled(page)
    assert violations(page) == []
    fits_a_tablet(page, "a pay run waiting for a worker")
    page.screenshot(path=str(SCREENSHOTS / "payrun-queued.png"), full_page=True)
    job = Job.objects.get(subject=f"wages.payrun:{run.pk}")
    assert (PayRun.objects.get(pk=run.pk).status, job.status) == ("draft", "queued")

    monkeypatch.setattr(payrun_admin, "REFRESH_SECONDS", 1)
    page.reload()
    expect(page.locator("section.bw-job")).to_have_attribute("data-job-refresh", "1")
    tasks.calculate.call(job_id=job.pk)
    expect(page.get_by_role("button", name="Recalculate")).to_be_visible(timeout=15_000)
    expect(page.locator("section.bw-job")).to_have_count(0)
    run.refresh_from_db()
    assert run.status == "calculated"
    context.close()

    auditor = User.objects.get(username="auditor")
    journals = Journal.objects.count()
    Job.objects.create(
        kind=ledger_tasks.VERIFY_KIND,
        subject=ledger_tasks.LEDGER,
        requested_by=auditor,
        status="running",
        started_at=job.requested_at,
        done=journals // 4,
        total=journals,
    )
    context, page = signed_in(chromium, demo, "auditor")
    page.goto(f"{demo}/admin/ledger/verify/")
    count = f"{format_number(journals // 4, 'en')} of {format_number(journals, 'en')} journals"
    expect(page.locator("section.bw-job")).to_contain_text(count)
    expect(page.get_by_role("button", name="Verify now")).to_have_count(0)
    settled(page)
    assert violations(page) == []
    fits_a_tablet(page, "a verification of the ledger running")
    page.screenshot(path=str(SCREENSHOTS / "ledger-verifying.png"), full_page=True)
    context.close()
