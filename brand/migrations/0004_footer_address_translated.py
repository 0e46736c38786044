"""The footer's postal address moves from the brand settings (one for every language) to the
translatable brand text, so each language writes it its own way. An address already set is kept:
it becomes the default language's (a brand text is created for it where there is none)."""

import uuid

from django.conf import settings
from django.db import migrations, models


def move_address_to_text(apps, schema_editor):
    BrandSettings = apps.get_model("brand", "BrandSettings")
    BrandText = apps.get_model("brand", "BrandText")
    Locale = apps.get_model("wagtailcore", "Locale")
    addresses = [a for a in BrandSettings.objects.values_list("postal_address", flat=True) if a]
    if not addresses:
        return
    locales = Locale.objects.order_by("pk")
    default = locales.filter(language_code=settings.LANGUAGE_CODE).first() or locales.first()
    if default is None:
        return
    text = BrandText.objects.filter(locale=default).first()
    if text is None:
        text = BrandText(locale=default, translation_key=uuid.uuid4())
    if not text.postal_address:
        text.postal_address = addresses[0]
        text.save()


def move_address_back(apps, schema_editor):
    BrandSettings = apps.get_model("brand", "BrandSettings")
    BrandText = apps.get_model("brand", "BrandText")
    address = (
        BrandText.objects.exclude(postal_address="")
        .order_by("pk")
        .values_list("postal_address", flat=True)
        .first()
    )
    if address:
        BrandSettings.objects.update(postal_address=address)


class Migration(migrations.Migration):
    dependencies = [
        ("brand", "0003_story_consent"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="brandtext",
            name="postal_address",
            field=models.TextField(
                blank=True,
                help_text="One line per line of the address, as it is written in this language.",
                verbose_name="postal address",
            ),
        ),
        migrations.RunPython(move_address_to_text, move_address_back),
        migrations.RemoveField(model_name="brandsettings", name="postal_address"),
    ]
