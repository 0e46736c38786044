"""Migration 0012 moves the keys that returns, write-offs, counts and stocktakes kept on their
movements into ``StockChange`` and the movements' namespaces, and back. On PostgreSQL it switches
the append-only trigger off for that and on again."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from brand.demo.seed import ensure_wagtail_roots
from tests.workshops.production_builders import build_world, day
from workshops import inventory
from workshops.inventory import KeyReused

pytestmark = [pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]
BEFORE = ("workshops", "0011_category_flag_and_reference_guard")
AFTER = ("workshops", "0012_stock_change_keys")


def migrate(targets=None):
    """The historical models' registry at ``targets`` (else the latest) after migrating there, by
    the ``migrate`` command: its pre- and post-migrate signals drop and remake SQLite's guard of
    workers' references (``workshops.register.references``), whose trigger stops SQLite rebuilding a table."""
    for app, name in targets or [(None, None)]:
        call_command("migrate", *filter(None, (app, name)), verbosity=0)
    loader = MigrationLoader(connection)
    return loader.project_state(targets or loader.graph.leaf_nodes()).apps


def keys(apps) -> list[tuple]:
    movements = apps.get_model("workshops", "StockMovement").objects
    return sorted(movements.values_list("stock__sku__code", "kind", "key"))


@pytest.fixture
def world():
    ensure_wagtail_roots()
    world = build_world(skus=2)
    for sku in world.skus:
        inventory.receive_batch(
            sku=sku,
            quantity=10,
            made_from=day(0),
            made_to=day(0),
            user=world.supervisor,
            key=f"in-{sku.code}",
        )
    return world


def test_existing_movements_move_into_their_namespaces_and_back(world):
    a, b = world.skus
    inventory.write_off(a, 1, key="w", reason="Damp")
    inventory.return_to_stock(b, 2, key="r", source="Order 1")
    inventory.count_stock({a: 5, b: 4}, key="st", reason="Monthly")

    old = migrate([BEFORE])

    assert keys(old) == [
        ("SKU-A", "counted", f"st#{a.pk}"),
        ("SKU-A", "received", "batch:in-SKU-A"),
        ("SKU-A", "written_off", "w"),
        ("SKU-B", "counted", f"st#{b.pk}"),
        ("SKU-B", "received", "batch:in-SKU-B"),
        ("SKU-B", "returned", "r"),
    ]
    # Two write-offs under one key on two products at once, and a count keyed like a line of
    # stocktake "x", as the operations before 0012 could leave them.
    movements = old.get_model("workshops", "StockMovement").objects
    stock = dict(old.get_model("workshops", "Stock").objects.values_list("sku_id", "pk"))
    for sku, kind, key in [
        (a, "written_off", "dup"),
        (b, "written_off", "dup"),
        (a, "counted", f"x#{a.pk}"),
        (b, "counted", f"x#{a.pk}"),  # not its own SKU's id: a count keyed so
    ]:
        counted = 0 if kind == "counted" else None
        movements.create(stock_id=stock[sku.pk], kind=kind, key=key, reason="Old", counted=counted)

    new = migrate([AFTER])

    assert keys(new) == [
        ("SKU-A", "counted", "count:st"),
        ("SKU-A", "counted", "count:x"),
        ("SKU-A", "received", "batch:in-SKU-A"),
        ("SKU-A", "written_off", "write-off:dup"),
        ("SKU-A", "written_off", "write-off:w"),
        ("SKU-B", "counted", "count:st"),
        ("SKU-B", "counted", f"count:x#{a.pk}"),
        ("SKU-B", "received", "batch:in-SKU-B"),
        ("SKU-B", "returned", "return:r"),
        ("SKU-B", "written_off", "write-off:dup"),
    ]
    changes = new.get_model("workshops", "StockChange").objects
    assert sorted(changes.values_list("key", "kind", "movements__stock__sku__code")) == [
        ("dup", "write-off", "SKU-A"),
        ("dup", "write-off", "SKU-B"),
        ("r", "return", "SKU-B"),
        ("st", "count", "SKU-A"),
        ("st", "count", "SKU-B"),
        ("w", "write-off", "SKU-A"),
        ("x", "count", "SKU-A"),
        (f"x#{a.pk}", "count", "SKU-B"),
    ]

    migrate()
    assert inventory.write_off(a, 1, key="w", reason="Damp").key == "write-off:w"
    assert [m.key for m in inventory.count_stock({b: 4, a: 5}, key="st", reason="Monthly")] == [
        "count:st",
        "count:st",
    ]
    with pytest.raises(KeyReused):
        inventory.write_off(a, 1, key="dup", reason="Old")
