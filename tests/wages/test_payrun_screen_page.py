"""The page of a pay run (``wages.payruns.views``): its queries, its lines 100 to a page, its
warnings in words, what it pays in its summary, and the dialogs confirming approval and asking the
reason of a cancellation."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.brand.builders import build_home
from tests.wages.payrun_builders import (
    WEEK_1,
    WEEK_2,
    D,
    attend,
    build_pay_world,
    calculated,
    draft,
    record,
)
from tests.wages.payrun_screens import (
    page_url,
    rows,
    signed_in,
    step_url,
    week_of_work,
)
from wages.models import PayRunLine
from wages.payruns import calculate_pay_run, cancel_pay_run
from wages.payruns.line_display import warning_text
from workshops.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    """The admin's home page, where Wagtail sends a refused user, needs a site."""
    return build_home()


# The page of a run


def test_the_page_of_a_run_makes_as_many_queries_for_10_workers_as_for_2(
    client, django_assert_num_queries
):
    pay = build_pay_world(workers=10)
    for period, workers in ((WEEK_1, pay.workers[:2]), (WEEK_2, pay.workers)):
        for worker in workers:  # own and partner pay, below the partner's market wage
            record(pay, worker, pay.tailoring, period[0], "6", 40)
            record(pay, worker, pay.bakery, period[0] + datetime.timedelta(days=1), "4", 10)
    small, large = calculated(pay, WEEK_1), calculated(pay, WEEK_2)
    signed_in(client, pay.approver)
    client.get(page_url(small))
    client.get(page_url(large))

    with CaptureQueriesContext(connection) as for_2:
        two = client.get(page_url(small))
    with django_assert_num_queries(len(for_2.captured_queries)):
        ten = client.get(page_url(large))

    assert (len(rows(two)), len(rows(ten))) == (2, 10)
    assert all("Below the market wage for Bakery (Acme)" in row[-1] for row in rows(ten))


def test_more_than_100_lines_are_shown_100_to_a_page(client, pay_world):
    run = calculated(pay_world)  # nothing worked: no line of its own
    workers = Worker.objects.bulk_create(
        Worker(reference=f"W-9{n:05d}", legal_name=f"Worker {n}", prison_number=f"P-9{n:05d}")
        for n in range(101)
    )
    PayRunLine.objects.bulk_create(
        PayRunLine(run=run, worker=worker, gross=Decimal(1), own_spending=Decimal(1))
        for worker in workers
    )
    signed_in(client, pay_world.approver)

    first = client.get(page_url(run))
    second = client.get(page_url(run), {"page": 2})

    assert [row[0] for row in rows(first)] == [f"W-9{n:05d}" for n in range(100)]
    assert "Page 1 of 2" in first.text
    assert 'href="?page=2">Next</a>' in first.text
    assert ">Previous</a>" not in first.text
    assert [row[0] for row in rows(second)] == ["W-900100"]
    assert "Page 2 of 2" in second.text
    assert 'href="?page=1">Previous</a>' in second.text
    assert ">Next</a>" not in second.text


@pytest.mark.parametrize(
    ("warning", "text"),
    [
        (
            {
                "code": "below_floor",
                "payer": "partner:7",
                "hourly": "6.50",
                "floor": "7.00",
                "owed": "5.00",
            },
            "Below the wage floor (Acme): 6.50 an hour against 7.00; 5.00 owed as back wages.",
        ),
        (
            {
                "code": "below_floor",
                "payer": "partner:7",
                "trade": 4,
                "hourly": "6.50",
                "floor": "7.00",
                "owed": "5.00",
            },
            "Below the market wage for Joinery (Acme): 6.50 an hour against 7.00; 5.00 owed as "
            "back wages.",
        ),
        ({"code": "over_limit", "days": 2}, "Hours over the working-time limits on 2 day(s)."),
        (
            {"code": "late_records", "days": 3},
            "Includes work of 3 day(s) before the period, recorded late.",
        ),
        (
            {"code": "late_training", "days": 1},
            "Includes training of 1 day(s) before the period, recorded late.",
        ),
        (
            {"code": "no_benchmark", "trade": 4},
            "No market wage benchmark for Joinery in this region: floor not checked.",
        ),
        (
            {"code": "recovery_postponed", "amount": "12.50"},
            "Adjustments of 12.50 exceed this pay: recovered in a later run instead.",
        ),
        ({"code": "something_new"}, "something_new"),
    ],
)
def test_each_warning_is_said_in_words(warning, text):
    assert warning_text(warning, {"partner:7": "Acme", "trade:4": "Joinery"}) == text


def summary(response) -> dict[str, str]:
    """The run's summary lists: each term and its value."""
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        " ".join(div.dt.get_text().split()): " ".join(div.dd.get_text().split())
        for div in soup.select("dl.bw-summary > div")
    }


def test_the_run_says_how_many_records_and_sessions_it_pays_until_cancelled(client, pay_world):
    first = pay_world.workers[0]
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 2), "6", 40)
    record(pay_world, first, pay_world.tailoring, D(2026, 11, 3), "5", 10)
    attend(pay_world, first, D(2026, 11, 4), "2")
    run = draft(pay_world)
    signed_in(client, pay_world.calculator)
    assert "Production records it pays" not in summary(client.get(page_url(run)))

    run = calculate_pay_run(run, user=pay_world.calculator)
    shown_summary = summary(client.get(page_url(run)))

    assert (
        shown_summary["Production records it pays"],
        shown_summary["Training sessions it pays"],
    ) == ("2", "1")
    cancel_pay_run(run, user=pay_world.calculator, reason="Wrong week")
    assert "Production records it pays" not in summary(client.get(page_url(run)))


def test_approving_confirms_with_the_totals_and_cancelling_asks_its_reason_in_its_dialog(
    client, pay_world
):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    page = client.get(page_url(run)).text

    approve = page[page.index('id="confirm-approve"') :]
    approve = approve[: approve.index("</template>")]
    assert "Approve this pay run?" in approve
    assert f"<dd>{run.reference}</dd>" in approve
    assert f"Workers</dt><dd>{run.workers}</dd>" in approve
    assert f"Gross pay</dt><dd>€{run.gross}</dd>" in approve
    assert f"Warnings</dt><dd>{run.warnings}</dd>" in approve
    assert f'action="{step_url(run, "approve")}"' in approve
    assert 'data-a11y-dialog-show="confirm-approve"' in page
    cancel = page[page.index('id="confirm-cancel"') :]
    cancel = cancel[: cancel.index("</template>")]
    assert 'name="reason" maxlength="300" required' in cancel
    assert f'action="{step_url(run, "cancel")}"' in cancel
