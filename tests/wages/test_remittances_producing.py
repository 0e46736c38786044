"""Producing a remittance batch: the pain.001 file valid against its XSD and read back exactly,
the CSV's exact content, the postings with exact balances, and every refusal changing nothing."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import xmlschema
from django.core.exceptions import PermissionDenied, ValidationError

from core.private_files import PrivateFile
from tests.wages.remittance_builders import (
    TODAY,
    build_remittance_world,
    family_balance,
    finance,
    snapshot,
)
from wages.models import Account, Journal, Remittance
from wages.remittances import ready_to_send, remittance_batch_produce
from wages.remittances.files import SCHEMA

pytestmark = pytest.mark.django_db
D = Decimal
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def world():
    return build_remittance_world()


def produce(**kwargs):
    kwargs.setdefault("execution_date", TODAY() + datetime.timedelta(days=1))
    kwargs.setdefault("user", finance())
    return remittance_batch_produce(**kwargs)


def test_all_ready_balances_make_one_valid_pain001_read_back_exactly(world):
    _workers, _payees = world
    assert [(r.payee.worker.reference, r.balance) for r in ready_to_send()] == [
        ("W-000001", D("40.000")),
        ("W-000002", D("25.500")),
    ]
    batch = produce()
    content = batch.xml_file.file.open("rb").read()
    xmlschema.XMLSchema(SCHEMA).validate(content.decode())  # raises when invalid
    root = ET.fromstring(content)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "65.50"
    assert header.findtext("p:MsgId", namespaces=NS) == batch.message_id
    transfers = root.findall(".//p:CdtTrfTxInf", NS)
    assert [
        (
            t.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            t.find("p:Amt/p:InstdAmt", NS).text,
            t.find("p:Amt/p:InstdAmt", NS).get("Ccy"),
            t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            t.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
            t.findtext("p:Cdtr/p:Nm", namespaces=NS),
        )
        for t in transfers
    ] == [
        (
            f"{batch.reference}-0001",
            "40.00",
            "EUR",
            "DE89370400440532013000",
            "COBADEFFXXX",
            "Family of W-000001",
        ),
        (
            f"{batch.reference}-0002",
            "25.50",
            "EUR",
            "FR7630006000011234567890189",
            "AGRIFRPPXXX",
            "Family of W-000002",
        ),
    ]
    debtor = root.find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text
    assert debtor == "FR7630006000011234567890189"
    assert root.findtext(".//p:ReqdExctnDt", namespaces=NS) == batch.execution_date.isoformat()
    assert (batch.count, batch.total, batch.pain_version) == (2, D("65.500"), "pain.001.001.03")
    assert len(batch.xml_file.sha256) == 64


def test_the_csv_is_exactly_one_row_per_payment(world):
    batch = produce(execution_date=datetime.date(2099, 1, 15))
    text = batch.csv_file.file.open("rb").read().decode()
    ref = batch.reference
    assert text == (
        "batch,end_to_end_id,execution_date,worker,payee,iban,bic,amount,currency\n"
        f"{ref},{ref}-0001,2099-01-15,W-000001,Family of W-000001,DE89370400440532013000,"
        "COBADEFFXXX,40.00,EUR\n"
        f"{ref},{ref}-0002,2099-01-15,W-000002,Family of W-000002,FR7630006000011234567890189,"
        "AGRIFRPPXXX,25.50,EUR\n"
    )


def test_a_remittance_posts_when_its_file_is_produced(world):
    workers, _payees = world
    bank_before = Account.objects.filter(code="bank").first()
    assert bank_before is None
    journals = Journal.objects.count()
    batch = produce()
    assert [family_balance(w) for w in workers] == [D("0"), D("0"), D("0")]
    assert Account.objects.get(code="bank", currency="EUR").balance == D("-65.500")
    assert Journal.objects.count() == journals + 2
    remittances = list(batch.remittances.order_by("pk"))
    assert [(r.worker_id, r.amount, r.status) for r in remittances] == [
        (workers[0].pk, D("40.000"), "posted"),
        (workers[1].pk, D("25.500"), "posted"),
    ]
    journal = Journal.objects.get(key=remittances[0].journal_key)
    assert journal.chain.name == f"wages:{TODAY().isoformat()}"
    assert sorted((e.account.code, e.amount) for e in journal.entries.all()) == [
        ("bank", D("-40.000")),
        ("worker:W-000001:family", D("40.000")),
    ]
    assert ready_to_send() == []


def test_items_send_part_of_a_balance(world):
    workers, payees = world
    batch = produce(items=[(payees[0], D("15.25"))])
    assert (batch.count, batch.total) == (1, D("15.250"))
    assert family_balance(workers[0]) == D("24.750")
    assert family_balance(workers[1]) == D("25.500")


def test_a_payee_without_consent_is_refused_and_nothing_changes(world):
    _workers, payees = world
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        produce(items=[(payees[0], D("10.00")), (payees[2], D("1.00"))])
    assert refused.value.messages == [
        "W-000003's consent to send money to Family of W-000003 is not on file: record the "
        "signed consent first.",
        "1.00 EUR for W-000003 is more than the family balance of 0 EUR: send at most the balance.",
    ]
    assert snapshot() == before


def test_more_than_the_family_balance_is_refused_and_nothing_changes(world):
    _workers, payees = world
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        produce(items=[(payees[1], D("25.51"))])
    assert refused.value.messages == [
        "25.51 EUR for W-000002 is more than the family balance of 25.500 EUR: send at most "
        "the balance."
    ]
    assert snapshot() == before


def test_nothing_to_send_is_refused_and_a_second_batch_sends_nothing_twice(world):
    produce()
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        produce()
    assert refused.value.messages == ["No family balance is ready to send: nothing was produced."]
    assert snapshot() == before


def test_a_past_execution_date_and_a_user_without_the_permission_are_refused(world):
    _workers, payees = world
    before = snapshot()
    with pytest.raises(ValidationError):
        produce(execution_date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        produce(user=payees[0].recorded_by)
    assert snapshot() == before
    assert Remittance.objects.count() == 0


def test_an_amount_of_more_decimals_than_the_currency_is_refused_before_any_file(world):
    _workers, payees = world
    before = snapshot()
    files = PrivateFile.objects.count()
    with pytest.raises(ValidationError) as refused:
        produce(items=[(payees[0], D("10.005"))])
    assert refused.value.messages == ["10.005 for W-000001 has more decimals than EUR has."]
    assert (snapshot(), PrivateFile.objects.count()) == (before, files)
