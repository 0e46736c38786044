"""The pay policy, pay rates and market wage benchmarks (DESIGN.md, "Pay rates").

A **pay policy** is versioned by the day it takes effect: the national minimum wage and the share
of it that is the floor in the administration's own workshops, the hourly rate for training, the
cap on total deductions, the protected minimum for own spending, the makers' share of sales, and
the **allocations** of earnings to the deduction categories the register defines (family, release
savings, victims' fund, board…), each with its percentage, priority, and optional floor and cap.
What no allocation takes is the worker's own spending. ``wages.pay`` checks a policy and allocates
earnings by it.

A **pay rate** pays the administration's own work (partner work is paid at its contract's rates):
per workshop or per trade, hourly, per piece or both, effective-dated. A **market wage benchmark**
is the going hourly wage of a trade in a region, with its source and date: the floor for partner
work.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from core.formatting import format_day

PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
RATE = {"max_digits": 10, "decimal_places": 4}
OWN_SPENDING = "own-spending"  # the category that receives what no allocation takes


def _percent_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100}),
        name=f"%(class)s_{field}_is_a_percentage",
        violation_error_message=_("A percentage is between 0 and 100."),
    )


class PayPolicy(ClusterableModel):
    effective_from = models.DateField(_("in effect from"), unique=True)
    minimum_wage = MoneyField(_("national minimum wage per hour"), **RATE)
    floor_share = models.DecimalField(
        _("floor: share of the minimum wage (%)"),
        help_text=_("The least an hour of the administration's own work pays, e.g. 45 %."),
        **PERCENT,
    )
    training_rate = MoneyField(_("pay per hour of training"), help_text=_("May be zero."), **RATE)
    deductions_cap = models.DecimalField(
        _("cap on total deductions, percentage of gross"), default=Decimal(80), **PERCENT
    )
    protected_own_spending = models.DecimalField(
        _("protected minimum for own spending, percentage of gross"), default=Decimal(20), **PERCENT
    )
    sales_share = models.DecimalField(_("makers' share of net sales (%)"), **PERCENT)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("pay policy")
        verbose_name_plural = _("pay policies")
        constraints = [
            _percent_check("floor_share"),
            _percent_check("deductions_cap"),
            _percent_check("protected_own_spending"),
            _percent_check("sales_share"),
            models.CheckConstraint(
                condition=Q(minimum_wage__gt=0) & Q(training_rate__gte=0),
                name="pay_policy_rates_not_negative",
                violation_error_message=_("Rates cannot be negative."),
            ),
        ]

    def __str__(self):
        return str(_("Pay policy from %(day)s") % {"day": format_day(self.effective_from)})


class PayAllocation(models.Model):
    policy = ParentalKey(PayPolicy, on_delete=models.CASCADE, related_name="allocations")
    category = models.ForeignKey(
        "workshops.DeductionCategory",
        verbose_name=_("deduction category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    percentage = models.DecimalField(_("share of gross (%)"), **PERCENT)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        help_text=_("1 is served first; the cap cuts the last ones first."),
    )
    floor = MoneyField(
        _("at least"), null=True, blank=True, help_text=_("While the pay allows it."), **RATE
    )
    cap = MoneyField(_("at most"), null=True, blank=True, **RATE)

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "category"], name="one_allocation_per_category"
            ),
            _percent_check("percentage"),
            models.CheckConstraint(
                condition=(Q(floor__isnull=True) | Q(floor__gte=0))
                & (Q(cap__isnull=True) | Q(cap__gte=0)),
                name="allocation_limits_not_negative",
                violation_error_message=_("Limits cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(cap__isnull=True) | Q(cap__gte=F("floor")),
                name="allocation_cap_above_floor",
                violation_error_message=_("The cap cannot be below the floor."),
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.percentage} %"


class PayRate(models.Model):
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pay_rates",
    )
    trade = models.ForeignKey(
        "workshops.Trade",
        verbose_name=_("trade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pay_rates",
        help_text=_("For every workshop of the trade without a rate of its own."),
    )
    hourly = MoneyField(_("per hour"), null=True, blank=True, **RATE)
    piece = MoneyField(_("per accepted piece"), null=True, blank=True, **RATE)
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("pay rate")
        verbose_name_plural = _("pay rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(workshop__isnull=True, trade__isnull=False)
                | Q(workshop__isnull=False, trade__isnull=True),
                name="pay_rate_for_a_workshop_or_a_trade",
                violation_error_message=_("A rate is for one workshop or for one trade."),
            ),
            models.CheckConstraint(
                condition=Q(hourly__isnull=False) | Q(piece__isnull=False),
                name="pay_rate_pays_something",
                violation_error_message=_("Give an hourly rate, a piece rate or both."),
            ),
            models.CheckConstraint(
                condition=(Q(hourly__isnull=True) | Q(hourly__gte=0))
                & (Q(piece__isnull=True) | Q(piece__gte=0)),
                name="pay_rate_not_negative",
                violation_error_message=_("Rates cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="pay_rate_period_in_order",
                violation_error_message=_("A rate ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.applies_to()} {self.hourly or ''} {self.piece or ''}".strip()

    def applies_to(self) -> str:
        """The workshop the rate is for, or the trade whose workshops without a rate use it."""
        if self.workshop_id is not None:
            return str(self.workshop)
        return _("Every workshop in %(trade)s") % {"trade": self.trade}

    applies_to.short_description = _("applies to")


class MarketWageBenchmark(models.Model):
    trade = models.ForeignKey(
        "workshops.Trade", verbose_name=_("trade"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "workshops.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    hourly = MoneyField(_("market wage per hour"), **RATE)
    source = models.CharField(_("source"), max_length=300)
    observed_on = models.DateField(_("observed on"))

    class Meta:
        ordering = ["-observed_on"]
        verbose_name = _("market wage benchmark")
        verbose_name_plural = _("market wage benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["trade", "region", "observed_on"], name="one_benchmark_per_day"
            ),
            models.CheckConstraint(
                condition=Q(hourly__gt=0),
                name="benchmark_positive",
                violation_error_message=_("A market wage is more than zero."),
            ),
            # WAGE_FLOOR compares pay with the benchmark: an auditor must be able to trace it.
            models.CheckConstraint(
                condition=~Q(source__regex=r"^\s*$"),
                name="benchmark_has_source",
                violation_error_message=_(
                    "Say where the market wage comes from (a survey, a collective agreement)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.trade} · {self.region}: {self.hourly}"
