"""Training attendance paid before it was held by a lock: each run that has been calculated and
not cancelled paid the attendance of its prison in its period that was recorded before its last
calculation, so that attendance is marked as held by the run's lock; without this the next run
would pay it again. Attendance recorded after the calculation was never paid: it stays free, and
the next run pays it as late attendance."""

from django.db import migrations

HELD = ("calculated", "approved", "posted")


def mark_paid_attendance(apps, schema_editor):
    PayRun = apps.get_model("wages", "PayRun")
    ProductionLock = apps.get_model("workshops", "ProductionLock")
    TrainingAttendance = apps.get_model("workshops", "TrainingAttendance")
    for run in PayRun.objects.filter(status__in=HELD).order_by("period_start"):
        lock = ProductionLock.objects.filter(
            reference=run.reference, released_at__isnull=True
        ).first()
        if lock is None:
            continue
        TrainingAttendance.objects.filter(
            workshop__prison_id=run.prison_id,
            day__gte=run.period_start,
            day__lte=run.period_end,
            recorded_at__lte=run.calculated_at,
            lock__isnull=True,
        ).update(lock=lock)


class Migration(migrations.Migration):
    dependencies = [
        ("wages", "0005_pay_runs"),
        ("workshops", "0009_attendance_locks"),
    ]

    operations = [
        migrations.RunPython(mark_paid_attendance, migrations.RunPython.noop),
    ]
