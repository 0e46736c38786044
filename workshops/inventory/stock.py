"""Stock rows and their movements: the refusals every inventory operation raises, and the one
way a stock row changes (``_move``: one movement per change, on a row locked in primary-key order).

When a change alters how many units are **available** (on hand, not reserved), the Wagtail hook
``bridgework_stock_available_changed(sku_id, before, after)`` is called once the transaction
commits: the shop, above this app, registers it to refresh what its cached pages show.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks

from workshops.bounds import STOCK_ON_HAND, STOCK_QUANTITY
from workshops.models import SKU, Reservation, Stock, StockChange, StockMovement

Kind = StockMovement.Kind
State = Reservation.State
Change = StockChange.Kind
STOCK_AVAILABLE_CHANGED = "bridgework_stock_available_changed"


def _announce(sku_id: int, before: int, after: int) -> None:
    for receiver in hooks.get_hooks(STOCK_AVAILABLE_CHANGED):
        receiver(sku_id=sku_id, before=before, after=after)


class NotEnoughStock(ValidationError):
    """More was asked for than is available (on hand and not reserved)."""


class BelowReserved(ValidationError):
    """A write-off or a count would leave less on hand than is reserved."""


class ReservationReleased(ValidationError):
    """The reservation was released: it can no longer be sold."""


class ReservationExpired(ValidationError):
    """The reservation expired, was released, and its units are no longer available."""


class ReservationSold(ValidationError):
    """The reservation was sold: it can no longer be released."""


def _quantity(value, *, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("%(label)s must be a whole number.") % {"label": label})
    if value <= 0:
        raise ValidationError(_("%(label)s must be more than zero.") % {"label": label})
    if problem := STOCK_QUANTITY.problem(value):
        raise ValidationError(problem)
    return value


def _sku_id(sku) -> int:
    return sku.pk if isinstance(sku, SKU) else int(sku)


def _lock_stock(sku_ids: Iterable[int]) -> dict[int, Stock]:
    """The stock rows of these SKUs (made when missing), locked in primary-key order."""
    sku_ids = sorted(set(sku_ids))
    existing = set(Stock.objects.filter(sku_id__in=sku_ids).values_list("sku_id", flat=True))
    missing = [Stock(sku_id=sku_id) for sku_id in sku_ids if sku_id not in existing]
    if missing:
        Stock.objects.bulk_create(missing, ignore_conflicts=True)
    rows = Stock.objects.select_for_update(of=("self",)).filter(sku_id__in=sku_ids).order_by("pk")
    return {row.sku_id: row for row in rows.select_related("sku")}


def _move(stock: Stock, kind: str, *, key: str, on_hand=0, reserved=0, **fields) -> StockMovement:
    if problem := STOCK_ON_HAND.problem(stock.on_hand + on_hand):  # before anything changes
        raise ValidationError(f"{stock.sku.code}: {problem}")
    before = stock.available
    stock.on_hand += on_hand
    stock.reserved += reserved
    stock.save(update_fields=["on_hand", "reserved"])
    if stock.available != before:
        sku_id, after = stock.sku_id, stock.available
        transaction.on_commit(lambda: _announce(sku_id, before, after))
    return StockMovement.objects.create(
        stock=stock,
        kind=kind,
        on_hand_change=on_hand,
        reserved_change=reserved,
        key=key,
        **fields,
    )
