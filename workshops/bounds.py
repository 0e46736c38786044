"""The plausible range of every number people enter into production records, training attendance
and stock, defined here once. The checks of each operation read them from here, so an import, the
grid, an adjustment and a correction refuse the same value with the same words, on SQLite and on
PostgreSQL alike (a value past a database column's size used to be saved by SQLite and to end in
a ``DataError`` on PostgreSQL). The models' check constraints hold the same ranges.

==========================  ==========================================  =====================
number                      entered by                                  range
==========================  ==========================================  =====================
production hours            import, grid, adjustment, correction        0 to 24, 2 decimals
accepted pieces             import, grid, adjustment, correction        0 to 10,000, whole
rejected pieces             import, grid, adjustment, correction        0 to 10,000, whole
training attendance hours   attendance                                  0.01 to 24, 2 decimals
stock quantity              receive, reserve, return, write-off         1 to 100,000, whole
stock on hand, or counted   count, stocktake; any change's result       0 to 1,000,000, whole
==========================  ==========================================  =====================

10,000 pieces is one every 8.6 seconds for a whole day: more than any worker's day. 100,000 is
more than any workshop makes of one SKU in one batch, and 1,000,000 more than any one SKU's shelf.
Releasing and selling move only what a reservation holds, so they enter no number of their own.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Bound:
    low: Decimal
    high: Decimal
    whole: bool
    message: Promise  # with %(value)s, %(low)s and %(high)s

    def contains(self, value) -> bool:
        number = _number(value)
        if number is None or not (self.low <= number <= self.high):
            return False
        return not self.whole or number == number.to_integral_value()

    def problem(self, value) -> str | None:
        """The refusal of ``value`` in words, or None when it is within the bound."""
        if self.contains(value):
            return None
        return str(self.message) % {"value": value, "low": self.low, "high": self.high}


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


HOURS_IN_A_DAY = Decimal(24)  # also the working-time rule's limit of a day (``working_time``)

PRODUCTION_HOURS = Bound(
    Decimal(0),
    HOURS_IN_A_DAY,
    whole=False,
    message=_("%(value)s hours: hours are between %(low)s and %(high)s."),
)
PRODUCTION_PIECES = Bound(
    Decimal(0),
    Decimal(10_000),
    whole=True,
    message=_("%(value)s accepted pieces: a record holds a whole number from %(low)s to %(high)s."),
)
PRODUCTION_REJECTS = Bound(
    Decimal(0),
    Decimal(10_000),
    whole=True,
    message=_("%(value)s rejected pieces: a record holds a whole number from %(low)s to %(high)s."),
)
ATTENDANCE_HOURS = Bound(
    Decimal("0.01"),
    HOURS_IN_A_DAY,
    whole=False,
    message=_("%(value)s hours: attendance is from %(low)s to %(high)s hours."),
)
STOCK_QUANTITY = Bound(
    Decimal(1),
    Decimal(100_000),
    whole=True,
    message=_("%(value)s units: one operation moves a whole number from %(low)s to %(high)s."),
)
STOCK_ON_HAND = Bound(
    Decimal(0),
    Decimal(1_000_000),
    whole=True,
    message=_("%(value)s on hand: stock of one SKU is a whole number from %(low)s to %(high)s."),
)


def production_problems(*, hours, pieces, rejects) -> list[str]:
    """Every production value out of its bound, in words."""
    checks = ((PRODUCTION_HOURS, hours), (PRODUCTION_PIECES, pieces), (PRODUCTION_REJECTS, rejects))
    return [problem for bound, value in checks if (problem := bound.problem(value))]
