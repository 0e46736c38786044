"""Pay runs: paying one prison's workers for one period.

A run goes ``draft → calculated → approved → posted``, or is ``cancelled`` from any state before
posted. Calculating locks the period's production records and keeps one **line** per worker:
hours, pieces and training hours, gross pay by payer (the administration for its own workshops,
the partner for work under a contract), the allocation of gross to the deduction categories and
own spending, back wages owed for pay below the floor, and warnings. Approval by a second finance
officer pins the hash of the lines; posting writes one journal per line into the run's chain and
refuses when the lines no longer match the pinned hash. ``wages.payruns`` is the only writer.

Runs of one prison never overlap in time unless cancelled: an exclusion constraint on PostgreSQL
(migration 0005), the service on SQLite.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import format_day
from workshops.models.production import PAY_RUN_REFERENCE_LENGTH

from .ledger import AMOUNT

HOURS = {"max_digits": 8, "decimal_places": 2}


class PayRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CALCULATED = "calculated", _("calculated")
        APPROVED = "approved", _("approved")
        POSTED = "posted", _("posted")
        CANCELLED = "cancelled", _("cancelled")

    reference = models.CharField(_("reference"), max_length=PAY_RUN_REFERENCE_LENGTH, unique=True)
    prison = models.ForeignKey(
        "workshops.Prison", verbose_name=_("prison"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    currency = models.CharField(_("currency"), max_length=3)
    policy = models.ForeignKey(
        "wages.PayPolicy",
        verbose_name=_("pay policy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pay_runs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("calculated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    result_hash = models.CharField(_("hash of the calculation"), max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_hash = models.CharField(_("hash approved"), max_length=64, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    chain = models.OneToOneField(
        "wages.Chain",
        verbose_name=_("ledger chain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pay_run",
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Totals of the lines, kept with them for the listing.
    workers = models.PositiveIntegerField(_("workers"), default=0)
    gross = models.DecimalField(_("gross pay"), default=0, **AMOUNT)
    deductions = models.DecimalField(_("deductions"), default=0, **AMOUNT)
    back_wages = models.DecimalField(_("back wages owed"), default=0, **AMOUNT)
    # A default in the database too: rows written by raw SQL (tests, repairs) need no value.
    sales_share = models.DecimalField(
        _("makers' share of sales"), default=0, db_default=0, **AMOUNT
    )
    back_wages_paid = models.DecimalField(
        _("back wages paid out"), default=0, db_default=0, **AMOUNT
    )
    warnings = models.PositiveIntegerField(_("warnings"), default=0)

    class Meta:
        ordering = ["-period_start", "prison"]
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        permissions = [
            ("approve_payrun", _("Can approve a pay run another officer calculated")),
            ("post_payrun", _("Can post an approved pay run")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="pay_run_period_in_order",
                violation_error_message=_("A pay run's last day is on or after its first."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("calculated_by")),
                name="pay_run_four_eyes",
                violation_error_message=_("The officer who calculated a run cannot approve it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | (Q(chain__isnull=False) & ~Q(approved_hash="")),
                name="pay_run_posted_when_approved",
                violation_error_message=_("Only an approved run is posted."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.prison} {self.period_start}–{self.period_end}"

    def period(self) -> str:
        """The days the run pays, as screens write dates (a listing's one column for both)."""
        return _("%(start)s to %(end)s") % {
            "start": format_day(self.period_start),
            "end": format_day(self.period_end),
        }

    period.short_description = _("period")

    @property
    def is_open(self) -> bool:
        """Still changeable: not posted and not cancelled."""
        return self.status in (self.Status.DRAFT, self.Status.CALCULATED, self.Status.APPROVED)


class PayRunLine(models.Model):
    """One worker's pay in a run. Amounts are in the run's currency; ``payers`` and
    ``back_wages_by_payer`` map a payer (``own``, or ``partner:<id>``) to its amount,
    ``deductions`` a category code to its amount; ``warnings`` are ``{"code": …, …}``."""

    run = models.ForeignKey(
        PayRun, verbose_name=_("pay run"), on_delete=models.CASCADE, related_name="lines"
    )
    worker = models.ForeignKey(
        "workshops.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(_("hours worked"), default=0, **HOURS)
    pieces = models.PositiveIntegerField(_("accepted pieces"), default=0)
    training_hours = models.DecimalField(_("training hours"), default=0, **HOURS)
    earned = models.DecimalField(_("earned in the period"), default=0, **AMOUNT)
    adjustments = models.DecimalField(_("adjustments of earlier runs"), default=0, **AMOUNT)
    gross = models.DecimalField(_("gross pay"), **AMOUNT)
    payers = models.JSONField(_("gross by payer"), default=dict)
    deductions = models.JSONField(_("deductions"), default=dict)
    own_spending = models.DecimalField(_("own spending"), **AMOUNT)
    back_wages = models.DecimalField(_("back wages owed"), default=0, **AMOUNT)
    back_wages_by_payer = models.JSONField(_("back wages by payer"), default=dict)
    # The makers' share of the net sales of the workshops the worker made goods in
    # (``wages.payruns.sales_share``): paid with the run, in its own journal.
    sales_share = models.DecimalField(_("makers' share of sales"), default=0, **AMOUNT)
    # Back wages owed to the worker from earlier periods, paid out with this run because their
    # payer has paid them (``wages.payruns.back_wages_payouts``); by payer as ``payers``.
    back_wages_paid = models.DecimalField(_("back wages paid out"), default=0, **AMOUNT)
    back_wages_paid_by_payer = models.JSONField(_("back wages paid out by payer"), default=dict)
    settles = models.JSONField(_("adjustments settled"), default=list)
    warnings = models.JSONField(_("warnings"), default=list)

    class Meta:
        ordering = ["run", "worker"]
        verbose_name = _("pay run line")
        verbose_name_plural = _("pay run lines")
        constraints = [
            models.UniqueConstraint(fields=["run", "worker"], name="one_line_per_worker_and_run"),
            models.CheckConstraint(
                condition=Q(gross__gte=0)
                & Q(own_spending__gte=0)
                & Q(back_wages__gte=0)
                & Q(sales_share__gte=0)
                & Q(back_wages_paid__gte=0),
                name="pay_run_line_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.run.reference} {self.worker}"
