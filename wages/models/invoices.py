"""Partner labour invoices (Mandela Rule 100.2: the partner pays full normal wages for the work).

A **labour invoice** charges one partner for one period: for each contract (one workshop each),
the hours worked under it × the higher of the market wage benchmark of the workshop's trade in the
prison's region and the contract's labour charge; and the back wages the pay runs found the
partner owes its workers. Its number is gap-free in a series of its own (``LI-2026-000001``,
``LabourInvoiceCounter``). The pay runs whose partner wages it clears are linked to it once
(``LabourInvoiceRun``, unique per run and partner), so no run's wages or back wages are invoiced
twice. **Payments** received are matched to it. ``wages.invoices`` is the only writer.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import format_day

from .ledger import AMOUNT
from .pay import RATE
from .payruns import HOURS


class LabourInvoiceCounter(models.Model):
    """The last number issued in a year; locked while an invoice takes the next one."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("labour invoice counter")
        verbose_name_plural = _("labour invoice counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class LabourInvoice(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        PARTLY_PAID = "partly_paid", _("partly paid")
        PAID = "paid", _("paid")

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    partner = models.ForeignKey(
        "workshops.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="labour_invoices",
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    currency = models.CharField(_("currency"), max_length=3)
    labour = models.DecimalField(_("labour"), **AMOUNT)
    wages_charged = models.DecimalField(
        _("wages the pay runs charged"),
        help_text=_("What the partner's workers were paid for the period (in the labour)."),
        **AMOUNT,
    )
    back_wages = models.DecimalField(_("back wages"), **AMOUNT)
    total = models.DecimalField(_("total"), **AMOUNT)
    paid = models.DecimalField(_("paid"), default=0, **AMOUNT)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ISSUED
    )
    language = models.CharField(_("language"), max_length=12)
    document = models.ForeignKey(
        "core.PrivateFile",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    journal_key = models.CharField(_("journal"), max_length=80)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("labour invoice")
        verbose_name_plural = _("labour invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="one_labour_invoice_per_number"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="labour_invoice_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(total=F("labour") + F("back_wages"))
                & Q(labour__gte=F("wages_charged"))
                & Q(wages_charged__gte=0)
                & Q(back_wages__gte=0),
                name="labour_invoice_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("total")),
                name="labour_invoice_paid_at_most_its_total",
            ),
        ]

    def __str__(self):
        return self.number

    def period(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": format_day(self.period_start),
            "end": format_day(self.period_end),
        }

    period.short_description = _("period")

    @property
    def outstanding(self):
        return self.total - self.paid


class LabourInvoiceLine(models.Model):
    class Kind(models.TextChoices):
        LABOUR = "labour", _("labour under a contract")
        WAGES_ABOVE = "wages_above", _("wages paid above the rate charged")
        BACK_WAGES = "back_wages", _("back wages owed to the workers")

    invoice = models.ForeignKey(
        LabourInvoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    contract = models.ForeignKey(
        "workshops.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours = models.DecimalField(_("hours worked"), default=0, **HOURS)
    benchmark = models.ForeignKey(
        "wages.MarketWageBenchmark",
        verbose_name=_("market wage benchmark"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    benchmark_hourly = models.DecimalField(_("market wage per hour"), null=True, **RATE)
    charge_hourly = models.DecimalField(_("contract's labour charge per hour"), null=True, **RATE)
    rate = models.DecimalField(_("rate charged per hour"), null=True, **RATE)
    amount = models.DecimalField(_("amount"), **AMOUNT)

    class Meta:
        ordering = ["invoice", "pk"]
        verbose_name = _("labour invoice line")
        verbose_name_plural = _("labour invoice lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(hours__gte=0), name="labour_line_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.kind} {self.amount}"


class LabourInvoiceRun(models.Model):
    """A posted pay run's wages and back wages for a partner, cleared by one invoice only."""

    invoice = models.ForeignKey(
        LabourInvoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="runs"
    )
    run = models.ForeignKey(
        "wages.PayRun", verbose_name=_("pay run"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "workshops.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    wages = models.DecimalField(_("wages"), **AMOUNT)
    back_wages = models.DecimalField(_("back wages"), **AMOUNT)

    class Meta:
        verbose_name = _("pay run invoiced")
        verbose_name_plural = _("pay runs invoiced")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "partner"], name="a_runs_partner_wages_invoiced_once"
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.run_id}"


class LabourPayment(models.Model):
    invoice = models.ForeignKey(
        LabourInvoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    sequence = models.PositiveIntegerField(_("payment number"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("bank reference"), max_length=140)
    back_wages = models.DecimalField(
        _("of which back wages"), default=0, help_text=_("Back wages are paid first."), **AMOUNT
    )
    journal_key = models.CharField(_("journal"), max_length=80)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["invoice", "sequence"]
        verbose_name = _("labour payment")
        verbose_name_plural = _("labour payments")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "sequence"], name="one_labour_payment_per_number"
            ),
            models.UniqueConstraint(
                fields=["invoice", "reference"], name="a_bank_reference_matched_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(back_wages__gte=0) & Q(back_wages__lte=F("amount")),
                name="labour_payment_positive",
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.amount} {self.received_on}"
