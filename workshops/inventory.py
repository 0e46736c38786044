"""The finished-goods inventory's operations: the only way stock changes (DESIGN.md, "Inventory").

Every operation runs in one transaction, locks what it touches in one order (reservation rows by
primary key, then stock rows by primary key, so two operations never wait on each other in a
cycle) and appends one movement per stock row it changes. Each takes a ``key`` (1 to 80
characters): replaying an operation with the same key returns what the first call did and changes
nothing; the same key with different arguments, or for another operation, raises ``KeyReused``.
Batches, reservations and stock changes (returns, write-offs, counts and stocktakes, which share
one namespace) each keep their keys in a table of their own (``workshops.inventory_keys``).
Refusals are ``ValidationError`` subclasses with a message for people, and leave everything as it
was.

    receive_batch(*, sku, quantity, made_from, made_to, user, key, received_on=None) -> Batch
    reserve(lines, *, key, expires_at) -> Reservation          lines: [(sku, quantity), ...]
    release(reservation) -> Reservation
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

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from workshops.bounds import STOCK_ON_HAND, STOCK_QUANTITY
from workshops.inventory_keys import KeyReused, checked_key, claim_change, claimed
from workshops.models import (
    SKU,
    Batch,
    Reservation,
    ReservationLine,
    Stock,
    StockChange,
    StockMovement,
    Workshop,
)
from workshops.production import supervised_workshops
from workshops.production.grid import sees_every_workshop

Kind = StockMovement.Kind
State = Reservation.State
Change = StockChange.Kind


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
    stock.on_hand += on_hand
    stock.reserved += reserved
    stock.save(update_fields=["on_hand", "reserved"])
    return StockMovement.objects.create(
        stock=stock,
        kind=kind,
        on_hand_change=on_hand,
        reserved_change=reserved,
        key=key,
        **fields,
    )


# Batches


def _check_batch_dates(made_from, made_to, received_on, today) -> list[str]:
    problems = []
    if made_from > made_to:
        problems.append(_("The batch's first day comes after its last day."))
    if made_to > today:
        problems.append(_("A batch cannot be made in the future."))
    if received_on < made_to:
        problems.append(_("A batch is received on or after its last day of making."))
    if received_on > today:
        problems.append(_("A batch cannot be received in the future."))
    return problems


@transaction.atomic
def receive_batch(
    *,
    sku: SKU,
    quantity: int,
    made_from: datetime.date,
    made_to: datetime.date,
    user,
    key: str,
    received_on: datetime.date | None = None,
) -> Batch:
    """Record a finished batch of one of ``user``'s workshops' SKUs and put it on hand."""
    today = timezone.localdate()
    received_on = received_on or today
    quantity = _quantity(quantity, label=_("The quantity"))
    key = checked_key(key)
    sku = SKU.objects.select_related("workshop").get(pk=_sku_id(sku))
    if not supervised_workshops(user, today).filter(pk=sku.workshop_id).exists():
        raise ValidationError(
            _("%(sku)s is made by %(workshop)s, which you do not supervise.")
            % {"sku": sku.code, "workshop": sku.workshop}
        )
    problems = _check_batch_dates(made_from, made_to, received_on, today)
    if problems:
        raise ValidationError(problems)
    stock = _lock_stock([sku.pk])[sku.pk]  # one batch of a SKU at a time: the overlap check holds
    asked = (sku.pk, quantity, made_from, made_to, received_on)
    if earlier := Batch.objects.filter(key=key).first():
        return _replayed_batch(earlier, asked)
    overlapping = Batch.objects.filter(sku=sku, made_from__lte=made_to, made_to__gte=made_from)
    if clash := overlapping.first():
        raise ValidationError(
            _(
                "A batch of %(sku)s made from %(start)s to %(end)s overlaps these dates: "
                "batches of one SKU never overlap."
            )
            % {"sku": sku.code, "start": clash.made_from, "end": clash.made_to}
        )
    batch = claimed(
        Batch,
        key,
        sku=sku,
        quantity=quantity,
        made_from=made_from,
        made_to=made_to,
        received_on=received_on,
        recorded_by=user,
    )
    if batch is None:  # a batch of another SKU took the key at this moment
        return _replayed_batch(Batch.objects.get(key=key), asked)
    _move(stock, Kind.RECEIVED, key=f"batch:{key}", on_hand=quantity, batch=batch, user=user)
    log(batch, "bridgework.batch_received", user=user)
    return batch


def _replayed_batch(earlier: Batch, asked: tuple) -> Batch:
    made = (earlier.sku_id, earlier.quantity, earlier.made_from, earlier.made_to)
    if (*made, earlier.received_on) != asked:
        raise KeyReused(
            _("The key %(key)s was already used for another batch.") % {"key": earlier.key}
        )
    return earlier


# Reservations


def _lines(lines) -> dict[int, int]:
    wanted: dict[int, int] = {}
    for sku, quantity in lines:
        wanted[_sku_id(sku)] = wanted.get(_sku_id(sku), 0) + _quantity(
            quantity, label=_("A quantity")
        )
    if not wanted:
        raise ValidationError(_("A reservation needs at least one line."))
    for quantity in wanted.values():  # lines of one SKU add up to one reservation line
        if problem := STOCK_QUANTITY.problem(quantity):
            raise ValidationError(problem)
    return wanted


def _expired_holding(sku_ids, now) -> list[Reservation]:
    """Expired reservations still holding units of these SKUs, locked (those another
    transaction is releasing or selling right now are left to it)."""
    holding = ReservationLine.objects.filter(
        sku_id__in=sku_ids,
        reservation__state=State.ACTIVE,
        reservation__expires_at__lte=now,
    ).values("reservation_id")
    return list(
        Reservation.objects.select_for_update(skip_locked=True)
        .filter(pk__in=holding, state=State.ACTIVE, expires_at__lte=now)
        .order_by("pk")
    )


def _close(reservation: Reservation, stocks: dict[int, Stock], state: str, now) -> None:
    kind, on_hand = (Kind.SOLD, -1) if state == State.SOLD else (Kind.RELEASED, 0)
    prefix = "sell" if state == State.SOLD else "release"
    for line in reservation.lines.all():
        _move(
            stocks[line.sku_id],
            kind,
            key=f"{prefix}:{reservation.key}",
            on_hand=on_hand * line.quantity,
            reserved=-line.quantity,
            reservation=reservation,
        )
    reservation.state, reservation.closed_at = state, now
    reservation.save(update_fields=["state", "closed_at"])


def _shortages(stocks: dict[int, Stock], wanted: dict[int, int]) -> list[str]:
    return [
        ngettext(
            "%(sku)s: %(asked)s asked for, %(available)s available.",
            "%(sku)s: %(asked)s asked for, %(available)s available.",
            quantity,
        )
        % {"sku": stocks[sku_id].sku.code, "asked": quantity, "available": stocks[sku_id].available}
        for sku_id, quantity in sorted(wanted.items())
        if stocks[sku_id].available < quantity
    ]


@transaction.atomic
def reserve(lines, *, key: str, expires_at: datetime.datetime) -> Reservation:
    """Hold ``quantity`` units of each ``(sku, quantity)`` line until ``expires_at``: all lines or
    none (``NotEnoughStock`` names every short line)."""
    wanted = _lines(lines)
    key = checked_key(key)
    now = timezone.now()
    if earlier := Reservation.objects.filter(key=key).first():
        return _replayed_reservation(earlier, wanted)  # a replay, even after it expired
    if expires_at <= now:
        raise ValidationError(_("A reservation must expire in the future."))
    expired = _expired_holding(wanted, now)
    held = {line.sku_id for r in expired for line in r.lines.all()}
    stocks = _lock_stock([*wanted, *held])
    for reservation in expired:
        _close(reservation, stocks, State.EXPIRED, now)
    reservation = claimed(Reservation, key, expires_at=expires_at)
    if reservation is None:  # another call took the key at this moment
        return _replayed_reservation(Reservation.objects.get(key=key), wanted)
    if short := _shortages(stocks, wanted):
        raise NotEnoughStock([_("Not enough stock."), *short])
    ReservationLine.objects.bulk_create(
        ReservationLine(reservation=reservation, sku_id=sku_id, quantity=quantity)
        for sku_id, quantity in sorted(wanted.items())
    )
    for sku_id, quantity in sorted(wanted.items()):
        _move(
            stocks[sku_id],
            Kind.RESERVED,
            key=f"reserve:{key}",
            reserved=quantity,
            reservation=reservation,
        )
    return reservation


def _replayed_reservation(earlier: Reservation, wanted: dict[int, int]) -> Reservation:
    if dict(earlier.lines.values_list("sku_id", "quantity")) != wanted:
        raise KeyReused(
            _("The key %(key)s was already used for another reservation.") % {"key": earlier.key}
        )
    return earlier


def _locked_reservation(reservation: Reservation) -> tuple[Reservation, dict[int, Stock]]:
    reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
    stocks = _lock_stock(reservation.lines.values_list("sku_id", flat=True))
    return reservation, stocks


@transaction.atomic
def release(reservation: Reservation) -> Reservation:
    """Give the units back; releasing a released reservation again changes nothing."""
    reservation, stocks = _locked_reservation(reservation)
    if reservation.state == State.SOLD:
        raise ReservationSold(_("This reservation was sold; it cannot be released."))
    if reservation.state == State.ACTIVE:
        _close(reservation, stocks, State.RELEASED, timezone.now())
    return reservation


@transaction.atomic
def sell(reservation: Reservation) -> Reservation:
    """The reserved units leave stock; selling a sold reservation again changes nothing."""
    reservation, stocks = _locked_reservation(reservation)
    now = timezone.now()
    if reservation.state == State.SOLD:
        return reservation
    if reservation.state == State.RELEASED:
        raise ReservationReleased(_("This reservation was released; it cannot be sold."))
    if reservation.state == State.EXPIRED:
        wanted = dict(reservation.lines.values_list("sku_id", "quantity"))
        if short := _shortages(stocks, wanted):
            raise ReservationExpired(
                [_("This reservation expired and its units are no longer available."), *short]
            )
        for sku_id, quantity in sorted(wanted.items()):
            _move(
                stocks[sku_id],
                Kind.SOLD,
                key=f"sell:{reservation.key}",
                on_hand=-quantity,
                reservation=reservation,
            )
        reservation.state, reservation.closed_at = State.SOLD, now
        reservation.save(update_fields=["state", "closed_at"])
        return reservation
    _close(reservation, stocks, State.SOLD, now)
    return reservation


def release_expired_reservations(now: datetime.datetime | None = None) -> int:
    """Release every expired reservation still holding units; how many were released."""
    now = now or timezone.now()
    released = 0
    expired = Reservation.objects.filter(state=State.ACTIVE, expires_at__lte=now)
    for pk in expired.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            reservation = (
                Reservation.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=State.ACTIVE, expires_at__lte=now)
                .first()
            )
            if reservation is None:
                continue
            stocks = _lock_stock(reservation.lines.values_list("sku_id", flat=True))
            _close(reservation, stocks, State.EXPIRED, now)
            released += 1
    return released


def stock_levels(skus) -> list[Stock]:
    """The stock rows of ``skus`` (a queryset or list), after releasing what expired."""
    sku_ids = [_sku_id(sku) for sku in skus]
    now = timezone.now()
    if Reservation.objects.filter(
        state=State.ACTIVE, expires_at__lte=now, lines__sku_id__in=sku_ids
    ).exists():
        with transaction.atomic():
            expired = _expired_holding(sku_ids, now)
            held = {line.sku_id for r in expired for line in r.lines.all()}
            stocks = _lock_stock(held)
            for reservation in expired:
                _close(reservation, stocks, State.EXPIRED, now)
    missing = set(sku_ids) - set(
        Stock.objects.filter(sku_id__in=sku_ids).values_list("sku_id", flat=True)
    )
    if missing:
        Stock.objects.bulk_create(
            [Stock(sku_id=sku_id) for sku_id in missing], ignore_conflicts=True
        )
    return list(Stock.objects.filter(sku_id__in=sku_ids).select_related("sku__workshop"))


# Returns, write-offs and stocktakes


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


def stock_workshops(user):
    """Whose stock ``user`` sees: supervisors their workshops', others with the view
    permission (order fulfilment, programme managers, auditors) every workshop's."""
    if not user.has_perm("workshops.view_stock"):
        return Workshop.objects.none()
    if user.has_perm("workshops.record_production") and not sees_every_workshop(user):
        return supervised_workshops(user)
    return Workshop.objects.all()


__all__ = [
    "BelowReserved",
    "KeyReused",
    "NotEnoughStock",
    "ReservationExpired",
    "ReservationReleased",
    "ReservationSold",
    "count",
    "count_stock",
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
