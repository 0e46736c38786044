"""The tables of stock keys hold on PostgreSQL what their keys did (migration 0014): a
``StockChange`` is append-only, as movements are, and a batch's or a reservation's key never
changes. Otherwise a key could be rewritten or freed and then replayed as something else."""

import pytest
from django.core.management import call_command
from django.db import connection

from brand.demo.seed import ensure_wagtail_roots
from core.testing.database import first_line, raw, refused_by_the_database
from tests.postgres.inventory_checks import at_once, everything, in_an_hour, stocked
from tests.workshops.production_builders import build_world
from workshops import inventory
from workshops.models import Batch, Reservation, StockChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
CHANGES = "workshops_stockchange"
BEFORE = ("workshops", "0013_plausible_numbers")
AFTER = ("workshops", "0014_stock_keys_fixed")
LATEST = ()  # every app: going back unapplied the later apps that depend on workshops (the shop)
TRIGGERS = [
    ("workshops_batch", "workshops_batch_key_fixed"),
    ("workshops_reservation", "workshops_reservation_key_fixed"),
    (CHANGES, "workshops_stock_change_append_only"),
]


@pytest.fixture(autouse=True)
def locales():
    """A transactional test empties the database between tests, locales included."""
    ensure_wagtail_roots()


@pytest.fixture
def world():
    return build_world(skus=2)


def changes() -> list[tuple]:
    return sorted(StockChange.objects.values_list("pk", "key", "kind", "at"))


def written_off(world):
    stocked(world, world.skus[0], 10)
    return StockChange.objects.get(
        pk=inventory.write_off(world.skus[0], 2, key="damp", reason="Water damage").change_id
    )


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {CHANGES} SET key = 'other' WHERE id = %s",  # noqa: S608 # nosec B608
        f"UPDATE {CHANGES} SET kind = 'return' WHERE id = %s",  # noqa: S608 # nosec B608
        f"UPDATE {CHANGES} SET at = at - interval '1 day' WHERE id = %s",  # noqa: S608 # nosec B608
        f"DELETE FROM {CHANGES} WHERE id = %s",  # noqa: S608 # nosec B608
    ],
    ids=["update-key", "update-kind", "update-at", "delete"],
)
def test_a_stock_change_cannot_be_changed_or_deleted_in_raw_sql(world, sql):
    change = written_off(world)
    before = (everything(), changes())

    with refused_by_the_database() as refused:
        raw(sql, change.pk)

    assert first_line(refused) == (
        f"stock change {change.pk} is append-only: it cannot be changed or deleted"
    )
    assert (everything(), changes()) == before


def test_the_orm_cannot_rewrite_a_stock_change_either(world):
    change = written_off(world)
    before = (everything(), changes())
    message = f"stock change {change.pk} is append-only: it cannot be changed or deleted"

    for rewrite in ({"key": "free-again"}, {"kind": StockChange.Kind.RETURN}):
        with refused_by_the_database() as refused:
            StockChange.objects.filter(pk=change.pk).update(**rewrite)
        assert first_line(refused) == message

    assert (everything(), changes()) == before
    assert StockChange.objects.values_list("key", "kind").get() == ("damp", "write-off")


def test_a_stock_change_without_movements_is_not_deleted_either(world):
    """Its movements' foreign keys protect a change that has them; the trigger, every change."""
    bare = StockChange.objects.create(key="bare", kind=StockChange.Kind.RETURN)
    before = changes()

    with refused_by_the_database() as refused:
        StockChange.objects.filter(pk=bare.pk).delete()

    assert first_line(refused) == (
        f"stock change {bare.pk} is append-only: it cannot be changed or deleted"
    )
    assert changes() == before


def test_a_batch_key_never_changes(world):
    batch = stocked(world, world.skus[0], 10)
    before = (everything(), sorted(Batch.objects.values_list("pk", "key")))

    with refused_by_the_database() as refused:
        Batch.objects.filter(pk=batch.pk).update(key="other")

    assert first_line(refused) == (
        f"the key of batch {batch.pk} never changes: it names what the key did"
    )
    assert (everything(), sorted(Batch.objects.values_list("pk", "key"))) == before


def test_a_reservation_key_never_changes_while_its_state_does(world):
    stocked(world, world.skus[0], 10)
    reservation = inventory.reserve([(world.skus[0], 3)], key="checkout-1", expires_at=in_an_hour())
    before = everything()

    with refused_by_the_database() as refused:
        raw("UPDATE workshops_reservation SET key = 'checkout-2' WHERE id = %s", reservation.pk)

    assert first_line(refused) == (
        f"the key of reservation {reservation.pk} never changes: it names what the key did"
    )
    assert everything() == before
    inventory.release(reservation)
    assert Reservation.objects.values_list("key", "state").get() == ("checkout-1", "released")


NAMES = [name for _table, name in TRIGGERS]


def triggers() -> list[tuple]:
    """The migration's triggers, with their tables, and their functions."""
    made = raw_rows(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname = ANY(%s)", NAMES
    )
    functions = raw_rows("SELECT proname FROM pg_proc WHERE proname = ANY(%s)", NAMES)
    assert sorted(name for (name,) in functions) == sorted(name for _table, name in made)
    return sorted(made)


def raw_rows(sql, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def migrate(target) -> None:
    call_command("migrate", *target, verbosity=0)


@at_once
def test_migration_0014_goes_back_and_forth(world):
    change = written_off(world)
    assert triggers() == TRIGGERS

    try:
        migrate(BEFORE)
        assert triggers() == []
        assert raw(f"UPDATE {CHANGES} SET key = 'moved' WHERE id = %s", change.pk) == 1  # noqa: S608 # nosec B608
        assert raw(f"UPDATE {CHANGES} SET key = 'damp' WHERE id = %s", change.pk) == 1  # noqa: S608 # nosec B608
    finally:
        migrate(AFTER)
        migrate(LATEST)  # and on to the migrations after it: the next tests need today's schema

    assert triggers() == TRIGGERS
    with refused_by_the_database():
        raw(f"UPDATE {CHANGES} SET key = 'moved' WHERE id = %s", change.pk)  # noqa: S608 # nosec B608
    assert changes()[0][1:3] == ("damp", "write-off")
