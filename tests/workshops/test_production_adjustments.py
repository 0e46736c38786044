"""Adjustments of locked production records and corrections of unlocked ones: old and new values
kept, limits carried as breaches or needing a note, each refusal leaving records, locks,
adjustments and the audit log as they were, and unsettled adjustments settled once by a pay run.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.workshops.production_builders import build_world
from tests.workshops.production_lock_checks import log_entries, state
from workshops.models import ProductionAdjustment
from workshops.production import (
    adjust_production,
    correct_production,
    lock_production,
    settle_adjustments,
    unsettled_adjustments,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_adjusting_a_locked_record_keeps_the_old_and_new_values(world, records):
    record = records[0]
    lock_production([record], "PR-1")

    adjustment = adjust_production(
        record=record,
        hours=Decimal("5.25"),
        pieces=14,
        rejects=0,
        reason="Two pieces were counted as rejects",
        user=world.supervisor,
    )

    adjustment.refresh_from_db()
    assert (
        adjustment.record_id,
        adjustment.old_hours,
        adjustment.old_pieces,
        adjustment.old_rejects,
        adjustment.new_hours,
        adjustment.new_pieces,
        adjustment.new_rejects,
        adjustment.reason,
        adjustment.made_by,
        adjustment.settled_by,
    ) == (
        record.pk,
        Decimal("4.50"),
        12,
        1,
        Decimal("5.25"),
        14,
        0,
        "Two pieces were counted as rejects",
        world.supervisor,
        "",
    )
    assert (adjustment.hours_delta, adjustment.pieces_delta) == (Decimal("0.75"), 2)
    record.refresh_from_db()
    assert (
        record.hours,
        record.pieces,
        record.rejects,
        record.supervisor_note,
        record.breaches,
        record.lock.reference,
    ) == (Decimal("5.25"), 14, 0, "Two pieces were counted as rejects", "", "PR-1")
    assert log_entries("bridgework.production_adjusted") == [
        (
            str(record.pk),
            {
                "old": {"hours": "4.50", "pieces": 12, "rejects": 1},
                "new": {"hours": "5.25", "pieces": 14, "rejects": 0},
                "reason": "Two pieces were counted as rejects",
                "lock": "PR-1",
            },
            "sup",
        )
    ]


def test_an_adjustment_over_the_daily_limit_carries_the_breach(world, records):
    record = records[0]
    lock_production([record], "PR-1")

    adjust_production(
        record=record,
        hours=Decimal("9"),
        pieces=12,
        rejects=1,
        reason="Stayed on to finish the order",
        user=world.supervisor,
    )

    record.refresh_from_db()
    assert (record.hours, record.supervisor_note, record.breaches) == (
        Decimal("9.00"),
        "Stayed on to finish the order",
        "HOURS_DAY",
    )


def test_adjusting_an_unlocked_record_is_refused(world, records):
    before = state()

    with pytest.raises(ValidationError) as refused:
        adjust_production(
            record=records[0], hours="5", pieces=12, rejects=1, reason="Late", user=world.supervisor
        )

    assert refused.value.messages == [
        "This record is not locked: correct it in the grid instead of adjusting it."
    ]
    assert state() == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_adjustment_without_a_reason_is_refused(world, records, reason):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        adjust_production(
            record=records[0], hours="5", pieces=12, rejects=1, reason=reason, user=world.supervisor
        )

    assert refused.value.messages == ["An adjustment needs a reason."]
    assert state() == before


def test_an_adjustment_to_the_same_values_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        adjust_production(
            record=records[0],
            hours="4.5",
            pieces=12,
            rejects=1,
            reason="Checked",
            user=world.supervisor,
        )

    assert refused.value.messages == ["The new values are the same as the old ones."]
    assert state() == before


def test_an_adjustment_by_another_workshops_supervisor_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(PermissionDenied) as refused:
        adjust_production(
            record=records[0],
            hours="5",
            pieces=12,
            rejects=1,
            reason="Late",
            user=world.other_supervisor,
        )

    assert str(refused.value) == "You do not supervise Workshop tailoring-north on Nov 5, 2026."
    assert state() == before


def test_an_adjustment_over_a_day_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        adjust_production(
            record=records[0],
            hours="23",
            pieces=12,
            rejects=1,
            reason="Long day",
            user=world.supervisor,
        )

    assert refused.value.messages == [
        "W-000000 would have 25.00 hours on Nov 5, 2026: more than a day holds."
    ]
    assert state() == before


def test_correcting_a_locked_record_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        correct_production(
            record=records[0],
            hours="5",
            pieces=12,
            rejects=1,
            supervisor_note="",
            user=world.supervisor,
        )

    assert refused.value.messages == [
        "This record is locked by pay run PR-1: change it through a production adjustment."
    ]
    assert state() == before


def test_correcting_an_unlocked_record_logs_its_old_and_new_values(world, records):
    record = records[0]

    correct_production(
        record=record,
        hours=Decimal("3.75"),
        pieces=10,
        rejects=3,
        supervisor_note="Recount",
        user=world.supervisor,
    )

    record.refresh_from_db()
    assert (record.hours, record.pieces, record.rejects, record.supervisor_note) == (
        Decimal("3.75"),
        10,
        3,
        "Recount",
    )
    assert ProductionAdjustment.objects.count() == 0
    assert log_entries("bridgework.production_corrected") == [
        (
            str(record.pk),
            {
                "old": {"hours": "4.50", "pieces": 12, "rejects": 1, "supervisor_note": ""},
                "new": {"hours": "3.75", "pieces": 10, "rejects": 3, "supervisor_note": "Recount"},
            },
            "sup",
        )
    ]


def test_a_correction_over_the_daily_limit_needs_a_note(world, records):
    before = state()

    with pytest.raises(ValidationError) as refused:
        correct_production(
            record=records[0],
            hours="7",
            pieces=12,
            rejects=1,
            supervisor_note="",
            user=world.supervisor,
        )

    assert refused.value.messages == [
        "9.00 hours on Nov 5, 2026; the limit is 8.00 a day. Hours over the working-time limits "
        "need a reason in the supervisor's note."
    ]
    assert state() == before


def test_unsettled_adjustments_are_settled_once_by_a_pay_run(world, records):
    first, _second, third = records
    lock_production([first, third], "PR-1")
    mine = adjust_production(
        record=first, hours="5", pieces=12, rejects=1, reason="Late", user=world.supervisor
    )
    theirs = adjust_production(
        record=third, hours="6", pieces=21, rejects=1, reason="Recount", user=world.supervisor
    )

    assert set(unsettled_adjustments()) == {mine, theirs}
    assert list(unsettled_adjustments(workers=[world.workers[0]])) == [mine]

    assert settle_adjustments([mine], "PR-2") == 1
    assert list(unsettled_adjustments()) == [theirs]
    assert settle_adjustments([mine, theirs], "PR-3") == 1
    assert list(unsettled_adjustments()) == []
    assert dict(ProductionAdjustment.objects.values_list("pk", "settled_by")) == {
        mine.pk: "PR-2",
        theirs.pk: "PR-3",
    }
