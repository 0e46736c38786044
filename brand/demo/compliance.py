"""The data the safeguard rules read beside the register (``compliance``): the compliance
thresholds, safety inspections and injury insurance of the partners, declarations of interest by
the staff who supervise partner work, and the grievances register. With it the demo's two
partners come out as they really are (README, "Safeguard rules"):

- **Atlas Textiles** (fair): inspected every year and insured without a gap, its supervisor's
  declaration on file before the contract's award, its workers' grievances answered within the
  30 days the thresholds allow.
- **Quickfix Assembly** (unfair): its placement's only inspection expires during the demo's
  production and its insurance lapses for a month (SAFETY_COVER); the placement's supervisor
  declared her interest only after its contract was awarded (NO_STAFF_BENEFIT); two grievances
  lie unanswered and one was answered late (GRIEVANCES); and the register's roster, corrected
  by the programme manager, shows that the placement's supervisor had been moved to other work
  in the prison for the last days its sheets name her (STAFF_SUPERVISION).
- A woman at Wadi Sahel asked to join the building crew (kept a men's trade,
  ``register_content.MIXED_WORKSHOP_WOMEN_EVERY``); her grievance was answered in time.

Every market wage benchmark the rules need comes from ``brand.demo.pay``; ``seed_compliance``
refuses to run if a trade with partner work lacks one in a region where it happens. Dates are
fixed relative to ``DEMO_TODAY``, like the rest of the demo; each row is found by its natural key
and brought up to date, so the step can run again.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from brand.demo import register_content as data
from brand.demo.register import reference_of
from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from wages.models import MarketWageBenchmark
from workshops.models import Contract, Partner, Worker, Workshop, WorkshopSupervisor

FAIR, UNFAIR = "atlas-textiles", "quickfix-assembly"
UNFAIR_PLACEMENT = "quickfix-assembly-placement"


def _before(days: int) -> datetime.date:
    return data.DEMO_TODAY - datetime.timedelta(days=days)


# In force since before the demo's first production (the working-time and pay policies' day).
THRESHOLDS = {
    "effective_from": datetime.date(2025, 1, 1),
    "training_share": Decimal(10),
    "gender_gap": Decimal(10),
    "grievance_answer_days": 30,
    "victims_fund_min": Decimal(5),
    "victims_fund_max": Decimal(20),
    "inspection_valid_days": 365,
    "notes": "Agreed with the inspectorate of prisons for the work programme's first year.",
}

LABOUR_INSPECTORATE = "Qantara Labour Inspectorate, occupational safety unit"
# (partner, workshop, inspected on, result, findings)
INSPECTIONS = [
    (
        FAIR,
        "jebel-qantar-tailoring",
        datetime.date(2025, 1, 20),
        SafetyInspection.Result.PASSED,
        "Machines guarded, aisles clear, first-aid kit stocked.",
    ),
    (
        FAIR,
        "jebel-qantar-tailoring",
        datetime.date(2026, 1, 15),
        SafetyInspection.Result.PASSED_WITH_ACTIONS,
        "Finger guards to fit on the two oldest sewing machines within a month.",
    ),
    (
        UNFAIR,
        "jebel-qantar-upholstery",
        datetime.date(2025, 3, 10),
        SafetyInspection.Result.PASSED,
        "Staple guns stored locked; extraction working.",
    ),
    (
        UNFAIR,
        "jebel-qantar-upholstery",
        datetime.date(2026, 3, 5),
        SafetyInspection.Result.PASSED,
        "",
    ),
    # The placement, on Quickfix's premises, inspected once; valid 365 days, it expires about
    # seven weeks before the demo's last day of production and was never renewed.
    (
        UNFAIR,
        UNFAIR_PLACEMENT,
        _before(365 + 48),
        SafetyInspection.Result.PASSED_WITH_ACTIONS,
        "Panel edges to be guarded; heavy flat packs to be lifted by two.",
    ),
]

# (partner, insurer, policy number, start, end); the whole of the partner's work.
INSURANCE = [
    (
        FAIR,
        "Assurances du Plateau",
        "AP-ACC-2025-0117",
        datetime.date(2025, 2, 1),
        datetime.date(2025, 12, 31),
    ),
    (
        FAIR,
        "Assurances du Plateau",
        "AP-ACC-2026-0117",
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    ),
    (
        UNFAIR,
        "Sahel Mutual",
        "SM-WC-25-3380",
        datetime.date(2025, 3, 15),
        datetime.date(2026, 3, 14),
    ),
    # renewed late: a month without cover in the demo's production
    (UNFAIR, "Sahel Mutual", "SM-WC-26-3380", datetime.date(2026, 3, 15), _before(41)),
    (UNFAIR, "Sahel Mutual", "SM-WC-26-4102", _before(10), datetime.date(2027, 10, 31)),
]

# (staff username, partner, declared on, interest or "" for none). Due before each contract's
# award: Atlas's on 2025-01-10, Quickfix's on 2025-03-01 (upholstery) and 2025-05-20 (placement).
DECLARATIONS = [
    (data.DEMO_SUPERVISOR, FAIR, datetime.date(2025, 1, 6), ""),
    ("r.amari", UNFAIR, datetime.date(2025, 2, 24), ""),
    (
        "f.zerhouni",
        UNFAIR,
        datetime.date(2025, 6, 12),  # three weeks after the placement's contract was awarded
        "Her brother-in-law drives deliveries for Quickfix Assembly.",
    ),
]

# The placement's supervisor was moved to other work in the prison from this day; the programme
# manager corrected the roster after the sheets naming her had been imported.
SUPERVISION_ENDED = (UNFAIR_PLACEMENT, "f.zerhouni", _before(11))

# (workshop of the worker, number, partner or None, workshop or None, received days before
#  DEMO_TODAY, category, subject, answered days before or None, outcome)
GRIEVANCES = [
    (
        "jebel-qantar-tailoring",
        3,
        FAIR,
        "jebel-qantar-tailoring",
        71,
        Grievance.Category.PAY,
        "Fewer pieces on a day's sheet than made",
        59,
        "Sheet checked with the supervisor against the bundle tickets: the count was right.",
    ),
    (
        "jebel-qantar-tailoring",
        6,
        FAIR,
        "jebel-qantar-tailoring",
        33,
        Grievance.Category.SAFETY,
        "Lighting too dim at the overlock machines",
        12,
        "Two lamps added by Atlas Textiles; checked by the supervisor.",
    ),
    (
        "quickfix-assembly-placement",
        1,
        UNFAIR,
        UNFAIR_PLACEMENT,
        76,
        Grievance.Category.HOURS,
        "Told to stay for a second shift with no notice",
        None,
        "",
    ),
    (
        "quickfix-assembly-placement",
        3,
        UNFAIR,
        UNFAIR_PLACEMENT,
        29,
        Grievance.Category.SAFETY,
        "Made to lift flat-packed wardrobes alone",
        None,
        "",
    ),
    (
        "jebel-qantar-upholstery",
        9,
        UNFAIR,
        "jebel-qantar-upholstery",
        66,
        Grievance.Category.PAY,
        "Rejected pieces not paid although repaired",
        14,
        "Quickfix agreed to pay repaired pieces from September.",
    ),
    (
        "quickfix-assembly-placement",
        9,
        UNFAIR,
        UNFAIR_PLACEMENT,
        45,
        Grievance.Category.TREATMENT,
        "Shouted at by the partner's foreman",
        31,
        "Foreman reminded of the code of conduct by Quickfix Assembly.",
    ),
    (
        "wadi-sahel-soap",
        2,
        None,
        "wadi-sahel-building-crew",
        47,
        Grievance.Category.TRAINING,
        "Asked to join the building crew and was told it is men's work",
        33,
        "Place offered on the next construction course; the crew is open to women.",
    ),
]


def missing_benchmarks() -> list[tuple[str, str]]:
    """(trade, region) of every workshop with partner work that has no market wage benchmark
    with a source."""
    benchmarked = set(
        MarketWageBenchmark.objects.exclude(source="").values_list("trade_id", "region_id")
    )
    missing = set()
    for workshop in Workshop.objects.filter(contracts__in=Contract.objects.all()).select_related(
        "trade", "prison__region"
    ):
        if (workshop.trade_id, workshop.prison.region_id) not in benchmarked:
            missing.add((workshop.trade.slug, workshop.prison.region.slug))
    return sorted(missing)


def seed_compliance() -> dict:
    missing = missing_benchmarks()
    if missing:
        raise ValueError(f"No market wage benchmark for partner work in {missing}.")
    thresholds = dict(THRESHOLDS)
    ComplianceThresholds.objects.update_or_create(
        effective_from=thresholds.pop("effective_from"), defaults=thresholds
    )
    partners = {p.slug: p for p in Partner.objects.all()}
    workshops = {w.slug: w for w in Workshop.objects.all()}
    for partner, workshop, inspected_on, result, findings in INSPECTIONS:
        SafetyInspection.objects.update_or_create(
            partner=partners[partner],
            workshop=workshops[workshop],
            inspected_on=inspected_on,
            defaults={"inspector": LABOUR_INSPECTORATE, "result": result, "findings": findings},
        )
    for partner, insurer, number, start, end in INSURANCE:
        InsuranceCover.objects.update_or_create(
            partner=partners[partner],
            workshop=None,
            policy_number=number,
            defaults={"insurer": insurer, "start": start, "end": end},
        )
    users = get_user_model().objects
    for username, partner, declared_on, interest in DECLARATIONS:
        InterestDeclaration.objects.update_or_create(
            staff=users.get(username=username),
            partner=partners[partner],
            declared_on=declared_on,
            defaults={"has_interest": bool(interest), "interest": interest},
        )
    workshop, username, ended = SUPERVISION_ENDED
    WorkshopSupervisor.objects.filter(
        workshop=workshops[workshop], user__username=username, end__isnull=True
    ).update(end=ended)
    for (
        first_workshop,
        number,
        partner,
        workshop,
        received,
        category,
        subject,
        answered,
        outcome,
    ) in GRIEVANCES:
        worker = Worker.objects.filter(reference=reference_of(first_workshop, number)).first()
        if worker is None:
            continue
        Grievance.objects.update_or_create(
            worker=worker,
            received_on=_before(received),
            subject=subject,
            defaults={
                "partner": partners[partner] if partner else None,
                "workshop": workshops[workshop] if workshop else None,
                "category": category,
                "answered_on": _before(answered) if answered is not None else None,
                "outcome": outcome,
            },
        )
    return {
        model._meta.model_name: model.objects.count()
        for model in (
            ComplianceThresholds,
            SafetyInspection,
            InsuranceCover,
            InterestDeclaration,
            Grievance,
        )
    }
