"""Workers and where they are: stays in a prison, fitness clearances, assignments to workshops.

A worker is known everywhere by a pseudonymous reference, which never changes once a record uses
it (``workshops.register.references``). The legal name and prison number are
kept for the roles that must match a person to their records (``view_worker_identity``) and shown
nowhere else: never on a public page, in a search index, an export or an e-mail (DESIGN.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Worker(index.Indexed, models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")

    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        help_text=_(
            "The pseudonymous reference used on every record, e.g. W-4F7K2Q. It never changes "
            "once a record uses it."
        ),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    known_as = models.CharField(
        _("known as"),
        max_length=80,
        blank=True,
        db_default="",  # rows written by other systems (imports, raw SQL) need not name it
        help_text=_(
            "The name the staff of the worker's workshops call the person by (a first name, say). "
            "Shown to the supervisors of those workshops beside the reference, never in public."
        ),
    )
    prison_number = models.CharField(_("prison number"), max_length=40, unique=True)
    sex = models.CharField(
        _("sex"), max_length=10, choices=Sex.choices, help_text=_("For equal-access monitoring.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)

    # The back office's choosers search by reference only: never by legal name or prison number.
    search_fields = [index.SearchField("reference"), index.AutocompleteField("reference")]

    class Meta:
        ordering = ["reference"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        permissions = [
            ("view_worker_identity", _("Can see workers' legal names and prison numbers")),
        ]

    def __str__(self):
        return self.reference


class Stay(models.Model):
    """A worker's time in one prison; a transfer ends one stay and starts the next."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="stays"
    )
    prison = models.ForeignKey(
        "workshops.Prison", verbose_name=_("prison"), on_delete=models.PROTECT
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["worker", "start"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="stay_period_in_order",
                violation_error_message=_("A stay cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(end__isnull=True),
                name="one_open_stay_per_worker",
                violation_error_message=_("A worker is in one prison at a time."),
            ),
        ]

    def __str__(self):
        return f"{self.worker} at {self.prison}"


class FitnessClearance(models.Model):
    """A doctor's clearance for work (Mandela Rule 96), checked before the first shift."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="clearances"
    )
    cleared_on = models.DateField(_("cleared on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    restrictions = models.TextField(_("restrictions"), blank=True)

    class Meta:
        ordering = ["worker", "-cleared_on"]
        verbose_name = _("fitness clearance")
        verbose_name_plural = _("fitness clearances")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("cleared_on")),
                name="clearance_period_in_order",
                violation_error_message=_("A clearance cannot expire before it is given."),
            )
        ]

    def __str__(self):
        return f"{self.worker} cleared {self.cleared_on}"


class Assignment(models.Model):
    """A worker assigned to a workshop for a period. Ending one keeps the history."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="assignments"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["worker", "start"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="assignment_period_in_order",
                violation_error_message=_("An assignment cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.worker} in {self.workshop}"
