"""Money: the one rounding rule, and splits that sum exactly.

The rule: an amount is rounded **half up** (0.005 → 0.01) to the minor unit of its currency
(2 decimal places for EUR, 0 for JPY, 3 for TND), once, when a computed amount is stored or shown;
intermediate arithmetic keeps full Decimal precision. A split (a payslip's deductions, a refund over
order lines, a sales share over workshops) is allocated by ``allocate``: each part is rounded down to
the minor unit and the cents left over go one each to the parts with the largest remainders (ties to
the earlier part), so the parts always sum to the whole.
"""

import functools
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from moneyed import CurrencyDoesNotExist, Money, get_currency


def is_known_currency(code: str) -> bool:
    """True for an ISO 4217 code that py-moneyed knows (and so Babel formats and rounds)."""
    try:
        get_currency(code=code)
    except (CurrencyDoesNotExist, TypeError, ValueError):
        return False
    return True


@functools.cache
def decimal_places(currency: str) -> int:
    """How many decimals ``currency`` has: 2 for EUR, 0 for JPY, 3 for TND (ISO 4217, by Babel)."""
    return get_currency_precision(currency)


@functools.cache
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: Decimal("0.01") for EUR, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-decimal_places(currency))


def fixed_text(amount: Decimal, currency: str) -> str:
    """``amount`` written with exactly its currency's decimals ("10.50" EUR, "1.005" TND, "15"
    JPY), never in exponent form: how amounts are written where text must be exact (hashes)."""
    return f"{amount:.{decimal_places(currency)}f}"


def round_money(amount: Money) -> Money:
    """``amount`` rounded half up to its currency's minor unit."""
    unit = minor_unit(amount.currency.code)
    return Money(amount.amount.quantize(unit, rounding=ROUND_HALF_UP), amount.currency)


def allocate(total: Money, weights: list[Decimal | int]) -> list[Money]:
    """Split ``total`` in proportion to ``weights``; the parts sum exactly to ``total`` rounded.

    Raises ValueError for no weights, a negative weight or weights that sum to zero.
    """
    if not weights:
        raise ValueError("Nothing to split between: give at least one weight.")
    weights = [Decimal(weight) for weight in weights]
    if any(weight < 0 for weight in weights):
        raise ValueError("A split cannot have a negative share.")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("A split needs at least one share above zero.")
    currency = total.currency
    unit = minor_unit(currency.code)
    whole = round_money(total).amount
    sign = -1 if whole < 0 else 1
    magnitude = abs(whole)
    exact = [magnitude * weight / weight_sum for weight in weights]
    parts = [share.quantize(unit, rounding=ROUND_DOWN) for share in exact]
    leftover = int((magnitude - sum(parts)) / unit)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[:leftover]:
        parts[index] += unit
    return [Money(sign * part, currency) for part in parts]
