"""The finished-goods inventory's operations: the only way stock changes (DESIGN.md, "Inventory").

Every operation runs in one transaction, locks what it touches in one order (reservation rows by
primary key, then stock rows by primary key, so two operations never wait on each other in a
cycle) and appends one movement per stock row it changes. Each takes a ``key``: replaying an
operation with the same key returns what the first call did and changes nothing; the same key with
different arguments raises ``KeyReused``. Refusals are ``ValidationError`` subclasses with a
message for people, and leave everything as it was.

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
from workshops.models import (
    SKU,
    Batch,
    Reservation,
    ReservationLine,
    Stock,
    StockMovement,
    Workshop,
)
from workshops.production import supervised_workshops
from workshops.production.grid import sees_every_workshop

Kind = StockMovement.Kind
State = Reservation.State


class KeyReused(ValidationError):
    """The key was used before for a different operation or different arguments."""


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


def _replayed(stock: Stock, key: str, kind: str, **expected) -> StockMovement | None:
    """The movement an earlier call with ``key`` made, checked to be the same operation (on
    the same SKU, with the same arguments)."""
    movement = StockMovement.objects.filter(key=key).first()
    if movement is None:
        return None
    if (
        movement.stock_id != stock.pk
        or movement.kind != kind
        or any(getattr(movement, f) != v for f, v in expected.items())
    ):
        raise KeyReused(_("The key %(key)s was already used for another operation.") % {"key": key})
    return movement


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
    earlier = Batch.objects.filter(key=key).first()
    if earlier is not None:
        same = (earlier.sku_id, earlier.quantity, earlier.made_from, earlier.made_to) == (
            sku.pk,
            quantity,
            made_from,
            made_to,
        )
        same = same and earlier.received_on == received_on
        if not same:
            raise KeyReused(_("The key %(key)s was already used for another batch.") % {"key": key})
        return earlier
    overlapping = Batch.objects.filter(sku=sku, made_from__lte=made_to, made_to__gte=made_from)
    if clash := overlapping.first():
        raise ValidationError(
            _(
                "A batch of %(sku)s made from %(start)s to %(end)s overlaps these dates: "
                "batches of one SKU never overlap."
            )
            % {"sku": sku.code, "start": clash.made_from, "end": clash.made_to}
        )
    batch = Batch.objects.create(
        sku=sku,
        quantity=quantity,
        made_from=made_from,
        made_to=made_to,
        received_on=received_on,
        recorded_by=user,
        key=key,
    )
    _move(stock, Kind.RECEIVED, key=f"batch:{key}", on_hand=quantity, batch=batch, user=user)
    log(batch, "bridgework.batch_received", user=user)
    return batch


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
    now = timezone.now()
    earlier = Reservation.objects.filter(key=key).first()
    if earlier is not None:  # a replay, even after the reservation expired
        if dict(earlier.lines.values_list("sku_id", "quantity")) != wanted:
            raise KeyReused(
                _("The key %(key)s was already used for another reservation.") % {"key": key}
            )
        return earlier
    if expires_at <= now:
        raise ValidationError(_("A reservation must expire in the future."))
    expired = _expired_holding(wanted, now)
    held = {line.sku_id for r in expired for line in r.lines.all()}
    stocks = _lock_stock([*wanted, *held])
    earlier = Reservation.objects.filter(key=key).first()
    if earlier is not None:
        if dict(earlier.lines.values_list("sku_id", "quantity")) != wanted:
            raise KeyReused(
                _("The key %(key)s was already used for another reservation.") % {"key": key}
            )
        return earlier
    for reservation in expired:
        _close(reservation, stocks, State.EXPIRED, now)
    if short := _shortages(stocks, wanted):
        raise NotEnoughStock([_("Not enough stock."), *short])
    reservation = Reservation.objects.create(key=key, expires_at=expires_at)
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


@transaction.atomic
def return_to_stock(sku, quantity: int, *, key: str, source: str, user=None) -> StockMovement:
    """Units come back on hand (a customer's return); ``source`` names where from."""
    quantity = _quantity(quantity, label=_("The quantity"))
    source = _text(source, message=_("Say where the returned units come from."))
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    if earlier := _replayed(stock, key, Kind.RETURNED, on_hand_change=quantity, source=source):
        return earlier
    return _move(stock, Kind.RETURNED, key=key, on_hand=quantity, source=source, user=user)


@transaction.atomic
def write_off(sku, quantity: int, *, key: str, reason: str, user=None) -> StockMovement:
    """Units leave stock unsold (damaged, expired); never below what is reserved."""
    quantity = _quantity(quantity, label=_("The quantity"))
    reason = _text(reason, message=_("A write-off needs a reason."))
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    if earlier := _replayed(stock, key, Kind.WRITTEN_OFF, on_hand_change=-quantity, reason=reason):
        return earlier
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
    return _move(stock, Kind.WRITTEN_OFF, key=key, on_hand=-quantity, reason=reason, user=user)


def _count(stock: Stock, counted: int, *, key: str, reason: str, user) -> StockMovement:
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise ValidationError(
            _("%(sku)s: a count is a whole number, zero or more.") % {"sku": stock.sku.code}
        )
    if problem := STOCK_ON_HAND.problem(counted):
        raise ValidationError(f"{stock.sku.code}: {problem}")
    if earlier := _replayed(stock, key, Kind.COUNTED, counted=counted, reason=reason):
        return earlier
    if counted < stock.reserved:
        raise BelowReserved(
            _("%(sku)s: %(counted)s counted is less than the %(reserved)s reserved.")
            % {"sku": stock.sku.code, "counted": counted, "reserved": stock.reserved}
        )
    return _move(
        stock,
        Kind.COUNTED,
        key=key,
        on_hand=counted - stock.on_hand,
        counted=counted,
        reason=reason,
        user=user,
    )


@transaction.atomic
def count(sku, counted: int, *, key: str, reason: str, user=None) -> StockMovement:
    """A stocktake of one SKU: on hand becomes ``counted``; never below what is reserved."""
    reason = _text(reason, message=_("A count needs a reason."))
    stock = _lock_stock([_sku_id(sku)])[_sku_id(sku)]
    return _count(stock, counted, key=key, reason=reason, user=user)


@transaction.atomic
def count_stock(counts: dict, *, key: str, reason: str, user=None) -> list[StockMovement]:
    """A whole stocktake in one go: ``{sku: counted}``; every count is applied or none (the
    refusal lists every SKU that could not be counted)."""
    reason = _text(reason, message=_("A count needs a reason."))
    wanted = {_sku_id(sku): counted for sku, counted in counts.items()}
    stocks = _lock_stock(wanted)
    earlier = list(
        StockMovement.objects.filter(key__startswith=f"{key}#")
        .select_related("stock__sku")
        .order_by("stock__sku_id")
    )
    if earlier:
        if {(m.stock.sku_id, m.counted, m.reason) for m in earlier} != {
            (sku_id, counted, reason) for sku_id, counted in wanted.items()
        }:
            raise KeyReused(
                _("The key %(key)s was already used for another stocktake.") % {"key": key}
            )
        return earlier
    movements, problems = [], []
    for sku_id, counted in sorted(wanted.items()):
        try:
            movements.append(
                _count(stocks[sku_id], counted, key=f"{key}#{sku_id}", reason=reason, user=user)
            )
        except KeyReused:
            raise KeyReused(
                _("The key %(key)s was already used for another stocktake.") % {"key": key}
            ) from None
        except ValidationError as refused:
            problems.extend(refused.messages)
    if problems:
        raise ValidationError(problems)
    return movements


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
