"""Locks a pay run puts on production records, adjustments of locked records, corrections of
unlocked ones, and the adjust screen. Every refusal leaves records, locks, adjustments and the
audit log as they were."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.production_builders import build_world, day
from workshops.models import ProductionAdjustment, ProductionLock, ProductionRecord
from workshops.production import (
    adjust_production,
    correct_production,
    lock_production,
    settle_adjustments,
    unlock_production,
    unsettled_adjustments,
)

pytestmark = pytest.mark.django_db
DAY = day(3)  # Thursday 2026-11-05


@pytest.fixture
def world():
    return build_world()


def build_record(world, worker, sku, *, hours="4.50", pieces=12, rejects=1) -> ProductionRecord:
    record = ProductionRecord.objects.create(
        worker=worker,
        workshop=world.workshop,
        day=DAY,
        sku=sku,
        hours=Decimal(hours),
        pieces=pieces,
        rejects=rejects,
        supervisor=world.supervisor,
    )
    record.refresh_from_db()
    return record


@pytest.fixture
def records(world):
    """W-000000 × SKU-A, W-000000 × SKU-B, W-000001 × SKU-A."""
    first, second, _third = world.workers
    sku_a, sku_b = world.skus
    return [
        build_record(world, first, sku_a),
        build_record(world, first, sku_b, hours="2", pieces=3, rejects=0),
        build_record(world, second, sku_a, hours="6", pieces=20, rejects=2),
    ]


def state() -> tuple:
    """Everything a refused operation must leave as it was."""
    return (
        list(
            ProductionRecord.objects.order_by("pk").values_list(
                "pk",
                "hours",
                "pieces",
                "rejects",
                "supervisor_note",
                "breaches",
                "locked__lock__reference",
            )
        ),
        list(ProductionLock.objects.order_by("pk").values_list("pk", "reference", "released_at")),
        list(ProductionAdjustment.objects.order_by("pk").values()),
        list(ModelLogEntry.objects.order_by("pk").values_list("action", "object_id", "data")),
    )


def locks_of(records) -> list[str | None]:
    """The reference of the pay run locking each record, or None."""
    references = dict(ProductionRecord.objects.values_list("pk", "locked__lock__reference"))
    return [references[record.pk] for record in records]


def log_entries(action) -> list[tuple]:
    return list(
        ModelLogEntry.objects.filter(action=action)
        .order_by("pk")
        .values_list("object_id", "data", "user__username")
    )


def test_lock_production_locks_the_records(world, records):
    lock = lock_production(
        ProductionRecord.objects.filter(worker=world.workers[0]), "PR-1", user=world.supervisor
    )

    assert lock.reference == "PR-1"
    assert lock.released_at is None
    assert locks_of(records) == ["PR-1", "PR-1", None]
    assert log_entries("bridgework.production_locked") == [
        (str(lock.pk), {"reference": "PR-1", "records": 2, "attendance": 0}, "sup")
    ]


def test_a_lock_over_records_locked_by_another_pay_run_is_refused_and_locks_nothing(world, records):
    first, second, third = records
    lock_production([first], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        lock_production([second, first, third], "PR-2")

    assert refused.value.messages == [
        "Record W-000000 Workshop tailoring-north 2026-11-05 SKU-A is already locked by pay run "
        "PR-1."
    ]
    assert state() == before
    assert locks_of(records) == ["PR-1", None, None]


def test_locking_again_with_the_same_reference_adds_records_to_that_lock(world, records):
    first, _second, third = records
    lock = lock_production([first], "PR-1")

    again = lock_production(ProductionRecord.objects.filter(pk__in=[first.pk, third.pk]), "PR-1")

    assert again.pk == lock.pk
    assert ProductionLock.objects.count() == 1
    assert locks_of(records) == ["PR-1", None, "PR-1"]
    assert [data for _id, data, _user in log_entries("bridgework.production_locked")] == [
        {"reference": "PR-1", "records": 1, "attendance": 0},
        {"reference": "PR-1", "records": 2, "attendance": 0},
    ]


def test_a_lock_needs_a_reference(world, records):
    before = state()

    with pytest.raises(ValidationError) as refused:
        lock_production(records, "")

    assert refused.value.messages == ["A lock needs the pay run's reference."]
    assert state() == before


def test_unlock_production_frees_the_records_and_keeps_the_lock_as_history(world, records):
    lock = lock_production(records[:2], "PR-1")

    freed = unlock_production("PR-1", user=world.supervisor)

    assert freed == 2
    assert locks_of(records) == [None, None, None]
    lock.refresh_from_db()
    assert lock.reference == "PR-1"
    assert lock.released_at is not None
    assert lock.entries.count() == 0
    assert log_entries("bridgework.production_unlocked") == [
        (str(lock.pk), {"reference": "PR-1", "records": 2, "attendance": 0}, "sup")
    ]


def test_a_released_reference_can_lock_again_under_a_new_lock(world, records):
    first_lock = lock_production(records[:1], "PR-1")
    unlock_production("PR-1")

    second_lock = lock_production(records[1:2], "PR-1")

    assert second_lock.pk != first_lock.pk
    assert list(ProductionLock.objects.order_by("pk").values_list("reference", "released_at")) == [
        ("PR-1", ProductionLock.objects.get(pk=first_lock.pk).released_at),
        ("PR-1", None),
    ]
    assert locks_of(records) == [None, "PR-1", None]


def test_unlocking_an_unknown_reference_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        unlock_production("PR-9")

    assert refused.value.messages == ["No records are locked by pay run PR-9."]
    assert state() == before


def test_unlocking_a_released_reference_again_is_refused(world, records):
    lock_production(records[:1], "PR-1")
    unlock_production("PR-1")
    before = state()

    with pytest.raises(ValidationError) as refused:
        unlock_production("PR-1")

    assert refused.value.messages == ["No records are locked by pay run PR-1."]
    assert state() == before


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

    assert str(refused.value) == "You do not supervise Workshop tailoring-north on 2026-11-05."
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
        "W-000000 would have 25.00 hours on 2026-11-05: more than a day holds."
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
        "9.00 hours on 2026-11-05; the limit is 8.00 a day. Hours over the working-time limits need "
        "a reason in the supervisor's note."
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


# The adjust screen.


@pytest.fixture
def locked_record(world, records):
    build_home()
    lock_production(records[:1], "PR-1")
    return records[0]


def adjust_url(record) -> str:
    return f"/admin/production/records/{record.pk}/adjust/"


ADJUSTMENT = {"hours": "5.25", "pieces": "14", "rejects": "0", "reason": "Two were not rejects"}


def test_the_adjust_screen_shows_the_records_values(client, world, locked_record):
    login_with_second_factor(client, world.supervisor)

    response = client.get(adjust_url(locked_record))

    form = BeautifulSoup(response.content, "html.parser").select_one("main form")
    assert response.status_code == 200
    assert {
        field["name"]: field.get("value") for field in form.select("input:not([type=hidden])")
    } == {
        "hours": "4.50",
        "pieces": "12",
        "rejects": "1",
    }


def test_the_supervisor_adjusts_a_locked_record_on_the_adjust_screen(client, world, locked_record):
    login_with_second_factor(client, world.supervisor)

    response = client.post(adjust_url(locked_record), ADJUSTMENT)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/production/{world.workshop.pk}/2026-11-05/",
    )
    assert list(
        ProductionAdjustment.objects.values_list(
            "record",
            "old_hours",
            "old_pieces",
            "old_rejects",
            "new_hours",
            "new_pieces",
            "new_rejects",
            "reason",
            "made_by__username",
        )
    ) == [
        (
            locked_record.pk,
            Decimal("4.50"),
            12,
            1,
            Decimal("5.25"),
            14,
            0,
            "Two were not rejects",
            "sup",
        )
    ]
    locked_record.refresh_from_db()
    assert (locked_record.hours, locked_record.pieces, locked_record.rejects) == (
        Decimal("5.25"),
        14,
        0,
    )


def test_the_adjust_screen_shows_a_refusal_and_saves_nothing(client, world, records):
    build_home()
    login_with_second_factor(client, world.supervisor)
    before = state()

    response = client.post(adjust_url(records[0]), ADJUSTMENT)

    assert response.status_code == 400
    errors = BeautifulSoup(response.content, "html.parser").select("main .help-critical p")
    assert [error.get_text() for error in errors] == [
        "This record is not locked: correct it in the grid instead of adjusting it."
    ]
    assert state() == before


def test_the_adjust_screen_is_refused_to_another_workshops_supervisor(client, world, locked_record):
    login_with_second_factor(client, world.other_supervisor)
    before = state()

    shown = client.get(adjust_url(locked_record))
    posted = client.post(adjust_url(locked_record), ADJUSTMENT)

    assert (shown.status_code, shown["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    assert state() == before


def test_an_auditor_lists_released_locks_as_history(client, world, records):
    build_home()
    auditor = User.objects.create_user("auditor", password="x")
    auditor.groups.add(sync_roles()["auditor"])
    login_with_second_factor(client, auditor)
    lock_production(records[:1], "PR-1")
    unlock_production("PR-1")
    lock_production(records[1:2], "PR-2")

    response = client.get("/admin/workshops/productionlock/")

    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert response.status_code == 200
    assert [row.select("td")[0].get_text(strip=True) for row in rows] == ["PR-2", "PR-1"]


def test_a_supervisor_lists_only_the_locks_over_their_workshops_records(client, world, records):
    """Scoped through the locked records: the other workshop's lock is not listed."""
    build_home()
    elsewhere = ProductionRecord.objects.create(
        worker=world.workers[2],
        workshop=world.other,
        day=DAY,
        sku=world.other.skus.get(),
        hours=Decimal("3.00"),
        pieces=5,
        supervisor=world.other_supervisor,
    )
    lock_production(records[:2], "PR-1")
    lock_production([elsewhere], "PR-2")
    login_with_second_factor(client, world.supervisor)

    response = client.get("/admin/workshops/productionlock/")

    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert response.status_code == 200
    assert [row.select("td")[0].get_text(strip=True) for row in rows] == ["PR-1"]
