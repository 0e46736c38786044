"""The release receipt's label, and the reference guard over the records of paying people.

Payslips, purchases, family payees and remittances, and release settlements print or export a
worker's pseudonymous reference (on the slip, the shop system's file, the bank file's CSV, the
receipt), so once one exists the reference is fixed (``workshops.register.references``). SQLite's
trigger follows the model registry by itself; PostgreSQL's function (``wages/0009``) is replaced
by one that checks these tables too.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.postgres import on_postgresql

USES = (
    "wages_account",
    "wages_payrunline",
    "wages_payslip",
    "wages_purchase",
    "wages_payee",
    "wages_remittance",
    "wages_releasesettlement",
)


def guard(tables) -> str:
    checks = "\n        OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE worker_id = OLD.id)" for table in tables
    )
    return f"""
CREATE OR REPLACE FUNCTION wages_worker_reference_fixed() RETURNS trigger AS $$
BEGIN
    IF {checks} THEN
        RAISE EXCEPTION 'worker reference % is used by the ledger or a pay run: it never changes',
            OLD.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_background_jobs"),
        ("wages", "0018_sales_share"),
    ]

    operations = [
        migrations.AlterField(
            model_name="releasesettlement",
            name="back_wages_receipt",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.privatefile",
                verbose_name="receipt for the back wages paid out",
            ),
        ),
        migrations.RunPython(on_postgresql(guard(USES)), on_postgresql(guard(USES[:2]))),
    ]
