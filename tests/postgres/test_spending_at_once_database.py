"""Purchases at once on PostgreSQL: two that together exceed the own-spending balance post
exactly one (the row lock makes the second read what the first took); the same receipt at once
posts once."""

import pytest
from django.core.exceptions import ValidationError

from core.testing.database import race
from tests.wages.spending_builders import YESTERDAY, D, fund, officer, own_balance, worker
from wages.accounts.spending import record_purchase
from wages.models import Journal, Purchase

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def buy(person, user, amount, key):
    return lambda: record_purchase(
        worker=person, amount=D(amount), on=YESTERDAY, description="Tea", key=key, user=user
    )


def test_two_purchases_at_once_that_exceed_the_balance_post_exactly_one():
    person, user = worker("W-RACE01"), officer()
    fund(person, "20.00")
    journals = Journal.objects.count()
    outcomes = race(buy(person, user, "12.00", "A"), buy(person, user, "9.00", "B"))
    made = [outcome for outcome in outcomes if isinstance(outcome, Purchase)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(made), len(refused)) == (1, 1)
    [purchase] = made
    left = D("20.00") - purchase.amount
    assert refused[0].messages[0].startswith("The purchase of ")
    assert f"than the {left} EUR own spending balance of W-RACE01" in refused[0].messages[0]
    assert own_balance(person) == left
    assert Journal.objects.count() == journals + 1
    assert Purchase.objects.count() == 1


def test_the_same_receipt_at_once_posts_once():
    person, user = worker("W-RACE02"), officer()
    fund(person, "20.00")
    outcomes = race(*(buy(person, user, "3.00", "SAME") for _ in range(4)))
    assert {outcome.pk for outcome in outcomes} == {Purchase.objects.get().pk}
    assert own_balance(person) == D("17.00")
