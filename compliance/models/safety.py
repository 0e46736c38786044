"""Safety inspections and injury insurance of partners and placements (Mandela Rule 101: the
safety of free workers, and compensation for injury on terms no less favourable)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

PARTNER_OR_WORKSHOP = Q(partner__isnull=False) | Q(workshop__isnull=False)


class SafetyInspection(models.Model):
    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        PASSED_WITH_ACTIONS = "actions", _("passed, with actions to take")
        FAILED = "failed", _("failed")

    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_inspections",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop or placement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_inspections",
        help_text=_("Empty when the inspection covers all of the partner's premises."),
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.CharField(_("inspector"), max_length=160)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    findings = models.TextField(_("findings"), blank=True)
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-inspected_on"]
        verbose_name = _("safety inspection")
        verbose_name_plural = _("safety inspections")
        constraints = [
            models.CheckConstraint(
                condition=PARTNER_OR_WORKSHOP,
                name="inspection_of_a_partner_or_workshop",
                violation_error_message=_("An inspection is of a partner or a workshop."),
            ),
            models.CheckConstraint(
                condition=~Q(result="failed") | ~Q(findings=""),
                name="failed_inspection_has_findings",
                violation_error_message=_("Say what a failed inspection found."),
            ),
        ]

    def __str__(self):
        return f"{self.partner or self.workshop} {self.inspected_on} {self.get_result_display()}"


class InsuranceCover(models.Model):
    """Injury insurance of a partner (or of one placement) for a period. Periods of the same
    partner and workshop never overlap: an exclusion constraint on PostgreSQL (migration 0001),
    ``compliance.register`` on SQLite."""

    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="insurance",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insurance",
        help_text=_("Empty when the cover is for all of the partner's work."),
    )
    insurer = models.CharField(_("insurer"), max_length=160)
    policy_number = models.CharField(_("policy number"), max_length=80)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("certificate of insurance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["partner", "-start"]
        verbose_name = _("injury insurance cover")
        verbose_name_plural = _("injury insurance cover")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="insurance_period_in_order",
                violation_error_message=_("Insurance cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} {self.insurer} {self.start}–{self.end}"
