"""The constraints PostgreSQL keeps on production records: one record per worker, workshop, day and
SKU (and one time-only record per worker, workshop and day), hours within a day, counts never
negative, a breach with its reason, and a record without a supervisor only when legacy.
"""

from decimal import Decimal

import pytest

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, refused_by_the_database
from tests.postgres.production_checks import TABLE, record
from tests.workshops.production_builders import build_world, day
from workshops.models import ProductionRecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world()


def time_only(world, hours):
    return ProductionRecord.objects.create(
        worker=world.workers[0],
        workshop=world.crew,
        day=day(0),
        sku=None,
        hours=Decimal(hours),
        supervisor=world.supervisor,
    )


def check_violation(name: str) -> str:
    return f'new row for relation "{TABLE}" violates check constraint "{name}"'


def unique_violation(name: str) -> str:
    return f'duplicate key value violates unique constraint "{name}"'


# The constraints


def test_a_second_record_for_the_same_worker_workshop_day_and_sku_is_refused(world):
    first = record(world)

    with refused_by_the_database() as refused:
        record(world, hours="1.00")

    assert first_line(refused) == unique_violation("one_record_per_worker_workshop_day_sku")
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == [
        (first.pk, Decimal("7.00"))
    ]


def test_two_time_only_records_for_the_same_worker_workshop_and_day_are_refused(world):
    first = time_only(world, "3.00")

    with refused_by_the_database() as refused:
        time_only(world, "2.00")

    assert first_line(refused) == unique_violation("one_time_record_per_worker_workshop_day")
    assert list(ProductionRecord.objects.values_list("pk", "hours")) == [
        (first.pk, Decimal("3.00"))
    ]


def test_the_same_worker_and_day_in_two_workshops_are_two_records(world):
    """The unique keys hold the workshop: they refuse duplicates, nothing more."""
    record(world)
    time_only(world, "1.00")

    assert sorted(ProductionRecord.objects.values_list("workshop__slug", "hours")) == [
        ("crew-north", Decimal("1.00")),
        ("tailoring-north", Decimal("7.00")),
    ]


@pytest.mark.parametrize("hours", ["25.00", "24.01", "-1.00"])
def test_hours_outside_a_day_are_refused(world, hours):
    with refused_by_the_database() as refused:
        record(world, hours=hours)

    assert first_line(refused) == check_violation("production_hours_within_a_day")
    assert ProductionRecord.objects.count() == 0


@pytest.mark.parametrize("hours", ["0.00", "24.00"])
def test_hours_at_the_bounds_of_a_day_are_accepted(world, hours):
    record(world, hours=hours)

    assert list(ProductionRecord.objects.values_list("hours", flat=True)) == [Decimal(hours)]


@pytest.mark.parametrize("column", ["pieces", "rejects"])
def test_negative_counts_are_refused(world, column):
    with refused_by_the_database() as refused:
        record(world, **{column: -1})

    assert first_line(refused) == check_violation("production_counts_not_negative")
    assert ProductionRecord.objects.count() == 0


def test_a_breach_without_a_reason_is_refused(world):
    with refused_by_the_database() as refused:
        record(world, hours="10.00", breaches="HOURS_DAY", supervisor_note="")

    assert first_line(refused) == check_violation("production_breach_has_reason")
    assert ProductionRecord.objects.count() == 0


def test_a_breach_with_a_reason_is_accepted(world):
    kept = record(world, hours="10.00", breaches="HOURS_DAY", supervisor_note="Order deadline")

    assert ProductionRecord.objects.values_list("breaches", "supervisor_note").get(pk=kept.pk) == (
        "HOURS_DAY",
        "Order deadline",
    )


def test_a_record_without_a_supervisor_must_be_legacy(world):
    with refused_by_the_database() as refused:
        record(world, supervisor=None)

    assert first_line(refused) == check_violation("production_supervised_unless_legacy")
    assert ProductionRecord.objects.count() == 0
