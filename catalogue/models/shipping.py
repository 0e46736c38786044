"""Where the shop delivers and what it costs: **zones** of countries, and **rates** per zone and
weight. Collection from a shop is a rate of its own, free or not, with the address to collect
from. A country in no zone cannot be delivered to."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField

from catalogue.models.money import money_field_options
from core.translated_text import TranslatedTextField, in_language


class ShippingZone(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")

    def __str__(self):
        return self.name


class ShippingRate(models.Model):
    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("delivery")
        COLLECTION = "collection", _("collection from a shop")

    zone = models.ForeignKey(
        ShippingZone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="rates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DELIVERY)
    name = models.CharField(_("name"), max_length=80)
    name_translations = TranslatedTextField(_("name in other languages"), max_length=80)
    max_weight_grams = models.PositiveIntegerField(
        _("for parcels up to (grams)"), help_text=_("The heaviest order this rate carries.")
    )
    price = MoneyField(_("price"), **money_field_options())
    tax_class = models.ForeignKey(
        "catalogue.TaxClass", verbose_name=_("tax class"), on_delete=models.PROTECT
    )
    collection_address = models.TextField(_("address to collect from"), blank=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["zone", "kind", "max_weight_grams"]
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="shipping_rate_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="delivery") | ~Q(collection_address=""),
                name="collection_rate_has_an_address",
                violation_error_message=_("A collection rate names the address to collect from."),
            ),
        ]

    def __str__(self):
        return f"{self.zone}: {self.name}"

    def name_in(self, language: str | None = None) -> str:
        return in_language(self.name, self.name_translations, language)
