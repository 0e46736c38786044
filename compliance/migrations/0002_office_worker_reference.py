"""The reference guard over compliance's records of workers: a grievance and a check's finding
name a worker by reference (the finding in its exports and the stored JSON of its evidence), so
once one exists the reference is fixed (``workshops.register.references``). SQLite's trigger
follows the model registry by itself; on PostgreSQL compliance adds its own trigger beside those
of workshops (0011) and wages (0009, 0019), since those apps may not know compliance's tables.
"""

from django.db import migrations

from core.postgres import on_postgresql

USES = ("compliance_grievance", "compliance_checkfinding")


def guard(tables) -> str:
    checks = "\n        OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE worker_id = OLD.id)" for table in tables
    )
    return f"""
CREATE OR REPLACE FUNCTION compliance_worker_reference_fixed() RETURNS trigger AS $$
BEGIN
    IF {checks} THEN
        RAISE EXCEPTION 'worker reference % is used by a grievance or a compliance finding: it never changes',
            OLD.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS compliance_worker_reference_fixed ON workshops_worker;
CREATE TRIGGER compliance_worker_reference_fixed
    BEFORE UPDATE OF reference ON workshops_worker
    FOR EACH ROW WHEN (NEW.reference IS DISTINCT FROM OLD.reference)
    EXECUTE FUNCTION compliance_worker_reference_fixed();
"""


DROP_GUARD = """
DROP TRIGGER IF EXISTS compliance_worker_reference_fixed ON workshops_worker;
DROP FUNCTION IF EXISTS compliance_worker_reference_fixed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_rules_data"),
        ("workshops", "0017_category_use"),
    ]

    operations = [migrations.RunPython(on_postgresql(guard(USES)), on_postgresql(DROP_GUARD))]
