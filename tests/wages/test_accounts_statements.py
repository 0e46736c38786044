"""Statements of a worker's sub-account, read from the ledger: opening + money in − money out =
closing, exactly; the period's entries in order; a reversed or future period refused in words;
the page's queries do not grow with the entries; the PDF in the worker's language."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.wages.spending_builders import TODAY, D, fund, officer, staff, worker
from wages.accounts.spending import record_purchase
from wages.accounts.statements import statement
from wages.accounts.views import statement_pdf
from wages.models import Account

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def buy(person, amount, key, on):
    return record_purchase(
        worker=person, amount=D(amount), on=on, description="Tea", key=key, user=officer()
    )


@pytest.fixture
def person():
    person = worker("W-STAT01", language="fr")
    fund(person, "20.00", key="pay-1", on=days_ago(10))
    buy(person, "5.25", "R-1", days_ago(5))
    fund(person, "10.00", key="pay-2", on=days_ago(2))
    buy(person, "3.10", "R-2", days_ago(1))
    return person


def own(person) -> Account:
    return Account.objects.get(worker=person, purpose="own-spending")


def test_opening_plus_entries_is_closing(person):
    found = statement(own(person), days_ago(6), days_ago(1))
    # opening 20.00 (pay-1, before the period); in 10.00 (pay-2); out 5.25 + 3.10 = 8.35
    assert (found.opening, found.money_in, found.money_out) == (D("20"), D("10"), D("8.35"))
    assert found.closing == D("21.65")  # 20.00 + 10.00 − 8.35
    lines = [found.line(entry) for entry in found.entries()]
    assert [(line.on, line.key, line.amount_in, line.amount_out) for line in lines] == [
        (days_ago(5), "purchase:R-1", None, D("5.25")),
        (days_ago(2), "pay-2", D("10"), None),
        (days_ago(1), "purchase:R-2", None, D("3.10")),
    ]
    assert (
        found.opening
        + sum(line.amount_in or 0 for line in lines)
        - sum(line.amount_out or 0 for line in lines)
        == found.closing
    )


def test_a_statement_to_today_closes_at_the_balance(person):
    found = statement(own(person), days_ago(30), TODAY)
    assert (found.opening, found.closing, found.count) == (D(0), D("21.65"), 4)
    assert found.closing == -own(person).balance


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (days_ago(1), days_ago(3), "before it starts"),
        (days_ago(1), TODAY + datetime.timedelta(days=1), "after today"),
    ],
)
def test_a_reversed_or_future_period_is_refused_in_words(person, start, end, message):
    with pytest.raises(ValidationError, match=message):
        statement(own(person), start, end)


def page_url(person, **query):
    url = reverse("worker_account_statement", args=[person.pk, "own_spending"])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_page_shows_the_figures_and_refuses_a_reversed_period(client, person):
    client.force_login(officer())
    answer = client.get(page_url(person, start=days_ago(6), end=days_ago(1)))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'data-figure="opening">€20.00<' in page
    assert 'data-figure="closing">€21.65<' in page
    assert "purchase:R-2" in page
    refused = client.get(page_url(person, start=days_ago(1), end=days_ago(3)))
    assert refused.status_code == 400
    assert "before it starts" in refused.content.decode()


def test_the_page_makes_as_many_queries_for_many_entries_as_for_few(client, person):
    client.force_login(officer())
    url = page_url(person, start=days_ago(30), end=TODAY)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(60):
        fund(person, "1.00", key=f"more-{n}", on=days_ago(3))
    with CaptureQueriesContext(connection) as many:
        answer = client.get(url)
    assert len(many) == len(few)
    assert answer.context["page"].paginator.count == 64


def test_the_worker_page_lists_the_four_balances(client, person):
    client.force_login(officer())
    answer = client.get(reverse("worker_accounts_worker", args=[person.pk]))
    assert answer.status_code == 200
    rows = [(kind, str(balance)) for kind, _label, _account, balance in answer.context["rows"]]
    assert rows == [
        ("own_spending", "€21.65"),
        ("family", "€0.00"),
        ("release_savings", "€0.00"),
        ("back_wages", "€0.00"),
    ]
    listing = client.get(reverse("worker_accounts") + "?q=STAT")
    assert "W-STAT01" in listing.content.decode()
    assert "Legal W-STAT01" not in listing.content.decode()


def test_supervisors_see_no_accounts(client, person):
    client.force_login(staff("sup", "workshops.record_production"))
    assert client.get(reverse("worker_accounts_worker", args=[person.pk])).status_code == 302


def test_the_pdf_holds_the_statement_in_the_workers_language(person, tmp_path):
    found = statement(own(person), days_ago(6), days_ago(1))
    pdf = statement_pdf(found, worker=person, kind="own_spending")
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "W-STAT01" in text
    assert "Legal" not in text
    assert "purchase:R-1" in text
    assert "20,00" in text and "21,65" in text  # French: a decimal comma
