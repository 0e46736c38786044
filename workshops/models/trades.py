"""Trades taught and worked in the workshops."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Trade(TranslatableMixin, models.Model):
    """A trade taught and worked in the workshops.

    Each trade carries the code of the matching occupation outside (ISCO-08), so the work can be
    shown to "resemble as nearly as possible that of similar work outside" (Mandela Rule 99).

    The public sees trades by name, so a trade is translatable: one row per language, linked by
    ``translation_key`` (Wagtail's ``TranslatableMixin``, translated in the back office through
    wagtail-localize). Records elsewhere point at the default language's row and show
    ``trade.localized`` to a reader; the slug and occupation code are the same in every language.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    occupation_code = models.CharField(
        _("occupation code (ISCO-08)"),
        max_length=4,
        help_text=_("The four-digit ISCO-08 unit group of the same occupation outside."),
    )
    description = models.TextField(_("public description"), blank=True)

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
        SynchronizedField("occupation_code"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="trade_slug_unique_per_locale"),
            models.UniqueConstraint(fields=["locale", "name"], name="trade_name_unique_per_locale"),
            models.CheckConstraint(
                condition=models.Q(occupation_code__regex=r"^[0-9]{4}$"),
                name="trade_occupation_code_four_digits",
                violation_error_message=_("The occupation code is four digits (ISCO-08)."),
            ),
        ]

    def __str__(self):
        return self.name
