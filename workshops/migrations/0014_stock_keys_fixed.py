"""The keys of stock operations stay what they were claimed as. A
``StockChange`` names what its key did: rewriting its key or kind, or deleting it, would let the
key be replayed as something else. On PostgreSQL it becomes append-only, as movements are
(migration 0007), and the key of a batch or a reservation, whose other columns the operations
do change (a reservation's state), never changes. SQLite has no such triggers for movements
either: there the operations are the only writers."""

from django.db import migrations

from core.postgres import on_postgresql, refusing_trigger

TRIGGERS = [
    refusing_trigger(
        "workshops_stock_change_append_only",
        "workshops_stockchange",
        on="UPDATE OR DELETE",
        message="stock change % is append-only: it cannot be changed or deleted",
    ),
    refusing_trigger(
        "workshops_batch_key_fixed",
        "workshops_batch",
        on="UPDATE OF key",
        when="NEW.key IS DISTINCT FROM OLD.key",
        message="the key of batch % never changes: it names what the key did",
    ),
    refusing_trigger(
        "workshops_reservation_key_fixed",
        "workshops_reservation",
        on="UPDATE OF key",
        when="NEW.key IS DISTINCT FROM OLD.key",
        message="the key of reservation % never changes: it names what the key did",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0013_plausible_numbers"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(make), on_postgresql(drop)) for make, drop in TRIGGERS
    ]
