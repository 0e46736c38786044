"""The grievances register (Mandela Rules 56-57; ILO C029): a worker's complaint about a partner or
workshop, when it was received and when and how it was answered. The worker is named by reference
only; the subject is written so that it needs no name."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Grievance(models.Model):
    class Category(models.TextChoices):
        PAY = "pay", _("pay and deductions")
        HOURS = "hours", _("working time")
        SAFETY = "safety", _("health and safety")
        TREATMENT = "treatment", _("treatment by staff or partner")
        CONSENT = "consent", _("consent and choice of work")
        TRAINING = "training", _("training")
        OTHER = "other", _("other")

    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="grievances",
    )
    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    received_on = models.DateField(_("received on"))
    subject = models.CharField(_("subject"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | Q(workshop__isnull=False),
                name="grievance_about_a_partner_or_workshop",
                violation_error_message=_("A grievance is about a partner or a workshop."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="grievance_answered_after_received",
                violation_error_message=_("A grievance cannot be answered before it is received."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | ~Q(outcome=""),
                name="grievance_answer_has_outcome",
                violation_error_message=_("Say what the answer was."),
            ),
        ]

    def __str__(self):
        return f"{self.worker} {self.received_on} {self.get_category_display()}"
