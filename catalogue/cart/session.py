"""The cart as the session holds it.

    session["cart"] = {"lines": {"<variant id>": {"quantity": 2, "price": "12.50"}}, "count": 2}

Lines are keyed by **variant id**, the same in every language. ``price`` is the unit price the
visitor saw when they added the line (in ``settings.BRIDGEWORK_CURRENCY``): the cart and the
checkout compare it with the price now and show a change before anything is paid. ``count`` (the
number of units) is what the site's header shows, without reading the database.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from moneyed import Money

from core.money import fixed_text

KEY = "cart"


@dataclass(frozen=True)
class StoredLine:
    variant_id: int
    quantity: int
    seen_price: Money


def stored_lines(session) -> list[StoredLine]:
    """The session's lines, oldest first; anything malformed in the session is skipped."""
    lines = []
    for variant_id, line in (session.get(KEY) or {}).get("lines", {}).items():
        try:
            lines.append(
                StoredLine(
                    int(variant_id),
                    int(line["quantity"]),
                    Money(Decimal(line["price"]), settings.BRIDGEWORK_CURRENCY),
                )
            )
        except (KeyError, TypeError, ValueError, ArithmeticError):
            continue
    return lines


def quantity_in_cart(session, variant_id: int) -> int:
    return next(
        (line.quantity for line in stored_lines(session) if line.variant_id == variant_id), 0
    )


def save_lines(session, lines: list[StoredLine]) -> None:
    """Store ``lines``; an empty cart is removed from the session altogether."""
    if not lines:
        session.pop(KEY, None)
        return
    session[KEY] = {
        "lines": {
            str(line.variant_id): {
                "quantity": line.quantity,
                "price": fixed_text(line.seen_price.amount, line.seen_price.currency.code),
            }
            for line in lines
        },
        "count": sum(line.quantity for line in lines),
    }


def put_line(session, line: StoredLine) -> None:
    """Add ``line``, or replace the line of its variant in place."""
    lines = stored_lines(session)
    for index, old in enumerate(lines):
        if old.variant_id == line.variant_id:
            lines[index] = line
            break
    else:
        lines.append(line)
    save_lines(session, lines)


def drop_line(session, variant_id: int) -> bool:
    """Remove the variant's line; False when the cart had none."""
    lines = stored_lines(session)
    kept = [line for line in lines if line.variant_id != variant_id]
    save_lines(session, kept)
    return len(kept) != len(lines)


def empty(session) -> None:
    session.pop(KEY, None)
