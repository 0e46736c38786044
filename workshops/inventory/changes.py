"""Returns, write-offs and stocktakes: units come back, leave unsold, or are counted. The three
share one key namespace (``StockChange``); none ever leaves less on hand than is reserved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workshops.bounds import STOCK_ON_HAND
from workshops.inventory.keys import checked_key, claim_change
from workshops.inventory.stock import (
    BelowReserved,
    Change,
    Kind,
    NotEnoughStock,
    _lock_stock,
    _move,
    _quantity,
    _sku_id,
)
from workshops.models import Stock, StockChange, StockMovement


def _text(value: str, *, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError(message)
    return value


def _reused() -> str:
    return _("The key %(key)s was already used for another operation.")


@transaction.atomic
def return_to_stock(sku, quantity: int, *, key: str, source: str, user=None) -> StockMovement:
    """Units come back on hand (a customer's return); ``source`` names where from."""
    quantity = _quantity(quantity, label=_("The quantity"))
    source = _text(source, message=_("Say where the returned units come from."))
    key = checked_key(key)
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    line = (Kind.RETURNED, stock.sku_id, quantity, source)
    change, earlier = claim_change(Change.RETURN, key, [line], reused=_reused())
    if change is None:
        return earlier[0]
    return _move(
        stock,
        Kind.RETURNED,
        key=change.movement_key,
        on_hand=quantity,
        source=source,
        user=user,
        change=change,
    )


@transaction.atomic
def write_off(sku, quantity: int, *, key: str, reason: str, user=None) -> StockMovement:
    """Units leave stock unsold (damaged, expired); never below what is reserved."""
    quantity = _quantity(quantity, label=_("The quantity"))
    reason = _text(reason, message=_("A write-off needs a reason."))
    key = checked_key(key)
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    line = (Kind.WRITTEN_OFF, stock.sku_id, quantity, reason)
    change, earlier = claim_change(Change.WRITE_OFF, key, [line], reused=_reused())
    if change is None:
        return earlier[0]
    if quantity > stock.on_hand:
        raise NotEnoughStock(
            _("%(sku)s: %(quantity)s cannot be written off, only %(on_hand)s are on hand.")
            % {"sku": stock.sku.code, "quantity": quantity, "on_hand": stock.on_hand}
        )
    if stock.on_hand - quantity < stock.reserved:
        raise BelowReserved(
            _(
                "%(sku)s: writing off %(quantity)s would leave %(left)s on hand, less than the "
                "%(reserved)s reserved."
            )
            % {
                "sku": stock.sku.code,
                "quantity": quantity,
                "left": stock.on_hand - quantity,
                "reserved": stock.reserved,
            }
        )
    return _move(
        stock,
        Kind.WRITTEN_OFF,
        key=change.movement_key,
        on_hand=-quantity,
        reason=reason,
        user=user,
        change=change,
    )


def _not_whole(stock: Stock, counted) -> ValidationError | None:
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        return ValidationError(
            _("%(sku)s: a count is a whole number, zero or more.") % {"sku": stock.sku.code}
        )
    if problem := STOCK_ON_HAND.problem(counted):
        return ValidationError(f"{stock.sku.code}: {problem}")
    return None


def _below_reserved(stock: Stock, counted: int) -> BelowReserved | None:
    if counted < stock.reserved:
        return BelowReserved(
            _("%(sku)s: %(counted)s counted is less than the %(reserved)s reserved.")
            % {"sku": stock.sku.code, "counted": counted, "reserved": stock.reserved}
        )
    return None


def _counted(stock: Stock, counted: int, *, change: StockChange, reason: str, user):
    return _move(
        stock,
        Kind.COUNTED,
        key=change.movement_key,
        on_hand=counted - stock.on_hand,
        counted=counted,
        reason=reason,
        user=user,
        change=change,
    )


@transaction.atomic
def count(sku, counted: int, *, key: str, reason: str, user=None) -> StockMovement:
    """A stocktake of one SKU: on hand becomes ``counted``; never below what is reserved. It
    shares its keys with ``count_stock``: a stocktake of that one SKU under the key replays it."""
    reason = _text(reason, message=_("A count needs a reason."))
    key = checked_key(key)
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    if refused := _not_whole(stock, counted):
        raise refused
    line = (Kind.COUNTED, stock.sku_id, counted, reason)
    change, earlier = claim_change(Change.COUNT, key, [line], reused=_reused())
    if change is None:
        return earlier[0]
    if refused := _below_reserved(stock, counted):
        raise refused
    return _counted(stock, counted, change=change, reason=reason, user=user)


@transaction.atomic
def count_stock(counts: dict, *, key: str, reason: str, user=None) -> list[StockMovement]:
    """A whole stocktake in one go: ``{sku: counted}``; every count is applied or none (the
    refusal lists every SKU that could not be counted)."""
    reason = _text(reason, message=_("A count needs a reason."))
    key = checked_key(key)
    wanted = {_sku_id(sku): counted for sku, counted in counts.items()}
    wanted = {sku_id: wanted[sku_id] for sku_id in sorted(wanted)}
    stocks = _lock_stock(wanted)
    not_whole = {
        sku_id: refused
        for sku_id in wanted
        if (refused := _not_whole(stocks[sku_id], wanted[sku_id]))
    }
    if not not_whole:
        lines = [(Kind.COUNTED, sku_id, counted, reason) for sku_id, counted in wanted.items()]
        reused = _("The key %(key)s was already used for another stocktake.")
        change, earlier = claim_change(Change.COUNT, key, lines, reused=reused)
        if change is None:
            return earlier
    problems = [
        refused
        for sku_id, counted in wanted.items()
        if (refused := not_whole.get(sku_id) or _below_reserved(stocks[sku_id], counted))
    ]
    if problems:
        raise ValidationError([message for refused in problems for message in refused.messages])
    return [
        _counted(stocks[sku_id], counted, change=change, reason=reason, user=user)
        for sku_id, counted in wanted.items()
    ]
