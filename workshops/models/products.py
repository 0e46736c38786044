"""What each workshop makes: its SKUs. The shop's product variants point at these."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.translated_text import TranslatedTextField, in_language


class SKU(models.Model):
    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        PAIR = "pair", _("pair")
        SET = "set", _("set")
        KILOGRAM = "kg", _("kilogram")
        LITRE = "l", _("litre")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    name_translations = TranslatedTextField(_("name in other languages"), max_length=160)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="skus",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")

    def __str__(self):
        return f"{self.code} {self.name}"

    def name_in(self, language: str | None = None) -> str:
        """The product's name in ``language`` (default: the active one), else the default's."""
        return in_language(self.name, self.name_translations, language)
