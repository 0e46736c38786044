"""Tax classes and their rates in force by date.

Each product names a **tax class** (standard, reduced, books…); each class has rates, each in
force from a day until the next one. An order line takes the rate in force on the day the order
is placed, and keeps it.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from core.translated_text import TranslatedTextField, in_language


class TaxClass(ClusterableModel):
    """A cluster, so that its rates are edited inline on its admin form."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_translations = TranslatedTextField(_("name in other languages"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tax class")
        verbose_name_plural = _("tax classes")

    def __str__(self):
        return self.name

    def name_in(self, language: str | None = None) -> str:
        return in_language(self.name, self.name_translations, language)

    def rate_on(self, day: datetime.date) -> "TaxRate | None":
        """The rate in force on ``day``, or None when the class has none yet."""
        return self.rates.filter(effective_from__lte=day).order_by("-effective_from").first()


class TaxRate(models.Model):
    tax_class = ParentalKey(
        TaxClass, verbose_name=_("tax class"), on_delete=models.PROTECT, related_name="rates"
    )
    effective_from = models.DateField(_("in force from"))
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["tax_class", "-effective_from"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_class", "effective_from"],
                name="tax_rate_once_per_day",
                violation_error_message=_("This tax class already has a rate from that day."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100),
                name="tax_rate_is_a_percentage",
                violation_error_message=_("A tax rate is between 0 and 100 %."),
            ),
        ]

    def __str__(self):
        return f"{self.tax_class} {self.rate} % ({self.effective_from})"
