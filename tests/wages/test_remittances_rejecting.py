"""A returned transfer comes back to the family balance with its own journal, once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.wages.remittance_builders import (
    TODAY,
    build_remittance_world,
    family_balance,
    finance,
    programme,
    snapshot,
)
from wages.models import Account, Journal
from wages.remittances import remittance_batch_produce, remittance_reject

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def produced():
    workers, _payees = build_remittance_world()
    batch = remittance_batch_produce(execution_date=TODAY(), user=finance())
    return workers, batch


def test_a_rejection_returns_the_money_once_with_its_own_journal(produced):
    workers, batch = produced
    first = batch.remittances.order_by("pk").first()
    remittance = remittance_reject(
        remittance=first, reason="AC04 account closed", on=TODAY(), user=finance()
    )
    assert (remittance.status, remittance.return_journal_key) == (
        "rejected",
        f"remittance:{first.end_to_end_id}:returned",
    )
    assert family_balance(workers[0]) == D("40.000")
    assert family_balance(workers[1]) == D("0")
    assert Account.objects.get(code="bank").balance == D("-25.500")
    returned = Journal.objects.get(key=remittance.return_journal_key)
    assert returned.reverses_id is None
    assert sorted((e.account.code, e.amount) for e in returned.entries.all()) == [
        ("bank", D("40.000")),
        ("worker:W-000001:family", D("-40.000")),
    ]
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        remittance_reject(remittance=first, reason="again", on=TODAY(), user=finance())
    assert refused.value.messages == [
        f"Remittance {first.end_to_end_id} was returned already on {TODAY().isoformat()}: its "
        "money is back."
    ]
    assert snapshot() == before


def test_a_rejection_without_reason_dated_ahead_or_by_others_is_refused(produced):
    _workers, batch = produced
    first = batch.remittances.first()
    before = snapshot()
    with pytest.raises(ValidationError):
        remittance_reject(remittance=first, reason="  ", on=TODAY(), user=finance())
    with pytest.raises(ValidationError):
        remittance_reject(
            remittance=first, reason="x", on=TODAY() + datetime.timedelta(days=1), user=finance()
        )
    with pytest.raises(PermissionDenied):
        remittance_reject(remittance=first, reason="x", on=TODAY(), user=programme())
    assert snapshot() == before


def test_a_returned_balance_is_ready_to_send_again(produced):
    workers, batch = produced
    remittance_reject(
        remittance=batch.remittances.order_by("pk").first(), reason="x", on=TODAY(), user=finance()
    )
    again = remittance_batch_produce(execution_date=TODAY(), user=finance())
    assert (again.count, again.total) == (1, D("40.000"))
    assert family_balance(workers[0]) == D("0")
