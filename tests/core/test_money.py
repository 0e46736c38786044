"""core.money: the one rounding rule, and splits that always sum to the whole."""

from decimal import Decimal

import pytest
from djmoney.money import Money
from hypothesis import given
from hypothesis import strategies as st

from core.money import allocate, minor_unit, round_money


def test_minor_units_follow_the_currency():
    assert (minor_unit("EUR"), minor_unit("JPY"), minor_unit("TND")) == (
        Decimal("0.01"),
        Decimal("1"),
        Decimal("0.001"),
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("2.664", "2.66"),
        ("-2.675", "-2.68"),
        ("0.005", "0.01"),
    ],
)
def test_rounding_is_half_up_to_the_cent(amount, expected):
    assert round_money(Money(amount, "EUR")) == Money(expected, "EUR")


def test_a_split_gives_leftover_cents_to_the_largest_remainders_then_the_earliest():
    assert allocate(Money("100", "EUR"), [1, 1, 1]) == [
        Money("33.34", "EUR"),
        Money("33.33", "EUR"),
        Money("33.33", "EUR"),
    ]
    assert allocate(Money("10.00", "EUR"), [Decimal("0.7"), Decimal("0.2"), Decimal("0.1")]) == [
        Money("7.00", "EUR"),
        Money("2.00", "EUR"),
        Money("1.00", "EUR"),
    ]
    assert allocate(Money("-10", "EUR"), [1, 2]) == [Money("-3.33", "EUR"), Money("-6.67", "EUR")]
    assert allocate(Money("5", "JPY"), [1, 1]) == [Money("3", "JPY"), Money("2", "JPY")]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "Nothing to split between: give at least one weight."),
        ([1, -1], "A split cannot have a negative share."),
        ([0, 0], "A split needs at least one share above zero."),
    ],
)
def test_a_split_refuses_weights_it_cannot_use(weights, message):
    with pytest.raises(ValueError) as refused:
        allocate(Money("10", "EUR"), weights)
    assert str(refused.value) == message


@given(
    cents=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
        any
    ),
)
def test_a_split_always_sums_exactly_to_the_whole(cents, weights):
    total = Money(Decimal(cents).scaleb(-2), "EUR")

    parts = allocate(total, weights)

    assert sum(part.amount for part in parts) == total.amount
    assert all(part.amount == part.amount.quantize(Decimal("0.01")) for part in parts)
    for part, weight in zip(parts, weights, strict=True):
        exact = total.amount * weight / sum(weights)
        assert abs(part.amount - exact) < Decimal("0.01")
