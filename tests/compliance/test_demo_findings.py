"""The demo's partners come out of ``compliance_check --json`` as they really are (issue 23, "The
demo"; README, "Safeguard rules"): the fair partner, Atlas Textiles, with no critical or major
finding; the unfair one, Quickfix Assembly, caught by the rules its records break; two of the
administration's workshops with the back wages and the gender segregation their records show.

The period is the demo's production (``brand.demo.production``): from its first day (the two weeks
of history from before Bridgework included, where the unfair partner's worker worked before
signing a consent) to its last. The second half of the file checks the seeded data itself, what
each rule is expected to read, so a missing finding above points at the rule, not the data.
"""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Min

from brand.demo import compliance as demo
from brand.demo import register_content as data
from brand.demo.production import UNFAIR_PLACEMENT, _period
from brand.demo.register import reference_of
from brand.demo.seed import SIZES
from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.rules import RULES
from wages.models import MarketWageBenchmark, PayAllocation
from workshops.models import Consent, Contract, ProductionRecord, Worker, WorkshopSupervisor

pytestmark = pytest.mark.django_db

FAIR, UNFAIR = "atlas-textiles", "quickfix-assembly"
START, END = _period(SIZES["small"].months_of_production)  # 2026-08-03 to 2026-11-01
# DESIGN.md, "Safeguards as rules"
CODES = {
    "HOURS_DAY",
    "HOURS_WEEK",
    "REST_DAY",
    "FITNESS",
    "WAGE_FLOOR",
    "PARTNER_PAYS_FULL_WAGE",
    "DEDUCTIONS_CAP",
    "VICTIM_FUND_RANGE",
    "EARNINGS_SPLIT",
    "CONSENT_BEFORE_WORK",
    "CONSENT_WITHDRAWN",
    "STAFF_SUPERVISION",
    "NO_STAFF_BENEFIT",
    "SAFETY_COVER",
    "TRAINING_SHARE",
    "GENDER_ACCESS",
    "BACK_WAGES",
    "GRIEVANCES",
}
UNFAIR_CODES = {
    "WAGE_FLOOR",  # the placement pays 3.90 EUR/h; carpentry in the Southern Oases 4.40
    "CONSENT_BEFORE_WORK",  # a consent without its document; work before another was signed
    "REST_DAY",  # the placement's seven-day streak
    "SAFETY_COVER",  # inspection expired, insurance lapsed, two incidents not followed up
    "STAFF_SUPERVISION",  # sheets naming a supervisor moved off the placement
    "GRIEVANCES",  # one unanswered for 75 days, one answered after 52
    "NO_STAFF_BENEFIT",  # the placement's supervisor declared an interest after the award
}


def check(kind: str, slug: str) -> list[dict]:
    """The findings of every rule for one scope over the demo's production, from the JSON."""
    assert not CODES - set(RULES), f"rules not registered: {sorted(CODES - set(RULES))}"
    out = io.StringIO()
    call_command(
        "compliance_check",
        f"--{kind}",
        slug,
        "--start",
        START.isoformat(),
        "--end",
        END.isoformat(),
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    findings = json.loads(out.getvalue())
    assert {f["scope"] for f in findings} <= {f"{kind}:{slug}"}
    return findings


def codes(findings, *severities) -> set[str]:
    return {f["code"] for f in findings if not severities or f["severity"] in severities}


def test_the_fair_partner_has_no_critical_or_major_finding(demo_database):
    findings = check("partner", FAIR)

    serious = [(f["code"], f["severity"], f["detail"]) for f in findings]
    assert codes(findings, "critical", "major") == set(), serious


def test_the_unfair_partner_is_caught_by_the_rules_its_records_break(demo_database):
    findings = check("partner", UNFAIR)

    assert codes(findings) >= UNFAIR_CODES, sorted(codes(findings))
    consent_workers = {f["worker"] for f in findings if f["code"] == "CONSENT_BEFORE_WORK"}
    assert {
        reference_of(*data.CONSENT_WITHOUT_DOCUMENT),
        reference_of(*data.CONSENT_AFTER_WORK),
    } <= consent_workers
    assert "WAGE_FLOOR" in codes(findings, "critical")
    assert "CONSENT_BEFORE_WORK" in codes(findings, "critical")


def test_an_administration_workshop_owes_back_wages(demo_database):
    # the glasshouses pay 2.00 EUR/h, below 45 % of the 4.60 minimum wage (2.07)
    findings = check("workshop", "ain-zahra-glasshouses")

    assert "BACK_WAGES" in codes(findings), sorted(codes(findings))


def test_the_building_crew_is_kept_a_mens_trade_in_a_mixed_prison(demo_database):
    findings = check("workshop", "wadi-sahel-building-crew")

    assert "GENDER_ACCESS" in codes(findings), sorted(codes(findings))


# What the rules read: the seeded data itself.


def _records(partner: str):
    return ProductionRecord.objects.filter(
        day__range=(START, END), workshop__contracts__partner__slug=partner
    )


def test_the_demo_holds_a_benchmark_for_every_trade_with_partner_work_and_region(demo_database):
    assert demo.missing_benchmarks() == []
    placement = Contract.objects.get(reference="QFX-2025-02")
    market = MarketWageBenchmark.objects.get(
        trade=placement.workshop.trade, region=placement.workshop.prison.region
    )
    assert (placement.hourly_rate.amount, market.hourly.amount) == (
        Decimal("3.90"),
        Decimal("4.40"),
    )
    atlas = Contract.objects.get(reference="ATL-2025-01")
    market = MarketWageBenchmark.objects.get(
        trade=atlas.workshop.trade, region=atlas.workshop.prison.region
    )
    assert atlas.hourly_rate.amount > market.hourly.amount
    assert ComplianceThresholds.objects.get().effective_from <= START


def test_the_fair_partners_records_are_all_consented_supervised_and_covered(demo_database):
    records = _records(FAIR)
    assert records.count() > 1000
    first_shift = dict(records.values_list("worker").annotate(first=Min("day")))
    consents = Consent.objects.filter(kind="work", partner__slug=FAIR, worker__in=first_shift)
    assert consents.count() == len(first_shift)
    applied = set(PayAllocation.objects.values_list("category__code", flat=True))
    for consent in consents:
        assert consent.document_id is not None
        assert applied <= set(consent.deduction_categories.values_list("code", flat=True))
        assert consent.signed_on <= first_shift[consent.worker_id]
        assert consent.withdrawn_on is None
    supervisions = list(WorkshopSupervisor.objects.filter(workshop__contracts__partner__slug=FAIR))
    for day, workshop, supervisor in records.values_list("day", "workshop_id", "supervisor_id"):
        assert any(
            s.user_id == supervisor
            and s.workshop_id == workshop
            and s.start <= day
            and (s.end is None or day <= s.end)
            for s in supervisions
        ), (day, workshop, supervisor)
    day = START
    inspections = SafetyInspection.objects.filter(partner__slug=FAIR)
    covers = InsuranceCover.objects.filter(partner__slug=FAIR)
    while day <= END:
        assert (
            inspections.filter(inspected_on__range=(day - datetime.timedelta(days=365), day))
            .exclude(result="failed")
            .exists()
        )
        assert covers.filter(start__lte=day, end__gte=day).exists()
        day += datetime.timedelta(days=1)
    awarded = Contract.objects.get(reference="ATL-2025-01").awarded_on
    for supervision in supervisions:
        assert InterestDeclaration.objects.filter(
            staff=supervision.user, partner__slug=FAIR, declared_on__lte=awarded, has_interest=False
        ).exists()
    grievances = Grievance.objects.filter(partner__slug=FAIR)
    assert grievances.count() == 2
    for grievance in grievances:
        assert (grievance.answered_on - grievance.received_on).days <= 30


def test_the_unfair_partners_records_show_what_the_rules_catch(demo_database):
    records = _records(UNFAIR)
    # CONSENT_BEFORE_WORK: a consent without its document, and work before a consent was signed
    missing = Worker.objects.get(reference=reference_of(*data.CONSENT_WITHOUT_DOCUMENT))
    assert Consent.objects.get(worker=missing, kind="work").document_id is None
    assert records.filter(worker=missing).exists()
    late = Worker.objects.get(reference=reference_of(*data.CONSENT_AFTER_WORK))
    signed_on = Consent.objects.get(worker=late, kind="work").signed_on
    assert signed_on == START + datetime.timedelta(days=data.CONSENT_AFTER_WORK_DAYS)
    assert records.filter(worker=late, day__lt=signed_on, legacy=True).count() == 5
    # REST_DAY: seven days in a row at the placement
    days = sorted(
        set(records.filter(workshop__slug=UNFAIR_PLACEMENT).values_list("day", flat=True))
    )
    assert any(days[i + 6] - days[i] == datetime.timedelta(days=6) for i in range(len(days) - 6))
    # STAFF_SUPERVISION: sheets naming the supervisor after the roster moved her elsewhere
    _workshop, username, ended = demo.SUPERVISION_ENDED
    unsupervised = records.filter(
        workshop__slug=UNFAIR_PLACEMENT, day__gt=ended, supervisor__username=username
    )
    assert sorted(set(unsupervised.values_list("day", flat=True))) == [
        datetime.date(2026, 10, 23),
        *(datetime.date(2026, 10, day) for day in range(26, 31)),
    ]
    # SAFETY_COVER: the placement's inspection expires on 2026-09-15; no cover 09-23 to 10-22
    placement = SafetyInspection.objects.get(workshop__slug=UNFAIR_PLACEMENT)
    assert placement.inspected_on + datetime.timedelta(days=365) == datetime.date(2026, 9, 15)
    lapse = [datetime.date(2026, 9, 23), datetime.date(2026, 10, 22)]
    covers = InsuranceCover.objects.filter(partner__slug=UNFAIR)
    for day in lapse:
        assert not covers.filter(start__lte=day, end__gte=day).exists()
    assert covers.filter(end=lapse[0] - datetime.timedelta(days=1)).exists()
    assert covers.filter(start=lapse[1] + datetime.timedelta(days=1)).exists()
    # NO_STAFF_BENEFIT: the placement's supervisor declared an interest after the award
    declaration = InterestDeclaration.objects.get(staff__username=username, partner__slug=UNFAIR)
    assert declaration.has_interest
    assert declaration.declared_on > Contract.objects.get(reference="QFX-2025-02").awarded_on
    # GRIEVANCES: unanswered past 30 days, answered late, answered in time
    grievances = Grievance.objects.filter(partner__slug=UNFAIR)
    waited = sorted(
        ((g.answered_on or END) - g.received_on).days for g in grievances.order_by("received_on")
    )
    assert waited == [14, 28, 52, 75]


def test_the_building_crew_is_nearly_all_men_while_women_are_a_large_share(demo_database):
    assigned = Worker.objects.filter(
        assignments__workshop__prison__slug="wadi-sahel",
        assignments__start__lte=END,
    ).distinct()
    crew = assigned.filter(assignments__workshop__slug="wadi-sahel-building-crew")
    share = assigned.filter(sex="female").count() * 100 // assigned.count()
    crew_share = crew.filter(sex="female").count() * 100 // crew.count()
    assert (crew.count(), crew.filter(sex="female").count()) == (21, 2)
    assert (share, crew_share) == (39, 9)  # a gap of 30 points against a threshold of 10
