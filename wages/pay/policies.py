"""Checking a pay policy, finding the one in effect, and allocating earnings by it.

The allocation rule (README, "Pay policy"), for a worker's gross pay G:

1. Each allocation takes its percentage of G, rounded **down** to the cent, then raised to its
   floor (as far as G allows) and lowered to its cap.
2. The deductions together never exceed the smaller of the cap on deductions and what leaves the
   protected minimum for own spending: both limits rounded down to the cent. When they would,
   the allocations served last (highest priority number, then the later ones) are cut first.
3. Own spending takes what remains: G minus the deductions.

So the parts always sum exactly to G, no deduction is ever rounded up, the cap and the protected
minimum always hold, and own spending is never negative.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from core.money import minor_unit, round_money
from wages.models.pay import OWN_SPENDING, PayPolicy

HUNDRED = Decimal(100)


def check_policy(policy: PayPolicy, allocations) -> None:
    """Refuse (``ValidationError``, every problem listed) a policy whose allocations exceed
    100 % or its cap on deductions, or leave less than the protected minimum for own spending;
    an allocation of own spending itself; a category twice; a negative rate."""
    problems = []
    total = sum((a.percentage for a in allocations), Decimal(0))
    if total > HUNDRED:
        problems.append(
            _("The allocations add up to %(total)s %%, more than 100 %%.") % {"total": total}
        )
    if total > policy.deductions_cap:
        problems.append(
            _("The allocations add up to %(total)s %%, more than the %(cap)s %% cap on deductions.")
            % {"total": total, "cap": policy.deductions_cap}
        )
    if total > HUNDRED - policy.protected_own_spending:
        problems.append(
            _(
                "The allocations leave %(left)s %% for own spending, less than the protected %(min)s %%."
            )
            % {"left": HUNDRED - total, "min": policy.protected_own_spending}
        )
    codes = [a.category.code for a in allocations]
    if OWN_SPENDING in codes:
        problems.append(_("Own spending is what the allocations leave: do not allocate it."))
    if len(set(codes)) != len(codes):
        problems.append(_("A category is allocated twice."))
    for label, rate in (
        (_("minimum wage"), policy.minimum_wage),
        (_("training rate"), policy.training_rate),
    ):
        if rate is not None and rate.amount < 0:
            problems.append(_("The %(rate)s cannot be negative.") % {"rate": label})
    if problems:
        raise ValidationError(problems)


def policy_on(day: datetime.date) -> PayPolicy | None:
    return (
        PayPolicy.objects.filter(effective_from__lte=day)
        .prefetch_related("allocations__category")
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class Allocated:
    gross: Money
    parts: dict[str, Money]  # deduction category code → amount, in the policy's order
    own_spending: Money

    @property
    def deductions(self) -> Money:
        return sum(self.parts.values(), Money(0, self.gross.currency))


def _down(amount: Decimal, unit: Decimal) -> Decimal:
    return amount.quantize(unit, rounding=ROUND_DOWN)


def allocate_earnings(gross: Money, policy: PayPolicy, allocations=None) -> Allocated:
    """Split ``gross`` by ``policy`` (module docstring); the parts sum exactly to ``gross``."""
    if allocations is None:
        allocations = list(policy.allocations.all())
    gross = round_money(gross)
    currency = gross.currency.code
    unit = minor_unit(currency)
    g = max(gross.amount, Decimal(0))
    ordered = sorted(enumerate(allocations), key=lambda pair: (pair[1].priority, pair[0]))
    amounts: dict[int, Decimal] = {}
    for index, allocation in ordered:
        amount = _down(g * allocation.percentage / HUNDRED, unit)
        if allocation.floor is not None:
            amount = max(amount, allocation.floor.amount.quantize(unit, rounding=ROUND_DOWN))
        if allocation.cap is not None:
            amount = min(amount, _down(allocation.cap.amount, unit))
        amounts[index] = max(amount, Decimal(0))
    limit = min(
        _down(g * policy.deductions_cap / HUNDRED, unit),
        g - (g * policy.protected_own_spending / HUNDRED).quantize(unit, rounding="ROUND_UP"),
    )
    limit = max(limit, Decimal(0))
    excess = sum(amounts.values(), Decimal(0)) - limit
    for index, _allocation in reversed(ordered):  # served last, cut first
        if excess <= 0:
            break
        cut = min(excess, amounts[index])
        amounts[index] -= cut
        excess -= cut
    parts = {
        allocations[index].category.code: Money(amounts[index], currency)
        for index, _allocation in ordered
    }
    own = Money(g - sum(amounts.values(), Decimal(0)), currency)
    return Allocated(gross=Money(g, currency), parts=parts, own_spending=own)
