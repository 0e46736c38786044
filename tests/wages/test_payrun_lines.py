"""A pay run's lines on screen (``wages.payruns.line_views``, ``wages.payruns.line_display``): the
run's table keeps what fits a 1024 px tablet, warnings first; each line's page has every figure.

The runs are those of ``tests.wages.payrun_builders`` (a prison's week of November 2026, family
10 %, release savings 20 %, victims' fund 5 %).
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.wages.payrun_builders import (
    WEEK_1,
    D,
    build_finance_officer,
    build_pay_world,
    calculated,
    everything,
    line_of,
    record,
)
from tests.wages.payrun_screens import page_url, rows, signed_in, week_of_work
from wages.payruns.line_display import warning_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home():
    from tests.brand.builders import build_home

    return build_home()


def line_url(line) -> str:
    return f"/admin/wages/payrun/lines/{line.pk}/"


def figures(response) -> dict[str, str]:
    """Every term of the line's page and what it says ("" joins several values with " | ")."""
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        dt.get_text(" ", strip=True): " | ".join(
            re.sub(r"[ \t\n]+", " ", part) for part in dt.find_next_sibling("dd").stripped_strings
        )
        for dt in soup.select("main dl dt")
    }


def warnings_on(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text().split()) for li in soup.select("ul.bw-warnings li")]


def test_lines_with_warnings_come_first_then_the_others_each_in_worker_order(client):
    pay = build_pay_world(workers=4)
    for n, worker in enumerate(pay.workers):
        if n % 2:  # 8 hours at 1.80 in the crew: below the floor of 2.25
            record(pay, worker, pay.crew, D(2026, 11, 2), "8")
        else:  # 6 hours and 40 pieces in tailoring: 17.00, 2.83 an hour
            record(pay, worker, pay.tailoring, D(2026, 11, 2), "6", 40)
    run = calculated(pay)
    signed_in(client, pay.approver)

    response = client.get(page_url(run))

    assert [(row[0], row[2], bool(row[-1])) for row in rows(response)] == [
        ("W-000001", "€14.40", True),
        ("W-000003", "€14.40", True),
        ("W-000000", "€17.00", False),
        ("W-000002", "€17.00", False),
    ]


def test_each_worker_links_to_the_page_of_their_line(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(page_url(run))

    first, second = pay_world.workers
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a["href"] for a in soup.select("table.bw-lines tbody th a")] == [
        line_url(line_of(run, second)),
        line_url(line_of(run, first)),
    ]


def test_the_page_of_a_line_shows_every_figure_of_the_workers_pay(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    response = client.get(line_url(line_of(run, pay_world.workers[1])))

    assert response.status_code == 200
    assert f"<title>Pay of W-000001 in {run.reference}" in response.text
    # 9 hours in the crew at 1.80 (16.20) and 4 hours and 10 pieces for Acme at 6.50 and 0.10
    # (27.00): 43.20; 10 %, 20 % and 5 % of it set aside (15.12), 28.08 to spend. Back wages:
    # the crew's 2.25 floor (4.05 for 9 hours) and Acme's 7.00 benchmark (1.00 for 4 hours).
    assert figures(response) == {
        "Worker": "W-000001",
        "Pay run": f"{run.reference} (calculated)",
        "Period": "Nov 2, 2026 – Nov 8, 2026",
        "Hours": "13.00",
        "Pieces": "10",
        "Training hours": "0.00",
        "Earned in the period": "€43.20",
        "Adjustments": "€0.00",
        "Gross": "€43.20",
        "Paid by": "own workshops: €16.20 | Acme: €27.00",
        "Family": "€4.32",
        "Release-Savings": "€8.64",
        "Victims-Fund": "€2.16",
        "Deductions": "€15.12",
        "Own spending": "€28.08",
        "Back wages owed": "€5.05",
        "own workshops": "€4.05",
        "Acme": "€1.00",
    }
    assert warnings_on(response) == [
        "Below the wage floor (own workshops): €1.80 an hour against €2.25; €4.05 owed as back "
        "wages.",
        "Below the market wage for Bakery (Acme): €6.75 an hour against €7.00; €1.00 owed as "
        "back wages.",
        "Hours over the working-time limits on 1 day(s).",
    ]


def test_the_page_of_a_line_is_written_in_french_with_its_currency(client, pay_world):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)

    with translation.override("fr"):
        response = client.get(
            line_url(line_of(run, pay_world.workers[1])), HTTP_ACCEPT_LANGUAGE="fr"
        )

    shown = figures(response)
    assert (shown["Période"], shown["Brut"], shown["Dépenses personnelles"]) == (
        "02/11/2026 – 08/11/2026",
        "43,20\xa0€",
        "28,08\xa0€",
    )


@pytest.mark.parametrize("role", ["finance", "auditor"])
def test_whoever_opens_the_run_opens_its_lines(client, pay_world, role):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("reader", role))

    assert client.get(page_url(run)).status_code == 200
    assert client.get(line_url(line_of(run, pay_world.workers[0]))).status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "programme", "editor", "fulfilment"])
def test_roles_refused_the_run_are_refused_its_lines(client, pay_world, role):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, build_finance_officer("other", role))
    before = everything()

    response = client.get(line_url(line_of(run, pay_world.workers[1])))

    assert (response.status_code, response.url) == (302, "/admin/")
    assert everything() == before


def test_a_line_that_does_not_exist_is_not_found(client, pay_world):
    signed_in(client, pay_world.approver)

    response = client.get("/admin/wages/payrun/lines/999999/", follow=True)

    assert (response.redirect_chain, response.status_code) == (
        [("/en/admin/wages/payrun/lines/999999/", 302)],
        404,
    )


def test_the_page_of_a_run_makes_a_fixed_number_of_queries(client, django_assert_num_queries):
    pay = build_pay_world(workers=10)
    for worker in pay.workers:
        record(pay, worker, pay.tailoring, WEEK_1[0], "6", 40)
        record(pay, worker, pay.crew, D(2026, 11, 3), "8")
    run = calculated(pay)
    signed_in(client, pay.approver)
    client.get(page_url(run))  # warm-up: sessions, site, content types

    with CaptureQueriesContext(connection) as queries:
        client.get(page_url(run))
    # RUN_PAGE_QUERIES of tests.wages.test_tasks_progress without the job (28 - 1): none of them
    # per line.
    with django_assert_num_queries(27):
        response = client.get(page_url(run))

    assert len(rows(response)) == 10
    assert len(queries.captured_queries) == 27


def test_the_page_of_a_line_makes_a_fixed_number_of_queries(
    client, pay_world, django_assert_num_queries
):
    week_of_work(pay_world)
    run = calculated(pay_world)
    signed_in(client, pay_world.approver)
    url = line_url(line_of(run, pay_world.workers[1]))
    client.get(url)

    # The session, the user, their second factor and permissions, the admin's locales; the line
    # with its run, policy and worker (1), partners and trades named (2), the categories and the
    # policy's allocations (2).
    with django_assert_num_queries(18):
        client.get(url)


def test_a_warning_writes_its_amounts_with_the_runs_currency():
    warning = {"code": "below_floor", "payer": "own", "hourly": "1.8", "floor": "2.25"}

    assert warning_text(warning | {"owed": "4.05"}, {"own": "own workshops"}, "EUR") == (
        "Below the wage floor (own workshops): €1.80 an hour against €2.25; €4.05 owed as back "
        "wages."
    )
