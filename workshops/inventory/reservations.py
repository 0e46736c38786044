"""Reservations: units held for an order until they are sold, released or expire (``reserve``,
``release``, ``sell``, ``release_expired_reservations``), and ``stock_levels``, which releases what
expired before it reads.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops.bounds import STOCK_QUANTITY
from workshops.inventory.keys import KeyReused, checked_key, claimed
from workshops.inventory.stock import (
    Kind,
    NotEnoughStock,
    ReservationExpired,
    ReservationReleased,
    ReservationSold,
    State,
    _lock_stock,
    _move,
    _quantity,
    _sku_id,
)
from workshops.models import Reservation, ReservationLine, Stock


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


@transaction.atomic
def extend(reservation: Reservation, *, expires_at: datetime.datetime) -> Reservation:
    """Hold an active reservation's units until ``expires_at`` (a buyer who switches to paying on
    invoice keeps the invoice's hold). Never shortens a hold; a reservation that is no longer
    held (sold, released, or expired and released) is refused, as its units may be gone."""
    reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if reservation.state != State.ACTIVE:
        raise ReservationExpired(
            _("This reservation is no longer held: its units may have been sold to others.")
        )
    if expires_at > reservation.expires_at:
        reservation.expires_at = expires_at
        reservation.save(update_fields=["expires_at"])
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
