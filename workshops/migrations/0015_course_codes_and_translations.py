"""The awarding body's code for each course's qualification (the course's own ``code`` was printed
in its place), and the level and awarding body in other languages. Existing courses take their
slug as the code until a programme manager enters the awarding body's."""

import core.translated_text
from django.db import migrations, models


def codes_from_slugs(apps, schema_editor):
    Course = apps.get_model("workshops", "Course")
    for course in Course.objects.all():
        course.qualification_code = course.code
        course.save(update_fields=["qualification_code"])


class Migration(migrations.Migration):
    dependencies = [("workshops", "0014_stock_keys_fixed")]

    operations = [
        migrations.AddField(
            model_name="course",
            name="qualification_code",
            field=models.CharField(
                default="",
                help_text="The awarding body's code for the qualification, as it prints it.",
                max_length=60,
                verbose_name="qualification code",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(codes_from_slugs, migrations.RunPython.noop),
        migrations.AddField(
            model_name="course",
            name="level_translations",
            field=core.translated_text.TranslatedTextField(
                blank=True,
                default=dict,
                help_text="The same name in the site's other languages; empty falls back.",
                max_length=60,
                verbose_name="level in other languages",
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="awarding_body_translations",
            field=core.translated_text.TranslatedTextField(
                blank=True,
                default=dict,
                help_text="The same name in the site's other languages; empty falls back.",
                max_length=200,
                verbose_name="awarding body in other languages",
            ),
        ),
    ]
