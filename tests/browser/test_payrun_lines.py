"""A calculated pay run's lines on a 1024 × 768 tablet: the table of lines fits its container
(no sideways scrolling), warnings first, and a worker's line opens on its own page."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.test_payrun_journey import FIRST, LAST, PRISON, signed_in
from wages.models import PayRunLine
from wages.payruns import calculate_pay_run, create_pay_run
from workshops.models import Prison

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The widths the table needs and the room its container gives it, in CSS pixels.
WIDTHS = """() => {
    const table = document.querySelector("table.bw-lines");
    return {table: table.scrollWidth, room: table.parentElement.clientWidth};
}"""


def test_the_lines_of_a_run_fit_a_tablet_and_each_opens_its_page(chromium, demo):
    finance = User.objects.get(username="finance")
    run = create_pay_run(
        prison=Prison.objects.get(slug=PRISON), period_start=FIRST, period_end=LAST, user=finance
    )
    run = calculate_pay_run(run, user=finance)
    lines = list(PayRunLine.objects.filter(run=run).select_related("worker"))
    first = sorted(lines, key=lambda line: (not line.warnings, line.worker.reference))[0]
    context, page = signed_in(chromium, demo, "finance")

    page.goto(f"{demo}/admin/wages/payrun/inspect/{run.pk}/")

    widths = page.evaluate(WIDTHS)
    assert widths["table"] <= widths["room"], widths
    headers = page.locator("table.bw-lines thead th").all_inner_texts()
    assert [header.strip() for header in headers] == [
        "Worker",
        "Hours",
        "Gross",
        "Own spending",
        "Warnings",
    ]
    page.locator("table.bw-lines tbody th a").first.click()
    expect(page.locator("h1")).to_contain_text(
        f"Pay of {first.worker.reference} in {run.reference}"
    )
    expect(page.get_by_text("Earned in the period")).to_be_visible()
    context.close()
