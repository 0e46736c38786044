"""Training attendance is held by the pay run that pays it, as production records are: the run's
production lock (``TrainingAttendance.lock``). On PostgreSQL a trigger keeps attendance that a
held lock pays from changing, being deleted or moving to another lock, and refuses holding it by a
released lock; once the lock is released (the run was cancelled) the attendance is free again."""

import django.db.models.deletion
from django.db import migrations, models

from core.postgres import on_postgresql

GUARD = """
CREATE FUNCTION workshops_paid_attendance_guard() RETURNS trigger AS $$
DECLARE
    held text;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.lock_id IS NOT NULL THEN
        SELECT reference INTO held FROM workshops_productionlock
        WHERE id = OLD.lock_id AND released_at IS NULL;
    END IF;
    IF held IS NOT NULL THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'training attendance % is paid by pay run %: it cannot be deleted',
                OLD.id, held USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (NEW.enrolment_id, NEW.workshop_id, NEW.day, NEW.hours)
                IS DISTINCT FROM (OLD.enrolment_id, OLD.workshop_id, OLD.day, OLD.hours) THEN
            RAISE EXCEPTION 'training attendance % is paid by pay run %: it cannot change',
                OLD.id, held USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.lock_id IS DISTINCT FROM OLD.lock_id THEN
            RAISE EXCEPTION 'training attendance % is paid by pay run %: release that lock first',
                OLD.id, held USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.lock_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.lock_id IS DISTINCT FROM OLD.lock_id)
        AND NOT EXISTS (
            SELECT 1 FROM workshops_productionlock
            WHERE id = NEW.lock_id AND released_at IS NULL
        ) THEN
        RAISE EXCEPTION 'production lock % does not exist or was released', NEW.lock_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workshops_paid_attendance_guard
    BEFORE INSERT OR UPDATE OR DELETE ON workshops_trainingattendance
    FOR EACH ROW EXECUTE FUNCTION workshops_paid_attendance_guard();
"""
DROP_GUARD = """
DROP TRIGGER IF EXISTS workshops_paid_attendance_guard ON workshops_trainingattendance;
DROP FUNCTION IF EXISTS workshops_paid_attendance_guard();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0008_locked_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainingattendance",
            name="lock",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The pay run that pays these hours; attendance it pays no longer changes.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attendance",
                to="workshops.productionlock",
                verbose_name="paid by",
            ),
        ),
        migrations.RunPython(on_postgresql(GUARD), on_postgresql(DROP_GUARD)),
    ]
