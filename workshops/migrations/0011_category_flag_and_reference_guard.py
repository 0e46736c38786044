"""Two rules that the register holds.

- A deduction category says whether what it takes is credited to the worker's own account
  (``credited_to_worker``), instead of pay runs deciding by a fixed list of codes that staff may
  edit. The categories that list named (own spending, family, release savings) are flagged here.
- A worker's reference never changes once a record uses it (``workshops.register.references``). On
  PostgreSQL a trigger refuses the change when the register's records use it; migration
  ``wages/0009`` adds the same for the ledger's accounts and pay-run lines. SQLite's trigger is
  made after migrating (``workshops.register.references``), not here.
"""

from django.db import migrations, models

from core.postgres import on_postgresql

# The codes PERSONAL named in wages.accounts (now wages.ledger.accounts) before this migration.
CREDITED_TO_WORKER = ("own-spending", "family", "release-savings")

GUARD = """
CREATE FUNCTION workshops_worker_reference_fixed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM workshops_productionrecord WHERE worker_id = OLD.id)
        OR EXISTS (SELECT 1 FROM workshops_enrolment WHERE worker_id = OLD.id)
        OR EXISTS (SELECT 1 FROM workshops_consent WHERE worker_id = OLD.id)
        OR EXISTS (SELECT 1 FROM workshops_safetyincident WHERE worker_id = OLD.id) THEN
        RAISE EXCEPTION 'worker reference % is used by the register''s records: it never changes',
            OLD.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_worker_reference_fixed
    BEFORE UPDATE OF reference ON workshops_worker
    FOR EACH ROW WHEN (NEW.reference IS DISTINCT FROM OLD.reference)
    EXECUTE FUNCTION workshops_worker_reference_fixed();
"""
DROP_GUARD = """
DROP TRIGGER IF EXISTS workshops_worker_reference_fixed ON workshops_worker;
DROP FUNCTION IF EXISTS workshops_worker_reference_fixed();
"""


def flag_categories(apps, schema_editor):
    DeductionCategory = apps.get_model("workshops", "DeductionCategory")
    DeductionCategory.objects.filter(code__in=CREDITED_TO_WORKER).update(credited_to_worker=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0010_final_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="deductioncategory",
            name="credited_to_worker",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Kept in the worker's own account (family support, release savings), rather "
                    "than held for others (victims' fund, board)."
                ),
                verbose_name="credited to the worker",
            ),
        ),
        migrations.RunPython(flag_categories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="worker",
            name="reference",
            field=models.CharField(
                help_text=(
                    "The pseudonymous reference used on every record, e.g. W-4F7K2Q. It never "
                    "changes once a record uses it."
                ),
                max_length=20,
                unique=True,
                verbose_name="reference",
            ),
        ),
        migrations.RunPython(on_postgresql(GUARD), on_postgresql(DROP_GUARD)),
    ]
