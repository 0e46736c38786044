"""Amounts as a pay run keeps them: rounded half up to the currency's minor unit by
``core.money``'s one rule, and written as text with exactly the currency's decimals."""

from decimal import Decimal

from moneyed import Money

from core.money import round_money

ZERO = Decimal(0)
OWN = "own"  # the payer of the administration's own work and training


def cents(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up to the currency's minor unit (a cent for EUR, a millime for
    TND, a yen for JPY): ``core.money``'s one rule."""
    return round_money(Money(amount, currency)).amount


def money_text(amount: Decimal, currency: str) -> str:
    """An amount as a line keeps it in text (by payer, by category, in warnings): rounded half up
    to the currency's minor unit and written with exactly its decimals ("14.40" EUR, "1.005"
    TND, "14" JPY). For a currency of two decimals it is what ``f"{amount:.2f}"`` wrote before,
    so existing lines and their hashes read the same."""
    return f"{cents(amount, currency):f}"
