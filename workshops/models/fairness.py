"""The fairness status an auditor's signed assessment gives a partner or a workshop (DESIGN.md,
"Key models"): kept here, beside what it describes, so the shop can show it and the register can
act on it without importing ``compliance``. Only the operations in
``workshops.register.contracts`` change these fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Fairness(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("not yet assessed")
    COMPLIANT = "compliant", _("compliant")
    ACTION_REQUIRED = "action_required", _("action required")
    SUSPENDED = "suspended", _("suspended")


def fairness_field() -> models.CharField:
    return models.CharField(
        _("fairness status"),
        max_length=20,
        choices=Fairness.choices,
        default=Fairness.NOT_ASSESSED,
        editable=False,
    )


def fairness_since_field() -> models.DateField:
    return models.DateField(
        _("fairness status since"),
        null=True,
        editable=False,
        help_text=_("The day the assessment that set the status was signed."),
    )


def fairness_assessment_field() -> models.CharField:
    return models.CharField(
        _("fairness assessment"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("The reference of the assessment that set the status."),
    )
