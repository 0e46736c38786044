"""Every number people enter has one plausible range (workshops/bounds.py): a value just inside is
saved and one just outside is refused with the same words by the importer, the grid, adjustments,
corrections, training attendance and every stock operation, with nothing saved, on SQLite and on
PostgreSQL alike; the database's check constraints hold the same ranges."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from tests.workshops.inventory_checks import later, level, receive, refused
from tests.workshops.production_builders import TODAY, csv_file, day
from tests.workshops.production_files import imported, line, refusal
from tests.workshops.test_training import attend, attendance
from workshops.inventory import count, count_stock, reserve, return_to_stock, write_off
from workshops.models import (
    Course,
    Enrolment,
    ProductionAdjustment,
    ProductionRecord,
    Stock,
)
from workshops.production import (
    Entry,
    ProductionRefused,
    adjust_production,
    correct_production,
    lock_production,
    save_grid,
)

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
DAY = day(3)  # Thursday 2026-11-05
PIECES = "{} accepted pieces: a record holds a whole number from 0 to 10000."
REJECTS = "{} rejected pieces: a record holds a whole number from 0 to 10000."


def records() -> list[tuple]:
    return list(
        ProductionRecord.objects.order_by("pk").values_list("hours", "pieces", "rejects", "pk")
    )


def production_state() -> tuple:
    return (
        records(),
        list(ProductionAdjustment.objects.values_list("pk", flat=True)),
        ModelLogEntry.objects.count(),
    )


def production_refusal(call) -> list[str]:
    before = production_state()
    with pytest.raises(ProductionRefused) as raised:
        call()
    assert production_state() == before
    return raised.value.messages


# The importer


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"pieces": "10001"}, PIECES.format("10001")),
        ({"pieces": "99999999999"}, PIECES.format("99999999999")),
        ({"pieces": "1e999999999"}, PIECES.format("1E+999999999")),
        ({"pieces": "-1"}, PIECES.format("-1")),
        ({"rejects": "10001"}, REJECTS.format("10001")),
    ],
    ids=["10001", "99999999999", "1e999999999", "negative", "rejects-10001"],
)
def test_an_import_refuses_a_count_just_outside_its_bound_by_line(world, cells, message):
    data = csv_file(line(), line(worker="W-000001", hours="4", **cells))

    assert refusal(data) == [f"Line 3: {message}"]


def test_an_import_saves_counts_just_inside_their_bounds(world):
    imported(csv_file(line(pieces="10000", rejects="10000"), line(worker="W-000001", pieces="0")))

    assert sorted(ProductionRecord.objects.values_list("pieces", "rejects")) == [
        (0, 0),
        (10000, 10000),
    ]


def test_an_import_refuses_hours_just_over_the_day_and_saves_hours_at_it(world):
    assert refusal(csv_file(line(hours="24.01", note="Night shift"))) == [
        "Line 2: 24.01 hours: hours are between 0 and 24.",
        "Line 2: W-000000 would have 24.01 hours on Nov 2, 2026: more than a day holds.",
    ]

    imported(csv_file(line(hours="24", note="Night shift")))

    assert list(ProductionRecord.objects.values_list("hours", flat=True)) == [Decimal("24.00")]


# The grid, adjustments and corrections


def grid_entry(world, **values) -> Entry:
    return Entry(
        worker=world.workers[0],
        workshop=world.workshop,
        day=DAY,
        sku=world.skus[0],
        **{"hours": Decimal(4), **values},
    )


def test_the_grid_refuses_a_count_just_outside_its_bound_and_saves_one_at_it(world):
    def save(**values):
        return save_grid(
            workshop=world.workshop,
            day=DAY,
            entries=[grid_entry(world, **values)],
            user=world.supervisor,
            today=TODAY,
        )

    assert production_refusal(lambda: save(pieces=10001)) == [PIECES.format(10001)]
    assert production_refusal(lambda: save(rejects=99999999999)) == [REJECTS.format(99999999999)]

    save(pieces=10000, rejects=10000)

    assert [row[:3] for row in records()] == [(Decimal("4.00"), 10000, 10000)]


def test_the_grid_page_refuses_a_count_just_outside_its_bound(supervisor_client, world):
    first, sku = world.workers[0], world.skus[0]
    cells = {f"h-{first.pk}-{sku.pk}": "4", f"p-{first.pk}-{sku.pk}": "10001"}

    response = supervisor_client.post(
        f"/admin/production/{world.workshop.pk}/{DAY.isoformat()}/", cells
    )

    assert response.status_code == 400
    assert "W-000000 · Product 0 (SKU-A): " + PIECES.format("10001") in response.content.decode()
    assert records() == []


@pytest.fixture
def saved(world) -> ProductionRecord:
    return ProductionRecord.objects.create(
        worker=world.workers[0],
        workshop=world.workshop,
        day=DAY,
        sku=world.skus[0],
        hours=Decimal(4),
        pieces=12,
        rejects=1,
        supervisor=world.supervisor,
    )


def test_a_correction_refuses_a_count_just_outside_its_bound_and_saves_one_at_it(world, saved):
    def correct(pieces, rejects=1):
        return correct_production(
            record=saved,
            hours="4",
            pieces=pieces,
            rejects=rejects,
            supervisor_note="",
            user=world.supervisor,
        )

    assert production_refusal(lambda: correct(99999999999)) == [PIECES.format(99999999999)]
    assert production_refusal(lambda: correct(10001)) == [PIECES.format(10001)]
    assert production_refusal(lambda: correct(2.5)) == [PIECES.format(2.5)]

    correct(10000, 10000)

    assert [row[:3] for row in records()] == [(Decimal("4.00"), 10000, 10000)]


def test_an_adjustment_refuses_a_count_just_outside_its_bound_and_saves_one_at_it(world, saved):
    lock_production([saved], "PR-1")

    def adjust(pieces):
        return adjust_production(
            record=saved,
            hours="4",
            pieces=pieces,
            rejects=1,
            reason="Recount",
            user=world.supervisor,
        )

    assert production_refusal(lambda: adjust(10001)) == [PIECES.format(10001)]

    adjust(10000)

    assert list(ProductionAdjustment.objects.values_list("old_pieces", "new_pieces")) == [
        (12, 10000)
    ]


@pytest.mark.parametrize(
    ("model", "fields", "constraint"),
    [
        (ProductionRecord, {"pieces": 10001}, "production_counts_plausible"),
        (ProductionRecord, {"rejects": 10001}, "production_counts_plausible"),
        (ProductionAdjustment, {"new_pieces": 10001}, "adjustment_counts_plausible"),
    ],
)
def test_the_database_holds_the_production_bounds(world, saved, model, fields, constraint):
    if model is ProductionAdjustment:
        lock_production([saved], "PR-1")
        adjust_production(
            record=saved, hours="4", pieces=13, rejects=1, reason="Recount", user=world.supervisor
        )
    rows = model.objects.all()
    before = list(rows.values())

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        rows.update(**fields)

    assert list(rows.values()) == before


# Training attendance


@pytest.fixture
def enrolment(world):
    course = Course.objects.create(
        code="tailoring-3",
        trade=world.workshop.trade,
        qualification="Garment maker",
        level="EQF level 3",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(120),
        assessment="Practical test",
    )
    return Enrolment.objects.create(worker=world.workers[0], course=course, enrolled_on=day(0))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("24.01", "24.01 hours: attendance is from 0.01 to 24 hours."),
        ("0.00", "0.00 hours: attendance is from 0.01 to 24 hours."),
        ("1e30", "1e30 hours: attendance is from 0.01 to 24 hours."),
        (Decimal("-1"), "-1 hours: attendance is from 0.01 to 24 hours."),
    ],
)
def test_attendance_refuses_hours_just_outside_their_bound(world, enrolment, hours, message):
    with pytest.raises(ValidationError) as raised:
        attend(world, enrolment, hours=hours, note="Exam day")

    assert raised.value.messages == [message]
    assert attendance() == []


@pytest.mark.parametrize(("hours", "saved_as"), [("24", "24.00"), ("0.01", "0.01")])
def test_attendance_saves_hours_just_inside_their_bound(world, enrolment, hours, saved_as):
    attend(world, enrolment, hours=hours, note="Exam day")

    assert [row[1] for row in attendance()] == [Decimal(saved_as)]


# Stock


ON_HAND = "SKU-A: {} on hand: stock of one SKU is a whole number from 0 to 1000000."
UNITS = "{} units: one operation moves a whole number from 1 to 100000."


@pytest.fixture
def full(world):
    """SKU-A counted at the most stock one SKU may hold."""
    count(world.skus[0], 1_000_000, key="full", reason="Stocktake")
    return world.skus[0]


def test_a_count_just_outside_the_bound_is_refused_and_one_at_it_is_saved(world):
    a = world.skus[0]

    assert refused(ValidationError, lambda: count(a, 1_000_001, key="c-1", reason="Stocktake")) == [
        ON_HAND.format(1000001)
    ]
    assert refused(ValidationError, lambda: count(a, 10**12, key="c-2", reason="Stocktake")) == [
        ON_HAND.format(10**12)
    ]
    assert refused(
        ValidationError, lambda: count_stock({a: 1_000_001}, key="t-1", reason="Stocktake")
    ) == [ON_HAND.format(1000001)]

    count(a, 1_000_000, key="c-3", reason="Stocktake")

    assert Stock.objects.get(sku=a).on_hand == 1_000_000


def test_nothing_takes_stock_past_the_bound(world, full):
    assert refused(ValidationError, lambda: return_to_stock(full, 1, key="r-1", source="Shop")) == [
        ON_HAND.format(1000001)
    ]
    assert refused(ValidationError, lambda: receive(world, sku=full, quantity=1, key="b-1")) == [
        ON_HAND.format(1000001)
    ]


@pytest.mark.parametrize(
    ("operation", "after"),
    [
        (lambda world, q: receive(world, quantity=q, key="b-2"), (300_000, 0)),
        (
            lambda world, q: return_to_stock(world.skus[0], q, key="r-2", source="Shop"),
            (300_000, 0),
        ),
        (
            lambda world, q: write_off(world.skus[0], q, key="w-2", reason="Damaged"),
            (100_000, 0),
        ),
        (
            lambda world, q: reserve([(world.skus[0], q)], key="s-2", expires_at=later()),
            (200_000, 100_000),
        ),
        (
            lambda world, q: reserve(
                [(world.skus[0], q - 1), (world.skus[0], 1)], key="s-3", expires_at=later()
            ),
            (200_000, 100_000),
        ),
    ],
    ids=["receive", "return", "write-off", "reserve", "reserve-lines-of-one-sku"],
)
def test_a_quantity_just_outside_the_bound_is_refused_and_one_at_it_is_saved(
    world, operation, after
):
    count(world.skus[0], 200_000, key="c-0", reason="Stocktake")

    assert refused(ValidationError, lambda: operation(world, 100_001)) == [UNITS.format(100001)]
    operation(world, 100_000)

    assert level(world.skus[0]) == after


def test_the_database_holds_the_stock_bound(world, full):
    rows = Stock.objects.filter(sku=full)

    with pytest.raises(IntegrityError, match="stock_on_hand_plausible"), transaction.atomic():
        rows.update(on_hand=1_000_001)

    assert rows.get().on_hand == 1_000_000
