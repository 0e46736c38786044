"""Reminders of overdue invoices (``catalogue.reminders``).

One row per invoice and **stage** (the first reminder, the second), written in the transaction
that decides to send it: the unique key makes a second run of the day, or two runs at once, find
the reminder already recorded and send nothing. The e-mail is queued only after that transaction
commits.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentReminder(models.Model):
    class Stage(models.TextChoices):
        FIRST = "first", _("first reminder")
        SECOND = "second", _("second reminder")

    invoice = models.ForeignKey(
        "catalogue.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    sent_on = models.DateField(_("sent on"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "stage"], name="payment_reminder_once_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["first", "second"]), name="payment_reminder_stage_known"
            ),
            models.CheckConstraint(
                condition=Q(days_overdue__gt=0), name="payment_reminder_only_when_overdue"
            ),
        ]

    def __str__(self):
        return f"{self.invoice} ({self.get_stage_display()})"
