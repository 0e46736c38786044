"""The thresholds of the safeguard rules that neither the working-time policy (``workshops``) nor
the pay policy (``wages``) holds, versioned by the day they take effect like those two: a change
is a new version from a later day, so a check of a past period reads the thresholds then in force.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import format_day

PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}


class ComplianceThresholds(models.Model):
    effective_from = models.DateField(_("in effect from"), unique=True)
    training_share = models.DecimalField(
        _("training: least share of hours worked (%)"),
        default=Decimal(10),
        help_text=_("Each worker's training hours against the hours they worked (Rules 98-99)."),
        **PERCENT,
    )
    gender_gap = models.DecimalField(
        _("gender gap flagged above (%)"),
        default=Decimal(10),
        help_text=_(
            "A difference in effective pay, or in women's share of a trade against their share of "
            "the workers, above this is flagged (Bangkok Rule 42)."
        ),
        **PERCENT,
    )
    grievance_answer_days = models.PositiveSmallIntegerField(
        _("grievance answered within (days)"), default=30
    )
    victims_fund_min = models.DecimalField(
        _("victims' fund: least share of gross (%)"), default=Decimal(5), **PERCENT
    )
    victims_fund_max = models.DecimalField(
        _("victims' fund: greatest share of gross (%)"), default=Decimal(20), **PERCENT
    )
    inspection_valid_days = models.PositiveSmallIntegerField(
        _("safety inspection valid for (days)"), default=365
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("compliance thresholds")
        verbose_name_plural = _("compliance thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(training_share__gte=0) & Q(training_share__lte=100),
                name="thresholds_training_share_is_a_percentage",
                violation_error_message=_("The training share is between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(gender_gap__gte=0) & Q(gender_gap__lte=100),
                name="thresholds_gender_gap_is_a_percentage",
                violation_error_message=_("The gender gap is between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(victims_fund_min__gte=0)
                & Q(victims_fund_max__lte=100)
                & Q(victims_fund_max__gte=F("victims_fund_min")),
                name="thresholds_victims_fund_range",
                violation_error_message=_(
                    "The victims' fund range is within 0–100 % and its greatest share is at "
                    "least its least."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grievance_answer_days__gte=1) & Q(grievance_answer_days__lte=365),
                name="thresholds_grievance_days_in_range",
                violation_error_message=_("A grievance is answered within 1 to 365 days."),
            ),
            models.CheckConstraint(
                condition=Q(inspection_valid_days__gte=1) & Q(inspection_valid_days__lte=1096),
                name="thresholds_inspection_days_in_range",
                violation_error_message=_("An inspection is valid for 1 day to 3 years."),
            ),
        ]

    def __str__(self):
        return str(
            _("Compliance thresholds from %(day)s") % {"day": format_day(self.effective_from)}
        )

    @classmethod
    def in_force_on(cls, day):
        """The thresholds in force on ``day``, or None before the first version."""
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
