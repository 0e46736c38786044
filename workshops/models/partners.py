"""Partner companies that employ workers, and their contracts with a workshop or placement."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from wagtail.search import index

from .fairness import Fairness, fairness_assessment_field, fairness_field, fairness_since_field


class Partner(index.Indexed, models.Model):
    Fairness = Fairness

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=160, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    # changed only by workshops.register.contracts.set_partner_fairness
    fairness = fairness_field()
    fairness_since = fairness_since_field()
    fairness_assessment = fairness_assessment_field()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner company")
        verbose_name_plural = _("partner companies")

    def __str__(self):
        return self.name


class Contract(models.Model):
    """What a partner pays for the labour of one workshop or placement over a period. At most one
    contract is in force for a workshop on any day, so a day's work has exactly one partner."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="contracts"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop or placement"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    hourly_rate = MoneyField(
        _("hourly rate"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    piece_rate = MoneyField(_("piece rate"), max_digits=10, decimal_places=4, null=True, blank=True)
    agreed_hours_per_week = models.DecimalField(
        _("agreed hours a week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    labour_charge_per_hour = MoneyField(
        _("labour charge an hour"),
        max_digits=10,
        decimal_places=2,
        help_text=_("What the partner pays for each hour of labour (Mandela Rule 100.2)."),
    )
    awarded_on = models.DateField(_("awarded on"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["workshop", "start"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="contract_period_in_order",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=False) | Q(piece_rate__isnull=False),
                name="contract_has_a_rate",
                violation_error_message=_("A contract pays an hourly rate, a piece rate or both."),
            ),
            models.CheckConstraint(
                condition=Q(start__gte=F("awarded_on")),
                name="contract_starts_after_award",
                violation_error_message=_("A contract cannot start before it is awarded."),
            ),
        ]

    def __str__(self):
        return self.reference
