"""The name a worker's workshop knows them by, shown to its supervisors on the daily grid."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workshops", "0015_course_codes_and_translations")]

    operations = [
        migrations.AddField(
            model_name="worker",
            name="known_as",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text=(
                    "The name the staff of the worker's workshops call the person by (a first "
                    "name, say). Shown to the supervisors of those workshops beside the "
                    "reference, never in public."
                ),
                max_length=80,
                verbose_name="known as",
            ),
        ),
    ]
