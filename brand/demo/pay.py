"""The demo's pay policy, the pay rates of the administration's own workshops, and market wage
benchmarks for the partners' trades (partner work is paid at its contracts' rates)."""

import datetime
from decimal import Decimal

from djmoney.money import Money

from brand.demo.register import CURRENCY
from wages.models import MarketWageBenchmark, PayAllocation, PayPolicy, PayRate
from workshops.models import Contract, DeductionCategory, Region, Workshop

POLICY_FROM = datetime.date(2025, 1, 1)
# (category, % of gross, priority, floor, cap): own spending takes the rest (at least 20 %).
ALLOCATIONS = [
    ("release-savings", "25", 1, "5.00", None),
    ("family", "15", 2, None, None),
    ("victims-fund", "5", 3, None, None),
    ("board", "10", 4, None, "30.00"),
]
# Hourly and piece rates of the administration's own workshops, by workshop slug.
RATES = {
    "ain-zahra-bakery": ("2.10", "0.0200"),
    "ain-zahra-glasshouses": ("2.00", None),
    "ain-zahra-metalworks": ("2.30", "0.0500"),
    "jebel-qantar-print-shop": ("2.10", "0.0100"),
    "wadi-sahel-building-crew": ("2.40", None),
    "wadi-sahel-joinery": ("2.20", "0.1500"),
    "wadi-sahel-soap": ("2.10", "0.0100"),
}
# The going hourly wage of each contract's trade in its prison's region, by contract reference:
# every trade with partner work in every region where it happens has one. Atlas pays 5.80 an hour
# (and its piece rate) against 5.60; Quickfix's placement pays 3.90 an hour against 4.40 for
# carpentry in the Southern Oases (WAGE_FLOOR; its pay runs owe the difference as back wages).
MARKET_WAGES = {"ATL-2025-01": "5.60", "QFX-2025-01": "4.80", "QFX-2025-02": "4.40"}
SOURCE = "Qantara National Statistics Office, survey of wages by trade and region, 2026"


def seed_pay() -> dict:
    policy, _created = PayPolicy.objects.update_or_create(
        effective_from=POLICY_FROM,
        defaults={
            "minimum_wage": Money("4.60", CURRENCY),
            "floor_share": Decimal(45),
            "training_rate": Money("1.00", CURRENCY),
            "deductions_cap": Decimal(80),
            "protected_own_spending": Decimal(20),
            "sales_share": Decimal(10),
            "notes": "Minimum wage decree of 2024; allocations agreed with the prisoners' council.",
        },
    )
    categories = {c.code: c for c in DeductionCategory.objects.all()}
    for code, share, priority, floor, cap in ALLOCATIONS:
        PayAllocation.objects.update_or_create(
            policy=policy,
            category=categories[code],
            defaults={
                "percentage": Decimal(share),
                "priority": priority,
                "floor": Money(floor, CURRENCY) if floor else None,
                "cap": Money(cap, CURRENCY) if cap else None,
            },
        )
    for slug, (hourly, piece) in RATES.items():
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop:
            PayRate.objects.update_or_create(
                workshop=workshop,
                effective_from=POLICY_FROM,
                defaults={
                    "hourly": Money(hourly, CURRENCY),
                    "piece": Money(piece, CURRENCY) if piece else None,
                },
            )
    observed = datetime.date(2026, 3, 31)
    for contract in Contract.objects.select_related("workshop__prison__region", "workshop__trade"):
        market = MARKET_WAGES.get(contract.reference)
        if market is None:
            continue
        MarketWageBenchmark.objects.update_or_create(
            trade=contract.workshop.trade,
            region=contract.workshop.prison.region,
            observed_on=observed,
            defaults={"hourly": Money(market, CURRENCY), "source": SOURCE},
        )
    return {"regions": Region.objects.count()}
