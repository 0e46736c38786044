"""The pay policy: checked as a whole, and earnings allocated by it exactly."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from wages.models import PayAllocation, PayPolicy
from wages.pay import allocate_earnings, check_policy, policy_on
from workshops.models import DeductionCategory

pytestmark = pytest.mark.django_db
EUR = "EUR"


def category(code):
    return DeductionCategory(code=code, name=code.title())


def allocation(code, percentage, priority=1, floor=None, cap=None):
    return PayAllocation(
        category=category(code),
        percentage=Decimal(percentage),
        priority=priority,
        floor=Money(floor, EUR) if floor is not None else None,
        cap=Money(cap, EUR) if cap is not None else None,
    )


def policy(**fields):
    defaults = {
        "effective_from": datetime.date(2026, 1, 1),
        "minimum_wage": Money("5.00", EUR),
        "floor_share": Decimal(45),
        "training_rate": Money("1.00", EUR),
        "deductions_cap": Decimal(80),
        "protected_own_spending": Decimal(20),
        "sales_share": Decimal(10),
    }
    return PayPolicy(**{**defaults, **fields})


def test_a_policy_over_100_percent_or_over_the_cap_is_refused_with_every_reason():
    with pytest.raises(ValidationError) as refused:
        check_policy(
            policy(deductions_cap=Decimal(50)),
            [allocation("family", 40), allocation("release-savings", 70), allocation("family", 1)],
        )

    assert refused.value.messages == [
        "The allocations add up to 111 %, more than 100 %.",
        "The allocations add up to 111 %, more than the 50 % cap on deductions.",
        "The allocations leave -11 % for own spending, less than the protected 20 %.",
        "A category is allocated twice.",
    ]


def test_own_spending_is_what_is_left_and_cannot_be_allocated():
    with pytest.raises(ValidationError) as refused:
        check_policy(policy(), [allocation("own-spending", 10)])

    assert refused.value.messages == [
        "Own spending is what the allocations leave: do not allocate it."
    ]


def test_earnings_are_split_down_to_the_cent_and_own_spending_takes_the_rest():
    split = allocate_earnings(
        Money("100.01", EUR),
        policy(),
        [allocation("family", "33.33"), allocation("release-savings", "25", priority=2)],
    )

    assert split.parts == {"family": Money("33.33", EUR), "release-savings": Money("25.00", EUR)}
    assert split.own_spending == Money("41.68", EUR)
    assert split.deductions + split.own_spending == Money("100.01", EUR)


def test_floors_and_caps_apply_and_the_cap_on_deductions_cuts_the_last_served_first():
    split = allocate_earnings(
        Money("50.00", EUR),
        policy(deductions_cap=Decimal(60)),
        [
            allocation("board", "10", priority=3, floor="20.00"),
            allocation("family", "30", priority=1, cap="12.00"),
            allocation("release-savings", "20", priority=2),
        ],
    )

    # family 15.00 capped to 12.00, savings 10.00, board raised to 20.00: 42.00 > 30.00 allowed,
    # so board (served last) gives up 12.00
    assert split.parts == {
        "family": Money("12.00", EUR),
        "release-savings": Money("10.00", EUR),
        "board": Money("8.00", EUR),
    }
    assert split.own_spending == Money("20.00", EUR)


def test_the_policy_in_effect_is_the_latest_that_started(db):
    older = policy(effective_from=datetime.date(2025, 1, 1))
    newer = policy(effective_from=datetime.date(2026, 6, 1))
    older.save()
    newer.save()

    assert policy_on(datetime.date(2026, 5, 31)) == older
    assert policy_on(datetime.date(2026, 6, 1)) == newer
    assert policy_on(datetime.date(2024, 12, 31)) is None


percent = st.decimals(min_value=0, max_value=40, places=2)
cents = st.integers(min_value=0, max_value=5_000_000)


@settings(max_examples=200, deadline=None)
@given(
    gross_cents=cents,
    shares=st.lists(
        st.tuples(percent, st.integers(1, 4), st.none() | cents, st.none() | cents), max_size=4
    ),
    cap=st.decimals(min_value=0, max_value=100, places=2),
    protected=st.decimals(min_value=0, max_value=100, places=2),
)
def test_any_split_sums_exactly_and_keeps_the_cap_and_the_protected_minimum(
    gross_cents, shares, cap, protected
):
    allocations = [
        allocation(
            f"c{n}",
            share,
            priority,
            floor=Decimal(lo) / 100 if lo is not None else None,
            cap=Decimal(max(lo or 0, hi)) / 100 if hi is not None else None,
        )
        for n, (share, priority, lo, hi) in enumerate(shares)
    ]
    gross = Money(Decimal(gross_cents) / 100, EUR)

    split = allocate_earnings(
        gross, policy(deductions_cap=cap, protected_own_spending=protected), allocations
    )

    assert split.deductions + split.own_spending == gross
    assert all(part.amount >= 0 for part in split.parts.values())
    assert split.deductions.amount <= gross.amount * cap / 100
    assert split.own_spending.amount >= gross.amount * protected / 100
    assert all(
        part.amount == part.amount.quantize(Decimal("0.01")) for part in split.parts.values()
    )
