"""The back-office listings of wages records (``wages.viewsets``): pay runs and the ledger are
read-only (no delete, no bulk action, even for finance), money and dates are written as people
read them (``core.columns``), and the exports keep the machine formats.

The world is ``tests.wages.payrun_builders``': one worker's week of tailoring (6 hours, 40
pieces at 2.00 an hour and 0.125 a piece: 12.00 + 5.00 = 17.00 gross), posted as run
PR-north-prison-2026-11-02, the ledger closed up to that week's end and verified once.
"""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from djmoney.money import Money
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.wages.payrun_builders import D, build_finance_officer, posted, record
from wages.ledger import close_period, record_verification
from wages.models import Journal, PayRate

pytestmark = pytest.mark.django_db

RUN = "PR-north-prison-2026-11-02"
NNBSP, NBSP = "\u202f", "\xa0"


@pytest.fixture
def run(pay_world):
    build_home()
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 2), "6", 40)
    run = posted(pay_world)
    close_period(D(2026, 11, 8), user=pay_world.approver)
    record_verification(user=pay_world.approver)
    return run


def rows(response) -> list[list[str]]:
    """The listing's cells, white space of the markup collapsed (the no-break spaces that money
    and dates are written with are kept)."""
    soup = BeautifulSoup(response.text, "html.parser")
    return [
        [re.sub(r"[ \t\n]+", " ", td.get_text(" ")).strip() for td in tr.select("td")]
        for tr in soup.select("table.listing tbody tr")
    ]


def deleting(response) -> dict:
    """How many rows a listing shows, and what it offers for deleting them: links to a delete
    view, bulk-action checkboxes, and the bulk action's button."""
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        "status": response.status_code,
        "rows": len(soup.select("table.listing tbody tr")),
        "delete links": [a["href"] for a in soup.select("a[href*='/delete/']")],
        "checkboxes": len(soup.select("table.listing input[type=checkbox]")),
        "delete selected": "Delete selected" in response.text,
    }


NOTHING = {"status": 200, "rows": 1, "delete links": [], "checkboxes": 0, "delete selected": False}


def test_finance_can_delete_nothing_from_the_pay_run_and_ledger_listings(client, run, pay_world):
    login_with_second_factor(client, pay_world.approver)

    offered = {
        model: deleting(client.get(f"/admin/wages/{model}/"))
        for model in (
            "payrun",
            "account",
            "journal",
            "checkpoint",
            "periodclose",
            "ledgerverification",
            "paypolicy",  # kept by finance: the one listing here that offers deleting
        )
    }

    # accounts: wages; the worker's own spending, family and savings; the victims' fund
    assert offered == {
        "payrun": NOTHING,
        "account": NOTHING | {"rows": 5},
        "journal": NOTHING,
        "checkpoint": NOTHING,
        "periodclose": NOTHING,
        "ledgerverification": NOTHING,
        "paypolicy": NOTHING
        | {"delete links": [f"/admin/wages/paypolicy/delete/{pay_world.policy.pk}/"]},
    }


def test_the_pay_run_listing_writes_money_and_dates_in_the_readers_language(client, run, pay_world):
    login_with_second_factor(client, pay_world.approver)
    english = rows(client.get("/admin/wages/payrun/"))
    profile = UserProfile.get_for_user(pay_world.approver)
    profile.preferred_language = "fr"
    profile.save()

    french = rows(client.get("/admin/wages/payrun/"))

    # reference, prison, period, status, workers, gross, warnings
    assert english == [
        [
            f"{RUN} Inspect",
            "North Prison",
            "Nov 2, 2026 to Nov 8, 2026",
            "Posted",
            "1",
            "€17.00",
            "0",
        ]
    ]
    assert [french[0][2], french[0][3], french[0][5]] == [
        "02/11/2026 au 08/11/2026",
        "Comptabilisé",
        f"17,00{NBSP}€",
    ]


def test_rates_are_shown_as_finely_as_they_are_kept(client, run, pay_world):
    login_with_second_factor(client, pay_world.approver)

    listed = rows(client.get("/admin/wages/payrate/"))

    # applies to, per hour, per accepted piece, from, until
    assert [row[1:5] for row in listed] == [
        ["€2.00", "€0.125", "Jan 1, 2026", ""],
        ["€1.80", "", "Jan 1, 2026", ""],
    ]
    assert [row[0] for row in listed] == [
        "Workshop tailoring-north Edit Copy Inspect Delete",
        "Every workshop in Bakery Edit Copy Inspect Delete",
    ]


def test_an_auditor_exports_the_journals_as_csv_in_machine_formats(client, run):
    auditor = build_finance_officer("auditor-1", role="auditor")
    login_with_second_factor(client, auditor)

    response = client.get("/admin/wages/journal/", {"export": "csv"})

    body = b"".join(response.streaming_content).decode()
    header, *lines = list(csv.reader(io.StringIO(body)))
    assert (response.status_code, response["Content-Disposition"]) == (
        200,
        'attachment; filename="journals.csv"',
    )
    assert header == [
        "Accounting date",
        "Key",
        "Memo",
        "Chain",
        "Number in its chain",
        "Previous hash",
        "Hash",
        "Reverses",
    ]
    assert [line[:6] + line[7:] for line in lines] == [
        [
            "2026-11-08",
            f"payrun:{RUN}:W-000000",
            f"Pay run {RUN}, 2026-11-02 to 2026-11-08 · W-000000",
            f"payrun:{RUN}",
            "1",
            "",
            "",
        ]
    ]


def fields(response) -> dict[str, str]:
    """A record's page: each field's label and value."""
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        dt.get_text(strip=True): re.sub(r"[ \t\n]+", " ", dt.find_next("dd").get_text(" ")).strip()
        for dt in soup.select("main dl dt")
    }


def test_a_records_page_writes_its_money_and_dates_as_its_listing_does(client, run, pay_world):
    login_with_second_factor(client, pay_world.approver)
    journal = Journal.objects.get()

    journal_page = fields(client.get(f"/admin/wages/journal/inspect/{journal.pk}/"))
    policy_page = fields(client.get(f"/admin/wages/paypolicy/inspect/{pay_world.policy.pk}/"))

    assert journal_page["Accounting date"] == "Nov 8, 2026"
    assert {
        label: policy_page[label]
        for label in (
            "In effect from",
            "National minimum wage per hour",
            "Pay per hour of training",
        )
    } == {
        "In effect from": "Jan 1, 2026",
        "National minimum wage per hour": "€5.00",
        "Pay per hour of training": "€1.00",
    }


def test_a_change_to_a_pay_rate_is_logged_and_shown_in_its_history(client, run, pay_world):
    login_with_second_factor(client, pay_world.approver)
    rate = PayRate.objects.get(workshop=pay_world.tailoring)
    url = f"/admin/wages/payrate/edit/{rate.pk}/"

    response = client.post(
        url,
        {
            "workshop": pay_world.tailoring.pk,
            "trade": "",
            "hourly_0": "2.50",
            "hourly_1": "EUR",
            "piece_0": "0.1250",
            "piece_1": "EUR",
            "effective_from": "2026-01-01",
            "effective_to": "",
        },
    )
    history = client.get(f"/admin/wages/payrate/history/{rate.pk}/")

    rate.refresh_from_db()
    assert (response.status_code, response.url, rate.hourly) == (
        302,
        "/admin/wages/payrate/",
        Money("2.50", "EUR"),
    )
    assert list(
        ModelLogEntry.objects.filter(
            object_id=str(rate.pk), content_type__model="payrate"
        ).values_list("action", "user__username")
    ) == [("wagtail.edit", "approver")]
    assert [row[:2] for row in rows(history)] == [["Edited", "approver"]]
