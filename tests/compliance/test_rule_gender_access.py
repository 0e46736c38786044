"""GENDER_ACCESS: women and men have access to the same trades, pay and training; gaps above the
thresholds' ``gender_gap`` are flagged (Bangkok Rule 42, UN model strategy No. 11)."""

from decimal import Decimal

import pytest

from compliance.models import ComplianceThresholds
from compliance.rules import RULES
from compliance.rules.evidence import Evidence
from tests.compliance.training_builders import (
    MONDAY,
    PERIOD,
    D,
    add_worker,
    add_workshop,
    build_thresholds,
    build_world,
    enrol,
    work,
    work_week,
)

pytestmark = pytest.mark.django_db
RULE = RULES["GENDER_ACCESS"]


def findings(context):
    return list(RULE.check(context))


def cited(model, *ids):
    return tuple(
        Evidence(model, pk, f"/admin/{model.replace('.', '/')}/inspect/{pk}/") for pk in ids
    )


def staff(world, workshop, women, men, *, first=0, enrolled=True, hours="8"):
    """``women`` and ``men`` workers of ``workshop``, each with a week of work (and an enrolment
    on the bakery course)."""
    people = []
    for number, sex in enumerate(["female"] * women + ["male"] * men, start=first):
        worker = add_worker(world, f"W-{number:06d}", sex, course="bakery" if enrolled else None)
        work_week(world, worker, workshop, hours)
        people.append(worker)
    return people


@pytest.fixture
def world():
    world = build_world()
    world.bakery = add_workshop(world, "bakery", hourly="2.00")
    world.metal = add_workshop(world, "metal", hourly="2.00")
    return world


def test_equal_access_passes(world):
    build_thresholds(gap="0")
    staff(world, world.bakery, 2, 2)
    staff(world, world.metal, 1, 1, first=4)

    assert findings(world.context()) == []


def segregated(world):
    """Five women and five men: bakery 3 women of 5 (60 %), metal 2 of 5 (40 %), against 50 %
    in all: 10 points apart each way."""
    staff(world, world.bakery, 3, 2)
    staff(world, world.metal, 2, 3, first=5)


def test_segregation_exactly_at_the_gap_passes(world):
    build_thresholds(gap="10")
    segregated(world)

    assert findings(world.context()) == []


def test_segregation_above_the_gap_is_a_finding_per_trade(world):
    build_thresholds(gap="9.99")
    segregated(world)

    bakery, metal = findings(world.context())

    assert (bakery.code, bakery.severity, bakery.scope) == (
        "GENDER_ACCESS",
        "minor",
        "prison:north-prison",
    )
    assert bakery.worker is None
    assert (bakery.start, bakery.end) == PERIOD
    assert bakery.missing_data is False
    assert bakery.detail == (
        "Women are 60.00 % of the workers in Bakery (3 of 5) against 50.00 % of all the workers "
        "in scope (5 of 10) from Mar 2, 2026 to Mar 6, 2026: 10.00 points apart, more than 9.99."
    )
    assert bakery.figures == {
        "comparison": "trade",
        "trade": "bakery",
        "trade_women": 3,
        "trade_workers": 5,
        "women": 5,
        "workers": 10,
        "trade_women_share": Decimal("60.00"),
        "women_share": Decimal("50.00"),
        "gap_points": Decimal("10.00"),
        "gender_gap": Decimal("9.99"),
    }
    assert bakery.evidence == cited("workshops.workshop", world.bakery.pk)
    assert metal.figures["trade_women_share"] == Decimal("40.00")
    assert metal.figures["gap_points"] == Decimal("-10.00")
    assert metal.evidence == cited("workshops.workshop", world.metal.pk)


def underpaid(world):
    """One trade in two workshops: the women's pays 1.80 an hour, the men's 2.00: 10 % less."""
    cheaper = add_workshop(world, "bakery", hourly="1.80")
    staff(world, cheaper, 2, 0)
    staff(world, world.bakery, 0, 2, first=2)
    return cheaper


def test_a_pay_gap_exactly_at_the_threshold_passes(world):
    build_thresholds(gap="10")
    underpaid(world)

    assert findings(world.context()) == []


def test_a_pay_gap_above_the_threshold_is_a_finding(world):
    build_thresholds(gap="9.99")
    cheaper = underpaid(world)

    (finding,) = findings(world.context())

    assert finding.worker is None
    assert finding.detail == (
        "Women's effective pay in Bakery was €1.80 an hour against men's €2.00 from Mar 2, "
        "2026 to Mar 6, 2026: 10.00 % below men's, more than 9.99 %."
    )
    assert finding.figures == {
        "comparison": "pay",
        "trade": "bakery",
        "women_hourly": Decimal("1.80"),
        "men_hourly": Decimal("2.00"),
        "women_hours": Decimal("80.00"),
        "men_hours": Decimal("80.00"),
        "gap_percent": Decimal("10.00"),
        "gender_gap": Decimal("9.99"),
    }
    assert finding.evidence == cited("workshops.workshop", world.bakery.pk, cheaper.pk)


def test_pieces_count_in_the_effective_pay(world):
    """Women paid by the piece: 0.25 a piece, 8 pieces in 10 h = 0.20 an hour on top of 1.60."""
    build_thresholds(gap="0")
    by_piece = add_workshop(world, "bakery", hourly="1.60", piece="0.25")
    woman = add_worker(world, "W-000001", "female", course="bakery")
    man = add_worker(world, "W-000002", "male", course="bakery")
    work(world, woman, by_piece, "10", pieces=8)
    work(world, man, world.bakery, "10")

    (finding,) = findings(world.context())

    assert finding.figures["women_hourly"] == Decimal("1.80")
    assert finding.figures["gap_percent"] == Decimal("10.00")


def enrolled_unevenly(world):
    """Four women and four men (50 %); three women and two men enrolled: 60 % of enrolments."""
    women = staff(world, world.bakery, 4, 0, enrolled=False)
    men = staff(world, world.bakery, 0, 4, first=4, enrolled=False)
    for worker in women[:3] + men[:2]:
        enrol(world, worker, "bakery")


def test_a_training_gap_exactly_at_the_threshold_passes(world):
    build_thresholds(gap="10")
    enrolled_unevenly(world)

    assert findings(world.context()) == []


def test_a_training_gap_above_the_threshold_is_a_finding(world):
    build_thresholds(gap="9.99")
    enrolled_unevenly(world)

    (finding,) = findings(world.context())

    assert finding.worker is None
    assert finding.detail == (
        "Women hold 60.00 % of the enrolments (3 of 5) against 50.00 % of the workers in scope "
        "(4 of 8) from Mar 2, 2026 to Mar 6, 2026: 10.00 points apart, more than 9.99."
    )
    assert finding.figures == {
        "comparison": "training",
        "enrolled_women": 3,
        "enrolments": 5,
        "women": 4,
        "workers": 8,
        "enrolled_women_share": Decimal("60.00"),
        "women_share": Decimal("50.00"),
        "gap_points": Decimal("10.00"),
        "gender_gap": Decimal("9.99"),
    }
    assert finding.evidence == cited("workshops.course", world.courses["bakery"].pk)


def test_a_womens_prison_cannot_show_a_gap(world):
    build_thresholds(gap="0")
    world.prison.population = "women"
    world.prison.save()
    staff(world, world.bakery, 3, 0)
    staff(world, world.metal, 1, 0, first=3, enrolled=False)

    assert findings(world.context()) == []


def test_a_workshop_is_compared_with_its_prisons_workers(world):
    build_thresholds(gap="0")
    staff(world, world.bakery, 3, 0)
    staff(world, world.metal, 0, 3, first=3)

    (bakery,) = findings(world.context(kind="workshop", target=world.bakery))
    assert bakery.scope == f"workshop:{world.bakery.slug}"
    assert bakery.figures["trade_women_share"] == Decimal("100.00")
    assert bakery.figures["women_share"] == Decimal("50.00")
    assert f"of all the workers of {world.prison.name} (3 of 6)" in bakery.detail
    assert len(findings(world.context())) == 2  # the prison: both trades segregated


def test_no_thresholds_in_force_is_missing_data(world):
    build_thresholds(gap="10", since=D(2026, 3, 4))
    staff(world, world.bakery, 1, 1)

    (finding,) = findings(world.context())

    assert finding.missing_data is True
    assert (finding.severity, finding.worker) == ("minor", None)
    assert (finding.start, finding.end) == (MONDAY, D(2026, 3, 3))
    assert finding.detail == (
        "No compliance thresholds were in force from Mar 2, 2026 to Mar 3, 2026: women's and "
        "men's access cannot be compared. Add the thresholds in force then."
    )
    assert finding.evidence == ()
    assert ComplianceThresholds.objects.count() == 1


def test_work_no_rate_prices_is_missing_pay_data(world):
    build_thresholds(gap="0")
    unpriced = add_workshop(world, "metal", hourly=None)
    staff(world, unpriced, 1, 1)
    staff(world, world.metal, 1, 1, first=2)

    (finding,) = findings(world.context())

    assert finding.missing_data is True
    assert (finding.severity, finding.worker) == ("minor", None)
    assert (finding.start, finding.end) == PERIOD
    assert finding.detail == (
        "No contract or pay rate prices 10 records of the trade Metal from Mar 2, 2026 to Mar 6, "
        "2026: women's and men's pay in it cannot be compared. Add the pay rates in force then."
    )
    assert finding.figures == {"trade": "metal", "unpriced_records": 10}
    assert finding.evidence == cited("workshops.workshop", world.metal.pk, unpriced.pk)


def test_a_partner_scope_compares_the_work_under_its_contract(world):
    from tests.workshops.builders import build_partner, contract_fields
    from workshops.models import Contract

    build_thresholds(gap="9.99")
    partner = build_partner("acme")
    Contract.objects.create(workshop=world.bakery, **contract_fields(partner, start=D(2026, 1, 1)))
    segregated(world)  # the partner's bakery alone: 3 women and 2 men, one trade

    assert findings(world.context(kind="partner", target=partner)) == []


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(world, workers, django_assert_num_queries):
    build_thresholds(gap="0")
    cheaper = add_workshop(world, "bakery", hourly="1.80")
    unpriced = add_workshop(world, "weaving", hourly=None, course=False)
    staff(world, cheaper, workers, 0)
    staff(world, world.bakery, 0, workers, first=workers, enrolled=False)
    staff(world, unpriced, 1, 1, first=2 * workers, enrolled=False)
    context = world.context()

    # workshops, contracts, rates, thresholds; per trade and sex, per sex, enrolments
    with django_assert_num_queries(7):
        assert [f.figures.get("comparison") for f in findings(context)] == [
            "pay",
            "training",
            None,
        ]
