"""The general-ledger export: one row per entry, each journal's rows summing to zero; the trial
balance per national account, each column summing to zero; an account the mapping leaves out
refused in words with nothing written; the download streams; the command writes both files."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.wages.spending_builders import TODAY, D, fund, officer, staff, worker
from wages.accounts.spending import record_purchase
from wages.general_ledger.chart import DEFAULT, Chart, GlAccount, load_chart
from wages.general_ledger.export import (
    JOURNAL_HEADER,
    TRIAL_BALANCE_HEADER,
    export_problems,
    journal_rows,
    trial_balance_rows,
)
from wages.models import Account

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def ledger():
    person = worker("W-GL0001")
    fund(person, "20.00", key="pay-1", on=days_ago(10))
    fund(person, "10.00", key="pay-2", on=days_ago(2))
    record_purchase(
        worker=person,
        amount=D("3.10"),
        on=days_ago(1),
        description="=Tea",
        key="R-1",
        user=officer(),
    )
    return person


def rows_of(generator) -> list[tuple]:
    return list(generator)


def test_one_row_per_entry_mapped_and_each_journal_sums_to_zero(ledger):
    header, *rows = rows_of(journal_rows(days_ago(5), TODAY, load_chart()))
    assert header[:5] == ("date", "journal", "memo", "chain", "account")
    assert [(r[0], r[1], r[4], r[5], r[7], r[8]) for r in rows] == [
        (days_ago(2).isoformat(), "pay-2", "wages-expense", "6411", "10.00", ""),
        (days_ago(2).isoformat(), "pay-2", "worker:W-GL0001:own-spending", "4670", "", "10.00"),
        (
            days_ago(1).isoformat(),
            "purchase:R-1",
            "worker:W-GL0001:own-spending",
            "4670",
            "3.10",
            "",
        ),
        (days_ago(1).isoformat(), "purchase:R-1", "canteen", "7071", "", "3.10"),
    ]
    assert rows[2][2] == "Purchase R-1: =Tea"  # not a formula start: the memo starts with P
    sums: dict = {}
    for row in rows:
        sums[row[1]] = sums.get(row[1], Decimal(0)) + Decimal(row[7] or 0) - Decimal(row[8] or 0)
    assert sums == {"pay-2": 0, "purchase:R-1": 0}


def test_the_trial_balance_of_the_period_per_national_account(ledger):
    header, *rows = rows_of(trial_balance_rows(days_ago(5), TODAY, load_chart()))
    assert header == ("gl_account", "gl_name", "currency", "opening", "debit", "credit", "closing")
    assert rows == [
        ("4670", "Prisoners: own spending", "EUR", "-20.00", "3.10", "10.00", "-26.90"),
        ("6411", "Prisoners' wages: own workshops", "EUR", "20.00", "10.00", "0.00", "30.00"),
        ("7071", "Canteen takings", "EUR", "0.00", "0.00", "3.10", "-3.10"),
    ]
    for column in (3, 6):  # opening and closing balances sum to zero
        assert sum(Decimal(row[column]) for row in rows) == 0
    assert sum(Decimal(row[4]) for row in rows) == sum(Decimal(row[5]) for row in rows)


def test_an_account_the_mapping_leaves_out_is_refused_in_words(ledger):
    partial = Chart([("worker:*", GlAccount("4670", "Prisoners"))])
    with pytest.raises(ValidationError) as refused:
        export_problems(days_ago(5), TODAY, partial)
    assert refused.value.messages == [
        "No row of the chart-of-accounts mapping covers 2 account(s): canteen, wages-expense. "
        "Add a row for each to chart_of_accounts.csv and export again."
    ]


def test_every_account_code_the_system_makes_is_mapped():
    chart = load_chart(DEFAULT)
    for code in (
        "bank",
        "cash",
        "canteen",
        "wages-expense",
        "wages-expense:back-wages",
        "partner:3:labour",
        "deduction:victims",
        "worker:W-1:own-spending",
        "worker:W-1:own-spending#4",
        "worker:W-1:family",
        "worker:W-1:back-wages",
        "sales:workshop:2",
        "shop:receivables",
        "shop:card-clearing",
        "shop:shipping",
        "shop:refunds-owed",
        "tax-payable",
    ):
        assert chart.map(code) is not None, code
    assert chart.map("worker:W-1:own-spending").number == "4670"
    assert chart.map("wages-expense:back-wages").number == "6412"


def test_the_download_streams_csv_and_refuses_gaps(client, ledger, settings, tmp_path):
    client.force_login(officer())
    url = reverse("general_ledger_export")
    answer = client.get(url, {"start": days_ago(5), "end": TODAY, "file": "journals"})
    assert isinstance(answer, StreamingHttpResponse)
    text = b"".join(answer.streaming_content).decode()
    assert len(list(csv.reader(io.StringIO(text)))) == 5
    chart = tmp_path / "chart.csv"
    chart.write_text("pattern,number,name\nworker:*,4670,Prisoners\n")
    settings.BRIDGEWORK_CHART_OF_ACCOUNTS = str(chart)
    refused = client.get(url, {"start": days_ago(5), "end": TODAY, "file": "trial-balance"})
    assert refused.status_code == 400
    assert "covers 2 account(s): canteen, wages-expense" in refused.content.decode()
    reversed_period = client.get(url, {"start": TODAY, "end": days_ago(5), "file": "journals"})
    assert reversed_period.status_code == 400


def test_supervisors_may_not_export(client, ledger):
    client.force_login(staff("sup", "wagtailadmin.access_admin"))
    assert client.get(reverse("general_ledger_export")).status_code == 302


def test_the_command_writes_both_files_and_refuses_gaps(ledger, tmp_path, settings):
    out = io.StringIO()
    start, end = days_ago(5).isoformat(), TODAY.isoformat()
    call_command(
        "export_general_ledger",
        "--start",
        start,
        "--end",
        end,
        "--output",
        str(tmp_path),
        stdout=out,
    )
    journals = (tmp_path / f"journals-{start}-{end}.csv").read_text().splitlines()
    balance = (tmp_path / f"trial-balance-{start}-{end}.csv").read_text().splitlines()
    assert (len(journals), len(balance)) == (5, 4)
    chart = tmp_path / "chart.csv"
    chart.write_text("pattern,number,name\nworker:*,4670,Prisoners\n")
    settings.BRIDGEWORK_CHART_OF_ACCOUNTS = str(chart)
    target = tmp_path / "only.csv"
    with pytest.raises(CommandError, match="covers 2 account"):
        call_command(
            "export_general_ledger",
            "--start",
            start,
            "--end",
            end,
            "--output",
            str(target),
            "--only",
            "journals",
        )
    assert not target.exists()
    assert Account.objects.filter(code="canteen").exists()


def test_nothing_posted_exports_only_the_headers():
    assert rows_of(journal_rows(days_ago(5), TODAY, load_chart())) == [JOURNAL_HEADER]
    assert rows_of(trial_balance_rows(days_ago(5), TODAY, load_chart())) == [TRIAL_BALANCE_HEADER]
