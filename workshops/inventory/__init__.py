"""The finished-goods inventory's operations: the only way stock changes (DESIGN.md, "Inventory").

Every operation runs in one transaction, locks what it touches in one order (reservation rows by
primary key, then stock rows by primary key, so two operations never wait on each other in a
cycle) and appends one movement per stock row it changes. Each takes a ``key`` (1 to 80
characters): replaying an operation with the same key returns what the first call did and changes
nothing; the same key with different arguments, or for another operation, raises ``KeyReused``.
Batches, reservations and stock changes (returns, write-offs, counts and stocktakes, which share
one namespace) each keep their keys in a table of their own (``workshops.inventory.keys``).
Refusals are ``ValidationError`` subclasses with a message for people, and leave everything as it
was.

    receive_batch(*, sku, quantity, made_from, made_to, user, key, received_on=None) -> Batch
    reserve(lines, *, key, expires_at) -> Reservation          lines: [(sku, quantity), ...]
    release(reservation) -> Reservation
    extend(reservation, *, expires_at) -> Reservation              a longer hold, never shorter
    sell(reservation) -> Reservation
    return_to_stock(sku, quantity, *, key, source, user=None) -> StockMovement
    write_off(sku, quantity, *, key, reason, user=None) -> StockMovement
    count(sku, counted, *, key, reason, user=None) -> StockMovement
    count_stock(counts, *, key, reason, user=None) -> list[StockMovement]   a whole stocktake
    release_expired_reservations(now=None) -> int
    stock_levels(skus) -> list[Stock]                           releases expired reservations first

A reservation that expired is released by ``release_expired_reservations`` (run it from cron or a
timer: ``python manage.py release_expired_reservations``) and whenever ``reserve`` or
``stock_levels`` reads the SKUs it holds. ``sell`` on an expired reservation that was not released
yet sells it (its units are still held); once released, it sells only if the stock is still
available, and otherwise raises ``ReservationExpired``.
"""

from workshops.access import stock_workshops
from workshops.inventory.batches import receive_batch
from workshops.inventory.changes import count, count_stock, return_to_stock, write_off
from workshops.inventory.keys import KeyReused
from workshops.inventory.reservations import (
    extend,
    release,
    release_expired_reservations,
    reserve,
    sell,
    stock_levels,
)
from workshops.inventory.stock import (
    BelowReserved,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
)

__all__ = [
    "BelowReserved",
    "KeyReused",
    "NotEnoughStock",
    "ReservationExpired",
    "ReservationReleased",
    "ReservationSold",
    "count",
    "count_stock",
    "extend",
    "receive_batch",
    "release",
    "release_expired_reservations",
    "reserve",
    "return_to_stock",
    "sell",
    "stock_levels",
    "stock_workshops",
    "write_off",
]
