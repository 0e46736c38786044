"""Where the work happens: regions, prisons, workshops and who supervises them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from core.translated_text import TranslatedTextField, in_language

from .fairness import Fairness, fairness_assessment_field, fairness_field, fairness_since_field


class Region(models.Model):
    """A region of the country, for market wage benchmarks (a trade's wage outside differs by
    region) and for reports."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Prison(index.Indexed, models.Model):
    class Population(models.TextChoices):
        WOMEN = "women", _("women")
        MEN = "men", _("men")
        MIXED = "mixed", _("women and men")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    population = models.CharField(_("population"), max_length=10, choices=Population.choices)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("prison")
        verbose_name_plural = _("prisons")

    def __str__(self):
        return self.name


class Workshop(index.Indexed, models.Model):
    """A place of work: run by the administration itself, run for a partner under a contract, or
    an external placement at a partner's premises. One trade each (Mandela Rule 98-99)."""

    Fairness = Fairness

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("run by the administration")
        PARTNER = "partner", _("run for a partner under a contract")
        PLACEMENT = "placement", _("external placement at a partner's premises")

    name = models.CharField(_("internal name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    public_name = models.CharField(
        _("public name"),
        max_length=120,
        help_text=_("What the shop says about where a product was made; never names the prison."),
    )
    public_name_translations = TranslatedTextField(
        _("public name in other languages"), max_length=120
    )
    prison = models.ForeignKey(Prison, verbose_name=_("prison"), on_delete=models.PROTECT)
    trade = models.ForeignKey("workshops.Trade", verbose_name=_("trade"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    makes_products = models.BooleanField(
        _("makes products"),
        default=True,
        help_text=_("Off for time-only work (services, placements, construction): no SKUs."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # changed only by workshops.register.contracts.set_workshop_fairness
    fairness = fairness_field()
    fairness_since = fairness_since_field()
    fairness_assessment = fairness_assessment_field()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("public_name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.name

    def public_name_in(self, language: str | None = None) -> str:
        """The public name in ``language`` (default: the active one), else the default's."""
        return in_language(self.public_name, self.public_name_translations, language)


class WorkshopSupervisor(models.Model):
    """A member of staff assigned to supervise a workshop from a date (Mandela Rule 100.1: prison
    staff supervise partner work)."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="supervisors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="supervised_workshops",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["workshop", "start"]
        verbose_name = _("workshop supervisor")
        verbose_name_plural = _("workshop supervisors")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="supervisor_period_in_order",
                violation_error_message=_("A supervision cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.workshop}"
