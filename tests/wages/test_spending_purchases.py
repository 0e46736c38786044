"""Recording one purchase from a worker's own spending: the journal it posts, what is refused in
words (over the balance, a day to come, too many decimals, no permission), and that a refusal
changes nothing; the same reference twice posts once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.wages.spending_builders import (
    TODAY,
    YESTERDAY,
    D,
    fund,
    officer,
    own_balance,
    snapshot,
    staff,
    worker,
)
from wages.accounts.spending import record_purchase
from wages.models import Account, Purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = worker("W-SPEND1")
    fund(person, "20.00")
    return person


def buy(person, amount, *, key="R-1", on=YESTERDAY, user=None, description="Soap and tea"):
    return record_purchase(
        worker=person,
        amount=D(amount),
        on=on,
        description=description,
        key=key,
        user=user or officer(),
    )


def test_a_purchase_debits_own_spending_and_credits_the_canteen(person):
    purchase = buy(person, "12.50")
    assert own_balance(person) == D("7.50")
    assert Account.objects.get(code="canteen").balance == D("-12.50")
    assert Account.objects.get(code="canteen").kind == "income"
    journal = purchase.journal
    assert journal.key == "purchase:R-1"
    assert journal.chain.name == f"wages:{TODAY.isoformat()}"
    assert journal.memo == "Purchase R-1: Soap and tea"
    assert sorted((e.account.code, e.amount) for e in journal.entries.all()) == [
        ("canteen", D("-12.50")),
        ("worker:W-SPEND1:own-spending", D("12.50")),
    ]
    assert (purchase.worker, purchase.amount, purchase.bought_on) == (person, D("12.50"), YESTERDAY)


def test_the_whole_balance_may_be_spent(person):
    buy(person, "20.00")
    assert own_balance(person) == D("0.00")


def test_a_purchase_over_the_balance_is_refused_naming_it_and_changes_nothing(person):
    buy(person, "11.80", key="R-0")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        buy(person, "12.50")
    assert refused.value.messages == [
        "The purchase of 12.50 EUR is more than the 8.20 EUR own spending balance of W-SPEND1: "
        "record a smaller purchase, or wait for the next pay run."
    ]
    assert snapshot() == before


def test_a_worker_without_any_account_has_nothing_to_spend():
    nobody = worker("W-EMPTY1")
    before = snapshot()
    with pytest.raises(ValidationError, match=r"than the 0\.00 EUR own spending balance"):
        buy(nobody, "0.01")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("amount", "on", "message"),
    [
        ("0", YESTERDAY, "R-1: A purchase is of more than zero."),
        ("-3.00", YESTERDAY, "R-1: A purchase is of more than zero."),
        ("1.005", YESTERDAY, "R-1: 1.005 has more decimals than EUR has."),
        (
            "1.00",
            TODAY + datetime.timedelta(days=1),
            f"R-1: {(TODAY + datetime.timedelta(days=1)).isoformat()} is still to come: a "
            "purchase is recorded once it is made.",
        ),
    ],
)
def test_bad_purchases_are_refused_in_words_and_change_nothing(person, amount, on, message):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        buy(person, amount, on=on)
    assert refused.value.messages == [message]
    assert snapshot() == before


def test_only_those_allowed_record_purchases(person):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        buy(person, "1.00", user=staff("auditor", "wages.view_purchase"))
    assert snapshot() == before


def test_the_same_reference_twice_is_one_purchase(person):
    first = buy(person, "5.00")
    again = buy(person, "5.00")
    assert again == first
    assert Purchase.objects.count() == 1
    assert own_balance(person) == D("15.00")


def test_the_same_reference_with_another_amount_is_refused(person):
    buy(person, "5.00")
    before = snapshot()
    with pytest.raises(ValidationError, match="Reference R-1 was recorded before"):
        buy(person, "6.00")
    assert snapshot() == before
