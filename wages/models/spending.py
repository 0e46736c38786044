"""Workers' purchases from the prison's shop (the canteen), paid from their own spending.

Mandela Rule 103.2: a worker may spend part of what they earn on approved articles for their own
use. Each purchase is one journal, Dr the worker's own-spending account / Cr ``canteen``
(``wages.accounts.spending``), never taking the account below zero. ``key`` is the purchase's
idempotency key: the shop system's receipt id for an imported purchase, the form's token for one
recorded by hand, so the same receipt is never paid twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import AMOUNT


class Purchase(models.Model):
    key = models.CharField(_("reference"), max_length=120, unique=True)
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    bought_on = models.DateField(_("bought on"))
    description = models.CharField(_("description"), max_length=200)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The file it was imported from, or empty.")
    )
    journal = models.OneToOneField(
        "wages.Journal",
        verbose_name=_("journal"),
        on_delete=models.PROTECT,
        related_name="purchase",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-bought_on", "-pk"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="purchase_positive",
                violation_error_message=_("A purchase is of more than zero."),
            ),
        ]
        indexes = [models.Index(fields=["worker", "bought_on"])]

    def __str__(self):
        return f"{self.key} {self.amount} {self.currency}"
