"""The working-time policy, versioned by the date it takes effect (Mandela Rule 102)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import format_day


class WorkingTimePolicy(models.Model):
    effective_from = models.DateField(_("in effect from"), unique=True)
    max_hours_per_day = models.DecimalField(_("most hours a day"), max_digits=4, decimal_places=2)
    max_hours_per_week = models.DecimalField(_("most hours a week"), max_digits=5, decimal_places=2)
    rest_days_per_week = models.PositiveSmallIntegerField(
        _("rest days in every 7"), default=1, help_text=_("Days without work in any 7 in a row.")
    )
    fitness_clearance_required = models.BooleanField(_("fitness clearance required"), default=True)
    consent_notice_days = models.PositiveSmallIntegerField(
        _("consent notice period (days)"),
        default=0,
        help_text=_("Days after a withdrawal during which partner work may still be recorded."),
    )
    suspension_notice_days = models.PositiveSmallIntegerField(
        _("days work under way may go on after a suspension"),
        default=28,
        help_text=_(
            "After an assessment suspends a partner or a workshop, its work may still be recorded "
            "for this many days from the day the assessment was signed."
        ),
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("working-time policy")
        verbose_name_plural = _("working-time policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_hours_per_day__gt=0) & Q(max_hours_per_day__lte=Decimal(24)),
                name="policy_day_within_24_hours",
                violation_error_message=_("The daily limit is more than 0 and at most 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_week__gt=0)
                & Q(max_hours_per_week__lte=F("max_hours_per_day") * 7),
                name="policy_week_within_seven_days",
                violation_error_message=_(
                    "The weekly limit is more than 0 and at most 7 times the daily limit."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rest_days_per_week__gte=1) & Q(rest_days_per_week__lte=7),
                name="policy_rest_days_in_range",
                violation_error_message=_("At least 1 and at most 7 rest days in every 7."),
            ),
        ]

    def __str__(self):
        return str(_("Working time from %(date)s") % {"date": format_day(self.effective_from)})

    @classmethod
    def in_force_on(cls, day):
        """The policy in force on ``day``, or None before the first one."""
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
