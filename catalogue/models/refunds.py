"""Refunds and the credit notes that record them.

A **refund** gives back part or all of what a paid order's buyer paid: by lines (a quantity of
each, its units put back in stock or not) or by an amount. Its ``parts`` say what it takes back
from each line and from shipping, without tax and tax, so that the credit note and the journal
read the same figures. A refund is **pending** while the card provider is asked (it already counts
against what remains refundable), then **succeeded** or **failed** (it no longer counts). The
refunds of an order never total more than was paid (``catalogue.refunds.operations``, under the
order's row lock).

Each refund that succeeds issues a **credit note**, numbered without gaps per year in a series of
its own (``CN-2026-000001``) from a counter row, like invoices: tax law wants a correction as its
own numbered document, pointing to the invoice it corrects.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from djmoney.models.fields import MoneyField

from catalogue.models.money import money_field_options


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("made")
        FAILED = "failed", pgettext_lazy("refund", "failed")

    class Kind(models.TextChoices):
        LINES = "lines", _("by lines")
        AMOUNT = "amount", _("by amount")
        PROVIDER = "provider", _("at the card provider")

    order = models.ForeignKey(
        "catalogue.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="refunds"
    )
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    amount = MoneyField(_("amount"), **money_field_options())
    reason = models.CharField(_("reason"), max_length=200)
    # The refund's id at the card provider (a Stripe Refund ``re_…``); None for an invoice order.
    provider_refund_id = models.CharField(
        _("refund id at the card provider"), max_length=255, null=True, blank=True, unique=True
    )
    failure = models.CharField(_("why it failed"), max_length=300, blank=True)
    paid_back_on = models.DateField(_("paid back on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    succeeded_at = models.DateTimeField(_("made at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        permissions = [
            ("refund_order", _("Can refund a paid order")),
            ("pay_back_refund", _("Can record that a refund owed was paid back")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="succeeded", succeeded_at__isnull=False)
                | Q(~Q(status="succeeded"), succeeded_at__isnull=True),
                name="refund_succeeded_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(paid_back_on__isnull=True) | Q(status="succeeded"),
                name="refund_paid_back_only_when_made",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure=""),
                name="refund_failure_said",
            ),
        ]

    def __str__(self):
        return f"{self.order} − {self.amount}"

    @property
    def counts(self) -> bool:
        """Whether it counts against what remains refundable: pending or made."""
        return self.status != self.Status.FAILED


class RefundPart(models.Model):
    """What a refund takes back from one order line (``line``) or from shipping (no line)."""

    refund = models.ForeignKey(
        Refund, verbose_name=_("refund"), on_delete=models.CASCADE, related_name="parts"
    )
    line = models.ForeignKey(
        "catalogue.OrderLine",
        verbose_name=_("order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=250)
    quantity = models.PositiveIntegerField(_("quantity returned"), default=0)
    restock = models.BooleanField(_("back in stock"), default=False)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net = MoneyField(_("without tax"), **money_field_options())
    tax = MoneyField(_("tax"), **money_field_options())

    class Meta:
        ordering = ["refund", "pk"]
        verbose_name = _("refund part")
        verbose_name_plural = _("refund parts")
        constraints = [
            models.CheckConstraint(
                condition=Q(net__gte=0) & Q(tax__gte=0), name="refund_part_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(line__isnull=False) | Q(quantity=0, restock=False),
                name="refund_part_shipping_has_no_units",
            ),
            models.CheckConstraint(
                condition=Q(restock=False) | Q(quantity__gt=0),
                name="refund_part_restocks_units",
            ),
            models.UniqueConstraint(fields=["refund", "line"], name="refund_part_once_per_line"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"

    @property
    def gross(self):
        return self.net + self.tax


class CreditNoteCounter(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("credit note counter")
        verbose_name_plural = _("credit note counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class CreditNote(models.Model):
    number = models.CharField(_("credit note number"), max_length=24, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in its year"))
    refund = models.OneToOneField(
        Refund, verbose_name=_("refund"), on_delete=models.PROTECT, related_name="credit_note"
    )
    invoice = models.ForeignKey(
        "catalogue.Invoice",
        verbose_name=_("invoice it corrects"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    issued_on = models.DateField(_("issued on"))
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="credit_note_number_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(sequence__gt=0), name="credit_note_sequence_positive"
            ),
        ]

    def __str__(self):
        return self.number
