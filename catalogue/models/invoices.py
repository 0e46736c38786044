"""Invoices, numbered without gaps per year.

The number is taken from a **counter row** per year, locked in the transaction that issues the
invoice (``catalogue.invoices.issuing``), never from a database sequence: a sequence skips the
numbers of rolled-back transactions, and tax law wants no gaps. An issued invoice never changes
(its figures are its order's lines, which never change either); its PDF is stored privately with
its SHA-256, and every download serves the same bytes. Corrections are credit notes.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InvoiceCounter(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in its year"))
    order = models.OneToOneField(
        "catalogue.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoice"
    )
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
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
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_once_a_year"),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="invoice_sequence_positive"),
        ]

    def __str__(self):
        return self.number
