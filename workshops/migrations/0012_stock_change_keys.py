"""Stock change keys: returns, write-offs, counts and stocktakes keep their
keys in ``StockChange``, unique where the operations look them up, and every movement's key is its
operation's namespace, a colon and the key.

Existing movements move into the namespaces once, here: a return's ``k`` becomes ``return:k``, a
write-off's ``write-off:k``, a count's ``count:k``, and a stocktake's lines ``k#<SKU id>`` become
``count:k``, all lines of one stocktake under one change. (A single count keyed ``x#<its own SKU
id>`` cannot be told from a line of stocktake ``x``: it joins that stocktake, as ``count_stock``
took it to be.) Movements that shared a key before, on two products at once, share its change: any
later call with that key is refused as ``KeyReused``, never applied again. Only the key and the
change of a movement change: on PostgreSQL the append-only trigger is switched off for this
statement and on again. Going back restores the old keys."""

import re


import django.db.models.deletion
from django.db import migrations, models


NAMESPACES = {"returned": "return", "written_off": "write-off", "counted": "count"}
STOCKTAKE_LINE = re.compile(r"(?P<key>.*)#(?P<sku>[0-9]+)", re.DOTALL)
TRIGGER = "workshops_stock_movement_append_only"


def _append_only(schema_editor, enabled: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    if enabled:  # pending deferred checks first: ALTER TABLE refuses a table with pending events
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    action = "ENABLE" if enabled else "DISABLE"
    schema_editor.execute(f"ALTER TABLE workshops_stockmovement {action} TRIGGER {TRIGGER}")
    if enabled:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def keys_into_namespaces(apps, schema_editor):
    StockChange = apps.get_model("workshops", "StockChange")
    StockMovement = apps.get_model("workshops", "StockMovement")
    legacy = (
        StockMovement.objects.filter(kind__in=NAMESPACES, change__isnull=True)
        .select_related("stock")
        .order_by("pk")
    )
    _append_only(schema_editor, enabled=False)
    changes = {}
    for movement in legacy.iterator():
        key, namespace = movement.key, NAMESPACES[movement.kind]
        line = STOCKTAKE_LINE.fullmatch(key) if movement.kind == "counted" else None
        if line and int(line["sku"]) == movement.stock.sku_id:
            key = line["key"]
        if key not in changes:
            changes[key] = StockChange.objects.create(key=key, kind=namespace)
            StockChange.objects.filter(pk=changes[key].pk).update(at=movement.at)
        StockMovement.objects.filter(pk=movement.pk).update(
            change=changes[key], key=f"{namespace}:{key}"
        )
    _append_only(schema_editor, enabled=True)


def keys_out_of_namespaces(apps, schema_editor):
    StockChange = apps.get_model("workshops", "StockChange")
    StockMovement = apps.get_model("workshops", "StockMovement")
    _append_only(schema_editor, enabled=False)
    for change in StockChange.objects.order_by("pk").iterator():
        movements = list(StockMovement.objects.filter(change=change).select_related("stock"))
        for movement in movements:
            stocktake = movement.kind == "counted" and len(movements) > 1
            key = f"{change.key}#{movement.stock.sku_id}" if stocktake else change.key
            StockMovement.objects.filter(pk=movement.pk).update(change=None, key=key)
    StockChange.objects.all().delete()
    _append_only(schema_editor, enabled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0011_category_flag_and_reference_guard"),
    ]

    operations = [
        migrations.CreateModel(
            name="StockChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(max_length=100, unique=True, verbose_name="operation key"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("return", "return"),
                            ("write-off", "write-off"),
                            ("count", "count or stocktake"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
            ],
            options={
                "verbose_name": "stock change",
                "verbose_name_plural": "stock changes",
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.AlterField(
            model_name="stockmovement",
            name="key",
            field=models.CharField(max_length=110, verbose_name="operation key"),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="change",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="movements",
                to="workshops.stockchange",
                verbose_name="return, write-off or count",
            ),
        ),
        migrations.RunPython(keys_into_namespaces, keys_out_of_namespaces),
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("change__isnull", False),
                        ("kind__in", ["returned", "written_off", "counted"]),
                    ),
                    models.Q(
                        models.Q(
                            ("kind__in", ["returned", "written_off", "counted"]), _negated=True
                        ),
                        ("change__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="movement_change_given",
            ),
        ),
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("key__startswith", "batch:"), ("kind", "received")),
                    models.Q(("key__startswith", "reserve:"), ("kind", "reserved")),
                    models.Q(("key__startswith", "release:"), ("kind", "released")),
                    models.Q(("key__startswith", "sell:"), ("kind", "sold")),
                    models.Q(("key__startswith", "return:"), ("kind", "returned")),
                    models.Q(("key__startswith", "write-off:"), ("kind", "written_off")),
                    models.Q(("key__startswith", "count:"), ("kind", "counted")),
                    _connector="OR",
                ),
                name="movement_key_in_its_namespace",
            ),
        ),
    ]
