"""The makers' share of a workshop's sales, per pay run (``wages.payruns.sales_share``).

One row per workshop and calculated run: the workshop's net revenue in the run's period (goods
sold excluding tax and shipping, less refunds, read from the ledger's ``sales:workshop:<id>``
account), the shortfall carried in from the workshop's previous posted run, what the policy's
share of what is left came to and was paid to the makers, and the shortfall carried out to the
next run. A period whose refunds exceed its sales pays nothing and carries the difference, so the
next period's share is of what is left after it. Rows of a run that is never posted are never
read: only a posted run's ``carried_out`` is carried in.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import AMOUNT
from .payruns import HOURS, PayRun


class SalesShareCarry(models.Model):
    # No constraint in the database: a run deleted by raw SQL (the tamper tests, with triggers
    # off) leaves rows no check reads (they are read through posted runs only).
    run = models.ForeignKey(
        PayRun,
        verbose_name=_("pay run"),
        on_delete=models.CASCADE,
        related_name="sales_shares",
        db_constraint=False,
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    net_revenue = models.DecimalField(_("net sales in the period"), **AMOUNT)
    carried_in = models.DecimalField(_("shortfall carried in"), default=0, **AMOUNT)
    shared = models.DecimalField(_("net sales shared"), default=0, **AMOUNT)
    share = models.DecimalField(_("makers' share paid"), default=0, **AMOUNT)
    carried_out = models.DecimalField(_("shortfall carried out"), default=0, **AMOUNT)
    makers = models.PositiveIntegerField(_("makers"), default=0)
    hours = models.DecimalField(_("makers' hours"), default=0, **HOURS)

    class Meta:
        ordering = ["run", "workshop"]
        verbose_name = _("makers' share of a workshop's sales")
        verbose_name_plural = _("makers' shares of workshops' sales")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "workshop"], name="one_sales_share_per_workshop_and_run"
            ),
            models.CheckConstraint(
                condition=Q(carried_in__gte=0)
                & Q(carried_out__gte=0)
                & Q(share__gte=0)
                & Q(shared__gte=0),
                name="sales_share_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.run.reference} {self.workshop_id} {self.share}"
