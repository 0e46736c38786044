"""The family remittances' screens: finance produces a batch from the balances ready, downloads
its files and records a return; a programme manager adds a payee with the signed consent. Each
page in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing.twofactor import login_with_second_factor
from tests.wages.remittance_builders import (
    TODAY,
    build_remittance_world,
    consent_upload,
    credit_family,
    family_balance,
    finance,
    programme,
)
from tests.workshops.builders import build_worker
from wages.models import Payee, RemittanceBatch
from wages.remittances import payee_add, remittance_batch_produce

pytestmark = pytest.mark.django_db
BATCHES = "/admin/wages/remittancebatch/"
PAYEES = "/admin/wages/payee/"


def shown(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def test_finance_produces_downloads_and_records_a_return(client):
    workers, _payees = build_remittance_world()
    login_with_second_factor(client, finance())
    ready = client.get(f"{BATCHES}ready/")
    assert ready.status_code == 200
    assert b"Family of W-000001" in ready.content and b"Family of W-000003" not in ready.content
    day = (TODAY() + datetime.timedelta(days=2)).isoformat()
    produced = client.post(f"{BATCHES}produce/", {"execution_date": day}, follow=True)
    batch = RemittanceBatch.objects.get()
    assert shown(produced) == [
        f"Batch {batch.reference} produced: 2 transfers, €65.50, posted to the ledger."
    ]
    xml = client.get(f"{BATCHES}{batch.pk}/xml/")
    assert b"".join(xml.streaming_content) == batch.xml_file.file.open("rb").read()
    csv = client.get(f"{BATCHES}{batch.pk}/csv/")
    assert b"".join(csv.streaming_content).startswith(b"batch,end_to_end_id,")
    first = batch.remittances.order_by("pk").first()
    returned = client.post(
        f"{BATCHES}remittance/{first.pk}/reject/",
        {"on": TODAY().isoformat(), "reason": "AC04"},
        follow=True,
    )
    assert shown(returned) == [
        f"{first.end_to_end_id} returned: €40.00 is back in W-000001's family balance."
    ]
    assert family_balance(workers[0]) == 40
    again = client.post(
        f"{BATCHES}remittance/{first.pk}/reject/",
        {"on": TODAY().isoformat(), "reason": "AC04"},
        follow=True,
    )
    assert "was returned already" in shown(again)[0]


def page_queries(client, batch) -> int:
    client.get(f"{BATCHES}inspect/{batch.pk}/")  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BATCHES}inspect/{batch.pk}/").status_code == 200
    return len(queries)


def test_the_batch_page_takes_the_same_queries_at_two_sizes(client):
    build_remittance_world()
    login_with_second_factor(client, finance())
    small = remittance_batch_produce(execution_date=TODAY(), user=finance())
    for number in range(4, 9):
        worker = build_worker(f"W-00000{number}")
        credit_family(worker, "3.00", f"more:{number}")
        payee_add(
            worker=worker,
            name=f"Family {number}",
            relationship="child",
            iban="FR7630006000011234567890189",
            consented_on=TODAY(),
            document=consent_upload(),
            user=programme(),
        )
    large = remittance_batch_produce(execution_date=TODAY(), user=finance())
    assert (small.count, large.count) == (2, 5)
    assert page_queries(client, small) == page_queries(client, large) == 17


def test_a_programme_manager_adds_a_payee_with_the_signed_consent(client):
    family = build_remittance_world()[0]
    worker = build_worker("W-000009")
    login_with_second_factor(client, programme())
    answer = client.post(
        f"{PAYEES}new/",
        {
            "worker": worker.pk,
            "name": "Nadia Benali",
            "relationship": "parent",
            "iban": "DE89 3704 0044 0532 0130 00",
            "consented_on": TODAY().isoformat(),
            "document": consent_upload(),
        },
    )
    payee = Payee.objects.get(worker=worker)
    assert answer.status_code == 302 and answer["Location"] == f"{PAYEES}inspect/{payee.pk}/"
    assert (payee.iban, payee.consented) == ("DE89370400440532013000", True)
    refused = client.post(
        f"{PAYEES}new/",
        {"worker": family[0].pk, "name": "X", "relationship": "child", "iban": "DE00123"},
    )
    assert refused.status_code == 200
    assert b"is not valid" in refused.content
