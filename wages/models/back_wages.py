"""Money received to pay the back wages a payer owes (DESIGN.md, "Pay rates"; PIECP).

A pay run that pays a worker below the floor credits the shortfall to the worker's back-wages-owed
account, owed by the administration (``own``) or by the partner whose work it was
(``partner:<id>``). The worker is paid it once its payer has paid: the administration when its
budget releases the money, a partner when it pays the labour invoice that carried it. Each such
payment is a **receipt**; the next pay run pays out owed back wages up to what its payer's
receipts hold and earlier runs have not yet paid out (``PayRunLine.back_wages_paid_by_payer``).
``wages.payruns.back_wages_receipts.record_back_wages_receipt`` is the only writer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import AMOUNT


class BackWagesReceipt(models.Model):
    key = models.CharField(_("key"), max_length=180, unique=True)
    payer = models.CharField(
        _("payer"), max_length=40, help_text=_("own, or partner:<id> (as pay run lines name it)")
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where the money came from, e.g. an invoice.")
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
        ordering = ["-received_on", "-pk"]
        verbose_name = _("back wages receipt")
        verbose_name_plural = _("back wages receipts")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="back_wages_receipt_positive",
                violation_error_message=_("A receipt is of more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(payer="own") | Q(payer__startswith="partner:"),
                name="back_wages_receipt_known_payer",
                violation_error_message=_("The payer is the administration or a partner."),
            ),
        ]

    def __str__(self):
        return f"{self.payer} {self.amount} {self.currency} {self.received_on}"
