"""The work programme's register. The foundation holds trades; the register issue adds the rest."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trade(models.Model):
    """A trade taught and worked in the workshops.

    Each trade carries the code of the matching occupation outside (ISCO-08), so the work can be
    shown to "resemble as nearly as possible that of similar work outside" (Mandela Rule 99).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    occupation_code = models.CharField(
        _("occupation code (ISCO-08)"),
        max_length=4,
        help_text=_("The four-digit ISCO-08 unit group of the same occupation outside."),
    )
    description = models.TextField(_("public description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupation_code__regex=r"^[0-9]{4}$"),
                name="trade_occupation_code_four_digits",
                violation_error_message=_("The occupation code is four digits (ISCO-08)."),
            )
        ]

    def __str__(self):
        return self.name
