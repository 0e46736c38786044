"""The purchase screens: record one (refused in words over the balance, nothing changed; a second
click posts once), upload a file checked first then posted (a bad file lists its rows and posts
nothing), and the listing, whose queries do not grow with the purchases."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.wages.spending_builders import YESTERDAY, D, fund, officer, own_balance, snapshot, worker
from wages.accounts.spending import record_purchase
from wages.models import Purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = worker("W-SCRN01")
    fund(person, "10.00")
    return person


@pytest.fixture
def signed_in(client):
    client.force_login(officer())
    return client


def form(amount, click="t-1", **extra):
    return {
        "worker": "W-SCRN01",
        "amount": amount,
        "on": YESTERDAY.isoformat(),
        "description": "Soap",
        "reference": "",
        "token": click,
        **extra,
    }


def test_recording_a_purchase_and_clicking_twice_posts_once(signed_in, person):
    url = reverse("purchase_record")
    assert signed_in.get(url).status_code == 200
    assert signed_in.post(url, form("4.00")).status_code == 302
    assert signed_in.post(url, form("4.00")).status_code == 302
    assert list(Purchase.objects.values_list("key", "amount")) == [("manual:t-1", D("4.00"))]
    assert own_balance(person) == D("6.00")


def test_a_purchase_over_the_balance_is_refused_on_the_form(signed_in, person):
    before = snapshot()
    answer = signed_in.post(reverse("purchase_record"), form("12.50"))
    assert answer.status_code == 400
    assert (
        "The purchase of 12.50 EUR is more than the 10.00 EUR own spending balance of W-SCRN01"
        in answer.content.decode()
    )
    assert snapshot() == before


def upload(client, data: bytes, *, dry_run: bool):
    payload = {"file": SimpleUploadedFile("shop.csv", data, content_type="text/csv")}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("purchase_import"), payload)


FILE = f"date,worker,amount,description,reference\n{YESTERDAY},W-SCRN01,2.50,Tea,S-1\n".encode()


def test_a_file_is_checked_then_posted(signed_in, person):
    before = snapshot()
    checked = upload(signed_in, FILE, dry_run=True)
    assert checked.status_code == 200
    assert snapshot() == before
    posted = upload(signed_in, FILE, dry_run=False)
    assert posted.status_code == 302
    assert own_balance(person) == D("7.50")


def test_a_bad_file_lists_its_rows_and_posts_nothing(signed_in, person):
    before = snapshot()
    bad = FILE + f"{YESTERDAY},W-NOBODY,1.00,Tea,S-2\n".encode()
    answer = upload(signed_in, bad, dry_run=False)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Line 3: Unknown worker “W-NOBODY”." in page
    assert "shop.csv was refused: 1 problem(s); nothing was posted." in page
    assert snapshot() == before


def test_the_listing_makes_as_many_queries_for_many_purchases(signed_in, person):
    url = reverse("purchases")
    record_purchase(
        worker=person, amount=D("0.50"), on=YESTERDAY, description="Tea", key="K", user=officer()
    )
    signed_in.get(url)
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(url).status_code == 200
    for n in range(12):
        record_purchase(
            worker=person,
            amount=D("0.50"),
            on=YESTERDAY,
            description="Tea",
            key=f"K{n}",
            user=officer(),
        )
    with CaptureQueriesContext(connection) as many:
        answer = signed_in.get(url)
    assert len(many) == len(few)
    assert answer.content.decode().count("<td>W-SCRN01</td>") == 13
