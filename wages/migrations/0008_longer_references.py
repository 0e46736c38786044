"""Longer references, and final locks.

A prison's slug may have 120 characters, so a pay run's reference
(``PR-{slug}-{YYYY-MM-DD}`` and a ``-N`` suffix) may have 150, its chain's name
(``payrun:{reference}``) 157 and its journals' keys (``payrun:{reference}:{worker reference}``)
178. The columns grow to 150, 160 and 180.

The lock of a run posted before this migration becomes final, keeping what it holds now,
as posting does from now on. A posted run whose lock was already released (``unlock_production``
allowed it before) is left as it is: ``verify_ledger`` names it, for someone to look into."""

from django.db import migrations, models
from django.utils import timezone

HELD_SQL = """
SELECT count(*), coalesce(sum({id}), 0),
       coalesce(sum(({id} %% 1000000007) * ({id} %% 1000000007) %% 1000000007), 0)
FROM {table} WHERE lock_id = %s
"""


def finalise_posted_locks(apps, schema_editor):
    PayRun = apps.get_model("wages", "PayRun")
    ProductionLock = apps.get_model("workshops", "ProductionLock")
    posted = PayRun.objects.filter(status="posted").values("reference")
    locks = ProductionLock.objects.filter(
        reference__in=posted, released_at__isnull=True, finalised_at__isnull=True
    )
    with schema_editor.connection.cursor() as cursor:
        for lock in locks:
            found = []
            for table, column in (
                ("workshops_lockedrecord", "record_id"),
                ("workshops_trainingattendance", "id"),
            ):
                cursor.execute(HELD_SQL.format(table=table, id=column), [lock.pk])
                found.append([int(value) for value in cursor.fetchone()])
            (records, *record_sums), (attendance, *attendance_sums) = found
            lock.held_records, lock.held_attendance = records, attendance
            lock.held_checksum = ":".join(str(value) for value in record_sums + attendance_sums)
            lock.finalised_at = timezone.now()
            lock.save(
                update_fields=["finalised_at", "held_records", "held_attendance", "held_checksum"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("wages", "0007_ledger_hardening"),
        ("workshops", "0010_final_locks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="chain",
            name="name",
            field=models.CharField(max_length=160, unique=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="checkpoint",
            name="chain_name",
            field=models.CharField(max_length=160, unique=True, verbose_name="chain"),
        ),
        migrations.AlterField(
            model_name="journal",
            name="key",
            field=models.CharField(max_length=180, unique=True, verbose_name="key"),
        ),
        migrations.AlterField(
            model_name="payrun",
            name="reference",
            field=models.CharField(max_length=150, unique=True, verbose_name="reference"),
        ),
        migrations.RunPython(finalise_posted_locks, migrations.RunPython.noop),
    ]
