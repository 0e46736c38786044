"""TRAINING_SHARE: each worker's training hours are at least the thresholds' share of the hours
they worked in scope, and every trade worked in scope has an active course (Mandela Rules 98–99,
UN model strategy No. 11)."""

from decimal import Decimal

import pytest

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
    train,
    work_week,
)

pytestmark = pytest.mark.django_db
RULE = RULES["TRAINING_SHARE"]


def findings(context):
    return list(RULE.check(context))


def cited(model, *ids):
    return tuple(
        Evidence(model, pk, f"/admin/{model.replace('.', '/')}/inspect/{pk}/") for pk in ids
    )


@pytest.fixture
def world():
    world = build_world()
    build_thresholds(share="10")
    world.bakery = add_workshop(world, "bakery")
    return world


def test_training_at_the_share_passes(world):
    worker = add_worker(world, "W-000001", course="bakery")
    work_week(world, worker, world.bakery, "8")  # 40 h: 10 % is 4.00 h
    train(world, worker, "4.00")

    assert findings(world.context()) == []


def test_a_hundredth_of_an_hour_below_the_share_is_a_finding(world):
    worker = add_worker(world, "W-000001", course="bakery")
    records = work_week(world, worker, world.bakery, "8")
    session = train(world, worker, "3.99")

    (finding,) = findings(world.context())

    assert finding.code == "TRAINING_SHARE"
    assert finding.severity == "minor"
    assert finding.scope == "prison:north-prison"
    assert finding.worker == "W-000001"
    assert (finding.start, finding.end) == PERIOD
    assert finding.missing_data is False
    assert finding.detail == (
        "3.99 h of training from Mar 2, 2026 to Mar 6, 2026 against 40.00 h worked: 9.98 %, "
        "below the required 10.00 % (4.00 h)."
    )
    assert finding.figures == {
        "worked_hours": Decimal("40.00"),
        "training_hours": Decimal("3.99"),
        "required_hours": Decimal("4.00"),
        "training_share": Decimal("10.00"),
        "achieved_share": Decimal("9.98"),
    }
    assert finding.evidence == cited("workshops.trainingattendance", session.pk) + cited(
        "workshops.productionrecord", *(record.pk for record in records)
    )


def test_the_hours_required_round_up_to_the_hundredth(world):
    """33.35 h worked at 10 % needs 3.335 h: 3.34 h passes, 3.33 h does not."""
    short = add_worker(world, "W-000001", course="bakery")
    enough = add_worker(world, "W-000002", course="bakery")
    for worker, trained in ((short, "3.33"), (enough, "3.34")):
        work_week(world, worker, world.bakery, "6.67")  # 33.35 h
        train(world, worker, trained)

    (finding,) = findings(world.context())

    assert finding.worker == "W-000001"
    assert finding.figures["worked_hours"] == Decimal("33.35")
    assert finding.figures["required_hours"] == Decimal("3.34")


def test_no_training_at_all_cites_the_production(world):
    worker = add_worker(world, "W-000001")
    records = work_week(world, worker, world.bakery, "7.5")

    (finding,) = findings(world.context())

    assert finding.figures["training_hours"] == Decimal("0")
    assert finding.figures["achieved_share"] == Decimal("0.00")
    assert finding.evidence == cited("workshops.productionrecord", *(r.pk for r in records))


def test_a_trade_without_an_active_course_is_a_major_finding(world):
    metal = add_workshop(world, "metal", course=False)
    worker = add_worker(world, "W-000001", course="bakery")
    work_week(world, worker, metal, "8")
    train(world, worker, "4")

    (finding,) = findings(world.context())

    assert finding.severity == "major"
    assert finding.worker is None
    assert (finding.start, finding.end) == PERIOD
    assert finding.detail == (
        "No active course in the trade Metal, worked in Metal workshop 2 from Mar 2, 2026 to "
        "Mar 6, 2026: no training is offered in it."
    )
    assert finding.figures == {"trade": "metal", "workshops": 1, "active_courses": 0}
    assert finding.evidence == cited("workshops.trade", world.trades["metal"].pk) + cited(
        "workshops.workshop", metal.pk
    )


def test_a_course_closed_for_enrolment_does_not_count(world):
    worker = add_worker(world, "W-000001", course="bakery")
    work_week(world, worker, world.bakery, "8")
    train(world, worker, "4")
    world.courses["bakery"].is_active = False
    world.courses["bakery"].save()

    assert [f.figures for f in findings(world.context())] == [
        {"trade": "bakery", "workshops": 1, "active_courses": 0}
    ]


def test_no_thresholds_in_force_is_missing_data(world):
    from compliance.models import ComplianceThresholds

    ComplianceThresholds.objects.all().delete()
    build_thresholds(share="10", since=D(2026, 3, 4))
    worker = add_worker(world, "W-000001", course="bakery")
    work_week(world, worker, world.bakery, "8")  # 16 h before the thresholds, 24 h after
    train(world, worker, "2.40", day=D(2026, 3, 4))

    (finding,) = findings(world.context())

    assert finding.missing_data is True
    assert finding.severity == "minor"
    assert finding.worker is None
    assert (finding.start, finding.end) == (MONDAY, D(2026, 3, 3))
    assert finding.detail == (
        "No compliance thresholds were in force from Mar 2, 2026 to Mar 3, 2026: the training "
        "share cannot be checked. Add the thresholds in force then."
    )
    assert finding.evidence == ()


def test_a_partner_scope_counts_the_work_under_its_contract_only(world):
    from tests.workshops.builders import build_partner, contract_fields
    from workshops.models import Contract

    partner = build_partner("acme")
    Contract.objects.create(workshop=world.bakery, **contract_fields(partner, start=D(2026, 3, 4)))
    worker = add_worker(world, "W-000001", course="bakery")
    work_week(world, worker, world.bakery, "8")  # 24 h under the contract: 2.40 h needed
    train(world, worker, "2.40")

    assert findings(world.context(kind="partner", target=partner)) == []
    assert [f.worker for f in findings(world.context())] == ["W-000001"]  # 40 h in the prison


@pytest.mark.parametrize("workers", [2, 6])
def test_the_same_queries_whatever_the_number_of_workers(world, workers, django_assert_num_queries):
    add_workshop(world, "metal", course=False)
    for number in range(workers):
        worker = add_worker(world, f"W-{number:06d}", course="bakery")
        work_week(world, worker, world.bakery, "8")
        train(world, worker, "1")
    context = world.context()

    # the trades; the thresholds; the hours worked, trained; the evidence (attendance, production)
    with django_assert_num_queries(6):
        assert len(findings(context)) == workers
