"""The stock steps of the stock-and-hours state machine
(``tests/workshops/test_stock_and_hours_state_machine.py``): receive a batch, reserve, release,
sell, let a reservation expire, return, write off, count, a whole stocktake, and a replay of any
keyed step, each checked against its key's promise.
"""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from tests.workshops.production_steps import DAYS, ONE_DAY, RARELY
from tests.workshops.stock_and_hours_invariants import changes, fingerprint
from workshops.inventory import (
    KeyReused,
    count,
    count_stock,
    receive_batch,
    release,
    release_expired_reservations,
    reserve,
    return_to_stock,
    sell,
    stock_levels,
    write_off,
)
from workshops.models import Reservation, StockMovement

REFUSED = (ValidationError, PermissionDenied)
KEY = st.integers(0, 11)  # an index into the machine's keys: few, so a key is often used again
OFTEN = st.sampled_from([True, True, False, True])
QUANTITY = st.sampled_from([1, 2, 3, 4, 0, 5, 6, 100_001, 7, 8, 3])  # 2 in 11 refused
COUNTED = st.sampled_from([*range(10), -1, *range(10, 21)])
REASONS = ["Damaged", " ", "Expired", "Damaged"]  # a blank reason is refused


def identity(result):
    """What a keyed operation returned, comparable across calls: its row's (or rows') pk."""
    if isinstance(result, list):
        return sorted(each.pk for each in result)
    return result.pk


class StockSteps:
    """The state machine's stock rules: the machine provides ``skus``, ``keys``, ``done``,
    ``reservations``, ``outcomes``, ``rows``, ``fingerprint`` and ``refused``."""

    # Stock

    def keyed(self, operation: str, key: str, arguments: tuple, call):
        """Run a keyed stock operation and check its key's promise: the same operation with the
        same key and arguments is a replay (the first call's result, nothing changed); with other
        arguments it is refused; a key no operation used is never taken for one."""
        earlier = self.done.get((operation, key))
        before = self.fingerprint()
        movements = StockMovement.objects.count()
        try:
            result = call()
        except REFUSED as refused:
            assert earlier is None or earlier[0] != arguments, f"{operation} {key}: no replay"
            if isinstance(refused, KeyReused):
                assert self.used(key), f"{operation}: {key} was refused as used, but never was"
            self.refused(operation, refused, before)
            return None
        self.rows = None
        if earlier is not None:
            assert earlier[0] == arguments, f"{operation} {key} again with other arguments: done"
            assert changes(before, fingerprint()) == [], f"{operation} {key} replayed: changed"
            assert identity(result) == earlier[1], f"{operation} {key} replayed: another result"
            self.outcomes[operation, "replayed"] += 1
            return result
        assert StockMovement.objects.count() > movements, f"{operation} {key}: no movement"
        self.done[operation, key] = (arguments, identity(result), call)
        self.outcomes[operation, "done"] += 1
        return result

    def used(self, key: str) -> bool:
        """Whether an operation used ``key`` (a key another one builds from it is another)."""
        return any(key == other for _operation, other in self.done)

    @rule(
        sku=st.integers(0, 2),
        quantity=QUANTITY,
        made=st.sampled_from(DAYS),
        span=st.integers(0, 2),
        key=KEY,
        wrong_supervisor=RARELY,
    )
    def receive(self, sku, quantity, made, span, key, wrong_supervisor):
        sku = self.skus[sku]
        supervisors = [self.world.supervisor, self.world.other_supervisor]
        if sku.workshop_id == self.world.other.pk:
            supervisors.reverse()
        user = supervisors[wrong_supervisor]  # the SKU's workshop's supervisor, or the other
        key = self.keys[key]
        made_to = made + ONE_DAY * span
        self.keyed(
            "receive",
            key,
            (sku.pk, quantity, made, made_to),
            lambda: receive_batch(
                sku=sku, quantity=quantity, made_from=made, made_to=made_to, user=user, key=key
            ),
        )

    @rule(
        lines=st.lists(st.tuples(st.integers(0, 2), QUANTITY), min_size=1, max_size=3),
        key=KEY,
        in_the_past=RARELY,
    )
    def reserve(self, lines, key, in_the_past):
        key = self.keys[key]
        lines = [(self.skus[sku], quantity) for sku, quantity in lines]
        wanted = Counter()
        for sku, quantity in lines:
            wanted[sku.pk] += quantity
        hours = -1 if in_the_past else 1
        expires_at = timezone.now() + datetime.timedelta(hours=hours)
        reservation = self.keyed(
            "reserve",
            key,
            tuple(sorted(wanted.items())),
            lambda: reserve(lines, key=key, expires_at=expires_at),
        )
        if reservation is not None and reservation.pk not in self.reservations:
            self.reservations.append(reservation.pk)

    def reservation(self, which: int) -> Reservation:
        return Reservation.objects.get(pk=self.reservations[which % len(self.reservations)])

    @precondition(lambda self: self.reservations)
    @rule(which=st.integers(0, 7))
    def release(self, which):
        reservation = self.reservation(which)
        before = self.fingerprint()
        if self.attempt("release", lambda: release(reservation)) is None:
            return
        if reservation.state != Reservation.State.ACTIVE:
            assert changes(before, fingerprint()) == [], "a closed reservation released again"
        assert self.reservation(which).state in (
            Reservation.State.RELEASED,
            Reservation.State.EXPIRED,
        )

    @precondition(lambda self: self.reservations)
    @rule(which=st.integers(0, 7))
    def sell(self, which):
        reservation = self.reservation(which)
        before = self.fingerprint()
        if self.attempt("sell", lambda: sell(reservation)) is None:
            return
        if reservation.state == Reservation.State.SOLD:
            assert changes(before, fingerprint()) == [], "a sold reservation sold again"
        assert self.reservation(which).state == Reservation.State.SOLD

    @precondition(lambda self: self.reservations)
    @rule(which=st.integers(0, 7))
    def expire(self, which):
        """Time passes: the reservation's hold runs out (nothing released it yet)."""
        Reservation.objects.filter(pk=self.reservation(which).pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        self.rows = None

    @rule()
    def release_expired(self):
        self.attempt("release_expired", release_expired_reservations)

    @rule()
    def read_levels(self):
        """The shop reads the levels, which releases what expired first."""
        levels = self.attempt("stock_levels", lambda: stock_levels(self.skus))
        assert sorted(stock.sku_id for stock in levels) == sorted(sku.pk for sku in self.skus)

    @rule(sku=st.integers(0, 2), quantity=QUANTITY, key=KEY, blank=RARELY)
    def return_units(self, sku, quantity, key, blank):
        sku, key, source = self.skus[sku], self.keys[key], " " if blank else "Order 17"
        self.keyed(
            "return",
            key,
            (sku.pk, quantity, source),
            lambda: return_to_stock(sku, quantity, key=key, source=source),
        )

    @rule(sku=st.integers(0, 2), quantity=QUANTITY, key=KEY, reason=st.sampled_from(REASONS))
    def write_off(self, sku, quantity, key, reason):
        sku, key = self.skus[sku], self.keys[key]
        self.keyed(
            "write_off",
            key,
            (sku.pk, quantity, reason),
            lambda: write_off(sku, quantity, key=key, reason=reason),
        )

    @rule(sku=st.integers(0, 2), counted=COUNTED, key=KEY, reason=OFTEN)
    def count(self, sku, counted, key, reason):
        self.count_one(self.skus[sku], counted, self.keys[key], "Stocktake" if reason else "")

    def count_one(self, sku, counted, key, reason):
        movement = self.keyed(
            "count",
            key,
            (sku.pk, counted, reason),
            lambda: count(sku, counted, key=key, reason=reason),
        )
        if movement is not None:
            assert movement.counted == counted

    @rule(
        counts=st.dictionaries(st.integers(0, 2), COUNTED, min_size=1),
        key=KEY,
        reason=OFTEN,
    )
    def stocktake(self, counts, key, reason):
        key, reason = self.keys[key], "Stocktake" if reason else ""
        counts = {self.skus[sku]: counted for sku, counted in counts.items()}
        arguments = (tuple(sorted((sku.pk, n) for sku, n in counts.items())), reason)
        movements = self.keyed(
            "stocktake", key, arguments, lambda: count_stock(counts, key=key, reason=reason)
        )
        if movements is not None:
            assert sorted((m.stock.sku_id, m.counted) for m in movements) == list(arguments[0])

    @precondition(lambda self: self.done)
    @rule(which=st.integers(0, 20))
    def replay(self, which):
        """A keyed operation sent again as it was (a form sent twice, a retried request)."""
        (operation, key), (arguments, _result, call) = sorted(
            self.done.items(), key=lambda item: item[0]
        )[which % len(self.done)]
        self.keyed(operation, key, arguments, call)
