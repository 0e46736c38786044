"""What is settled with a worker on release (Mandela Rule 103.3: the part of earnings set aside as
savings is handed over on release).

One **release settlement** per worker (a unique constraint), made by the release hook
(``wages.releases.handlers``): ``waiting`` while work the worker did up to the release date is not
in a posted pay run (the final pay), ``ready`` once it is, ``paid`` once finance paid the balances
out (``wages.releases.payouts.release_payout``): how (bank transfer to an IBAN, or cash), the
amounts per sub-account, the payout journal's key (``release:<worker reference>``, unique in the
ledger) and the receipt PDF in the worker's language. Back wages a payer owes and has not yet paid
stay owed and are paid later by ``release_payout_back_wages`` (``back_wages_paid_at``).
``wages.releases`` is the only writer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReleaseSettlement(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for final pay")
        READY = "ready", _("ready to pay out")
        PAID = "paid", _("paid out")

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("bank transfer")
        CASH = "cash", _("cash")

    worker = models.OneToOneField(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="release_settlement",
    )
    released_on = models.DateField(_("released on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("paid by"), max_length=10, choices=Method.choices, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # What was paid out of each sub-account (``wages.ledger.worker_accounts`` kinds → amount
    # text), and of back wages by payer (``own`` or ``partner:<id>`` → amount text).
    amounts = models.JSONField(_("amounts paid out"), default=dict, blank=True)
    back_wages_by_payer = models.JSONField(_("back wages paid out by payer"), default=dict)
    journal_key = models.CharField(_("payout journal"), max_length=180, blank=True)
    receipt = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("receipt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid out at"), null=True, blank=True)
    # Back wages that were still owed and not yet received at the payout, paid once received.
    back_wages_journal_key = models.CharField(
        _("back wages payout journal"), max_length=180, blank=True
    )
    back_wages_receipt = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("receipt for the back wages paid out"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    back_wages_paid_at = models.DateTimeField(_("back wages paid out at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-released_on", "pk"]
        verbose_name = _("release settlement")
        verbose_name_plural = _("release settlements")
        permissions = [("pay_out_release", _("Can pay out a released worker's balances"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (
                    Q(paid_at__isnull=False)
                    & Q(paid_by__isnull=False)
                    & ~Q(method="")
                    & Q(receipt__isnull=False)
                ),
                name="release_paid_says_how",
                violation_error_message=_(
                    "A paid-out settlement says who paid, when and how, with its receipt."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(method="transfer") | ~Q(iban=""),
                name="release_transfer_has_iban",
                violation_error_message=_("A bank transfer names the IBAN."),
            ),
            models.UniqueConstraint(
                fields=["journal_key"],
                condition=~Q(journal_key=""),
                name="one_release_payout_per_journal",
            ),
        ]

    def __str__(self):
        return str(self.worker)

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID
