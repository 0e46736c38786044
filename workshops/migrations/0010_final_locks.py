"""A posted pay run's lock is final: its records were paid, so they are never
freed to be paid again by a later run. The lock keeps what it held when it became final, for
``verify_ledger``. A check constraint keeps a final lock from being released; on PostgreSQL
triggers also refuse changing or deleting a final lock (un-finalising it included), deleting its
``LockedRecord`` rows, and adding records or training attendance to it. The attendance guard of
migration 0009 already refuses changing, deleting or moving attendance a held lock pays, and a
final lock is always held.

Pay-run references (and so lock references and ``settled_by``) grow to 150 characters: a prison's
slug may have 120."""

from django.db import migrations, models

from core.postgres import on_postgresql

GUARDS = """
CREATE FUNCTION workshops_final_lock_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.finalised_at IS NOT NULL THEN
        RAISE EXCEPTION 'production lock % of pay run % is final: it cannot change or be deleted',
            OLD.id, OLD.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_final_lock_guard
    BEFORE UPDATE OR DELETE ON workshops_productionlock
    FOR EACH ROW EXECUTE FUNCTION workshops_final_lock_guard();

CREATE FUNCTION workshops_final_lock_rows_kept() RETURNS trigger AS $$
DECLARE
    paid record;
BEGIN
    SELECT r.record_id, l.reference INTO paid FROM removed r
    JOIN workshops_productionlock l ON l.id = r.lock_id
    WHERE l.finalised_at IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'production record % was paid by posted pay run %: its lock is final',
            paid.record_id, paid.reference USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_final_lock_rows_kept
    AFTER DELETE ON workshops_lockedrecord REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION workshops_final_lock_rows_kept();

CREATE FUNCTION workshops_final_lock_rows_closed() RETURNS trigger AS $$
DECLARE
    final text;
BEGIN
    SELECT l.reference INTO final FROM (SELECT DISTINCT lock_id FROM added) a
    JOIN workshops_productionlock l ON l.id = a.lock_id
    WHERE l.finalised_at IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the lock of posted pay run % is final: it holds no more records', final
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_final_lock_rows_closed
    AFTER INSERT ON workshops_lockedrecord REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION workshops_final_lock_rows_closed();

CREATE FUNCTION workshops_final_lock_attendance_closed() RETURNS trigger AS $$
DECLARE
    final text;
BEGIN
    IF NEW.lock_id IS NOT NULL
        AND (TG_OP = 'INSERT' OR NEW.lock_id IS DISTINCT FROM OLD.lock_id) THEN
        SELECT reference INTO final FROM workshops_productionlock
        WHERE id = NEW.lock_id AND finalised_at IS NOT NULL;
        IF FOUND THEN
            RAISE EXCEPTION 'the lock of posted pay run % is final: it holds no more training', final
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_final_lock_attendance_closed
    BEFORE INSERT OR UPDATE OF lock_id ON workshops_trainingattendance
    FOR EACH ROW EXECUTE FUNCTION workshops_final_lock_attendance_closed();
"""
DROP_GUARDS = """
DROP TRIGGER IF EXISTS workshops_final_lock_attendance_closed ON workshops_trainingattendance;
DROP FUNCTION IF EXISTS workshops_final_lock_attendance_closed();
DROP TRIGGER IF EXISTS workshops_final_lock_rows_closed ON workshops_lockedrecord;
DROP FUNCTION IF EXISTS workshops_final_lock_rows_closed();
DROP TRIGGER IF EXISTS workshops_final_lock_rows_kept ON workshops_lockedrecord;
DROP FUNCTION IF EXISTS workshops_final_lock_rows_kept();
DROP TRIGGER IF EXISTS workshops_final_lock_guard ON workshops_productionlock;
DROP FUNCTION IF EXISTS workshops_final_lock_guard();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0009_attendance_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="productionlock",
            name="finalised_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="final since"),
        ),
        migrations.AddField(
            model_name="productionlock",
            name="held_attendance",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="training sessions held when final"
            ),
        ),
        migrations.AddField(
            model_name="productionlock",
            name="held_checksum",
            field=models.CharField(blank=True, max_length=120, verbose_name="checksum when final"),
        ),
        migrations.AddField(
            model_name="productionlock",
            name="held_records",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="records held when final"
            ),
        ),
        migrations.AlterField(
            model_name="productionadjustment",
            name="settled_by",
            field=models.CharField(
                blank=True, db_index=True, max_length=150, verbose_name="settled by pay run"
            ),
        ),
        migrations.AlterField(
            model_name="productionlock",
            name="reference",
            field=models.CharField(max_length=150, verbose_name="reference"),
        ),
        migrations.AddConstraint(
            model_name="productionlock",
            constraint=models.CheckConstraint(
                condition=models.Q(finalised_at__isnull=True) | models.Q(released_at__isnull=True),
                name="final_lock_never_released",
                violation_error_message="A posted pay run's lock is never released.",
            ),
        ),
        migrations.RunPython(on_postgresql(GUARDS), on_postgresql(DROP_GUARDS)),
    ]
