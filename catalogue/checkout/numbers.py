"""Order numbers and payment references.

An order number is ``BW-<year>-<six digits>``, counted per year on a counter row
(``OrderCounter``) locked in the transaction that places the order, so no two orders share a
number; a placing that rolls back may leave a number unused, which is allowed for orders (not for
invoices, ``catalogue.invoices``). The counter row is the last lock ``place_order`` takes, after
the stock rows, so it is held only for the few statements that remain.

The **payment reference** a buyer writes on a bank transfer is the ISO 11649 creditor reference
(``RF`` + two check digits + the order number without its dashes): banks check its digits, so a
mistyped reference is caught before the money is sent.
"""

import datetime

from catalogue.models import OrderCounter

PREFIX = "BW"


def next_order_number(on: datetime.date) -> str:
    OrderCounter.objects.get_or_create(year=on.year)
    counter = OrderCounter.objects.select_for_update().get(year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{on.year}-{counter.last:06d}"


def _digits(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def creditor_reference(reference: str) -> str:
    """ISO 11649: ``RF``, two check digits (98 − the number mod 97), then ``reference`` (up to
    21 letters and digits)."""
    body = "".join(char for char in reference.upper() if char.isalnum())
    if not body or len(body) > 21:
        raise ValueError("A creditor reference holds 1 to 21 letters and digits.")
    check = 98 - _digits(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def is_valid_creditor_reference(reference: str) -> bool:
    text = reference.replace(" ", "").upper()
    return len(text) > 4 and text.startswith("RF") and _digits(text[4:] + text[:4]) % 97 == 1
