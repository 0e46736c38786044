"""Remittances under concurrency on PostgreSQL: two batches produced at once send each family
balance once (the family accounts are locked in pk order before their balances are read); the
same remittance returned twice at once comes back once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.testing.database import race
from tests.wages.remittance_builders import (
    TODAY,
    build_remittance_world,
    family_balance,
    finance,
)
from wages.models import Account, Journal, Remittance, RemittanceBatch
from wages.remittances import remittance_batch_produce, remittance_reject

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_two_batches_at_once_make_one_payment_per_family():
    workers, _payees = build_remittance_world()
    user = finance()
    journals = Journal.objects.count()
    outcomes = race(
        lambda: remittance_batch_produce(execution_date=TODAY(), user=user),
        lambda: remittance_batch_produce(execution_date=TODAY(), user=user),
    )
    made = [o for o in outcomes if isinstance(o, RemittanceBatch)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (1, 1)
    assert refused[0].messages == ["No family balance is ready to send: nothing was produced."]
    assert (made[0].count, made[0].total) == (2, D("65.500"))
    assert Remittance.objects.count() == 2
    assert Journal.objects.count() == journals + 2
    assert [family_balance(w) for w in workers] == [D("0"), D("0"), D("0")]
    assert Account.objects.get(code="bank").balance == D("-65.500")


def test_the_same_balance_by_items_twice_at_once_is_sent_once():
    workers, payees = build_remittance_world()
    user = finance()
    outcomes = race(
        lambda: remittance_batch_produce(
            items=[(payees[0], D("30.00"))], execution_date=TODAY(), user=user
        ),
        lambda: remittance_batch_produce(
            items=[(payees[0], D("30.00"))], execution_date=TODAY(), user=user
        ),
    )
    made = [o for o in outcomes if isinstance(o, RemittanceBatch)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (1, 1)
    assert refused[0].messages == [
        "30.00 EUR for W-000001 is more than the family balance of 10.000 EUR: send at most "
        "the balance."
    ]
    assert family_balance(workers[0]) == D("10.000")


def test_a_remittance_returned_twice_at_once_comes_back_once():
    workers, _payees = build_remittance_world()
    user = finance()
    batch = remittance_batch_produce(execution_date=TODAY(), user=user)
    first = batch.remittances.order_by("pk").first()
    outcomes = race(
        lambda: remittance_reject(remittance=first, reason="AC04", on=TODAY(), user=user),
        lambda: remittance_reject(remittance=first, reason="AC04", on=TODAY(), user=user),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Remittance", "ValidationError"]
    assert family_balance(workers[0]) == D("40.000")
    assert Journal.objects.filter(key__endswith=":returned").count() == 1
