"""Production locks move from a column of each record to rows of their own (``LockedRecord``):
locking a month's records then writes narrow rows instead of rewriting every record and its
eleven indexes. The records' guard now looks the lock up there; on PostgreSQL a statement
trigger checks the new rows' references as a set, and the rows are never updated."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from core.postgres import on_postgresql

production = importlib.import_module("workshops.migrations.0004_production")

COPY_LOCKS = """
INSERT INTO workshops_lockedrecord (record_id, lock_id)
SELECT id, lock_id FROM workshops_productionrecord WHERE lock_id IS NOT NULL
"""
COPY_LOCKS_BACK = """
UPDATE workshops_productionrecord SET lock_id = (
    SELECT l.lock_id FROM workshops_lockedrecord l WHERE l.record_id = workshops_productionrecord.id
)
"""

GUARDS = """
CREATE OR REPLACE FUNCTION workshops_locked_production_guard() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM workshops_lockedrecord WHERE record_id = OLD.id) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'production record % is locked by a pay run and cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.worker_id, NEW.workshop_id, NEW.day, NEW.sku_id, NEW.legacy)
            IS DISTINCT FROM (OLD.worker_id, OLD.workshop_id, OLD.day, OLD.sku_id, OLD.legacy) THEN
        RAISE EXCEPTION 'production record % is locked: only its values change, by an adjustment', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.hours, NEW.pieces, NEW.rejects) IS DISTINCT FROM (OLD.hours, OLD.pieces, OLD.rejects)
        AND NOT EXISTS (
            SELECT 1 FROM workshops_productionadjustment a
            WHERE a.record_id = OLD.id
              AND (a.old_hours, a.old_pieces, a.old_rejects) = (OLD.hours, OLD.pieces, OLD.rejects)
              AND (a.new_hours, a.new_pieces, a.new_rejects) = (NEW.hours, NEW.pieces, NEW.rejects)
        ) THEN
        RAISE EXCEPTION 'production record % is locked: change it through a production adjustment', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION workshops_locked_record_references() RETURNS trigger AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT a.record_id INTO missing FROM added a
    WHERE NOT EXISTS (SELECT 1 FROM workshops_productionrecord r WHERE r.id = a.record_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'production record % does not exist and cannot be locked', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT a.lock_id INTO missing FROM (SELECT DISTINCT lock_id FROM added) a
    WHERE NOT EXISTS (
        SELECT 1 FROM workshops_productionlock l WHERE l.id = a.lock_id AND l.released_at IS NULL
    )
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'production lock % does not exist or was released', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_locked_record_references
    AFTER INSERT ON workshops_lockedrecord REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION workshops_locked_record_references();

CREATE FUNCTION workshops_locked_record_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a locked record is not moved to another lock or record: unlock it first'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_locked_record_fixed
    BEFORE UPDATE ON workshops_lockedrecord
    FOR EACH ROW EXECUTE FUNCTION workshops_locked_record_fixed();
"""
DROP_GUARDS = """
DROP TRIGGER IF EXISTS workshops_locked_record_fixed ON workshops_lockedrecord;
DROP FUNCTION IF EXISTS workshops_locked_record_fixed();
DROP TRIGGER IF EXISTS workshops_locked_record_references ON workshops_lockedrecord;
DROP FUNCTION IF EXISTS workshops_locked_record_references();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0007_inventory"),
    ]

    operations = [
        migrations.CreateModel(
            name="LockedRecord",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="locked",
                        serialize=False,
                        to="workshops.productionrecord",
                        verbose_name="record",
                    ),
                ),
                (
                    "lock",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="workshops.productionlock",
                        verbose_name="lock",
                    ),
                ),
            ],
            options={
                "verbose_name": "locked record",
                "verbose_name_plural": "locked records",
            },
        ),
        migrations.RunSQL(COPY_LOCKS, COPY_LOCKS_BACK),
        migrations.RunPython(
            on_postgresql(GUARDS),
            on_postgresql(
                DROP_GUARDS + production.DROP_LOCKED_RECORD_GUARD + production.LOCKED_RECORD_GUARD
            ),
        ),
        migrations.RemoveField(
            model_name="productionrecord",
            name="lock",
        ),
    ]
