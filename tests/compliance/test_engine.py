"""The engine's ground: scopes, a partner's days, policy versions over a period, the period's
checks, and evidence urls."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from compliance.models import ComplianceThresholds
from compliance.rules import RULES, Rule, register
from compliance.rules.context import CheckContext, Scope
from compliance.rules.engine import check_period, run_check
from compliance.rules.evidence import evidence, evidence_of, inspect_url
from tests.workshops.builders import build_partner, build_worker, build_workshop, contract_fields
from workshops.models import Contract, ProductionRecord, Workshop

D = datetime.date
pytestmark = pytest.mark.django_db


def record(worker, workshop, day, hours="6.00"):
    return ProductionRecord.objects.create(
        worker=worker, workshop=workshop, day=day, hours=Decimal(hours), legacy=True
    )


def test_a_partners_production_is_the_days_its_contract_was_in_force():
    workshop = build_workshop("sewing", kind=Workshop.Kind.PARTNER)
    acme, other = build_partner("acme"), build_partner("other")
    Contract.objects.create(
        workshop=workshop, **contract_fields(acme, "C-1", start=D(2026, 3, 1), end=D(2026, 3, 15))
    )
    Contract.objects.create(
        workshop=workshop, **contract_fields(other, "C-2", start=D(2026, 3, 16), end=None)
    )
    worker = build_worker()
    days = [record(worker, workshop, D(2026, 3, day)) for day in (14, 15, 16, 17)]

    scope = Scope.parse("partner", "acme")
    start, end = D(2026, 3, 1), D(2026, 3, 31)

    assert scope.label == "partner:acme"
    assert list(scope.production(start, end).order_by("day")) == days[:2]
    assert list(Scope.parse("partner", "other").production(start, end).order_by("day")) == days[2:]
    assert Scope.parse("workshop", "sewing").production(start, end).count() == 4
    assert list(scope.workshops(start, end)) == [workshop]
    assert list(Scope.parse("prison", "north-prison").partners(start, end)) == [acme, other]


def test_an_unknown_slug_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        Scope.parse("partner", "nobody")
    assert refused.value.messages == ["No partner has the slug 'nobody'."]


def test_the_period_is_cut_where_a_new_version_takes_effect():
    first = ComplianceThresholds.objects.create(effective_from=D(2026, 3, 10))
    second = ComplianceThresholds.objects.create(
        effective_from=D(2026, 3, 20), training_share=Decimal(12)
    )
    ComplianceThresholds.objects.create(effective_from=D(2026, 5, 1))  # after the period
    build_workshop()
    context = CheckContext(Scope.parse("prison", "north-prison"), D(2026, 3, 1), D(2026, 3, 31))

    assert context.segments(ComplianceThresholds) == [
        (D(2026, 3, 1), D(2026, 3, 9), None),
        (D(2026, 3, 10), D(2026, 3, 19), first),
        (D(2026, 3, 20), D(2026, 3, 31), second),
    ]


def test_a_reversed_or_future_period_is_refused(monkeypatch):
    with pytest.raises(ValidationError) as reversed_period:
        check_period(D(2026, 3, 31), D(2026, 3, 1))
    assert reversed_period.value.messages == [
        "The period is reversed: 2026-03-01 is before 2026-03-31."
    ]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        check_period(D(2026, 3, 1), tomorrow)
    assert "in the future" in future.value.messages[0]


def test_evidence_points_at_each_records_own_page():
    workshop = build_workshop()
    worker = build_worker()
    first = record(worker, workshop, D(2026, 3, 2))

    assert inspect_url("workshops.productionrecord", first.pk) == (
        f"/admin/workshops/productionrecord/inspect/{first.pk}/"
    )
    assert [item.as_json() for item in evidence(worker, None)] == [
        {
            "model": "workshops.worker",
            "id": worker.pk,
            "url": f"/admin/workshops/worker/inspect/{worker.pk}/",
        }
    ]
    assert [item.id for item in evidence_of(ProductionRecord, [first.pk, first.pk, None])] == [
        first.pk
    ]
    with pytest.raises(LookupError):
        inspect_url("workshops.stockmovement", 1)


def test_run_check_runs_the_chosen_rules_and_orders_findings_by_severity(monkeypatch):
    monkeypatch.setattr("compliance.rules.engine.RULES", {})  # only the two rules below

    class Minor(Rule):
        code, title, source, severity = "Z_MINOR", "z", "test", "minor"

        def check(self, context):
            yield self.finding(context, detail="small")

    class Critical(Rule):
        code, title, source, severity = "A_CRITICAL", "a", "test", "critical"

        def check(self, context):
            yield self.missing(context, detail="nothing on file")

    from compliance.rules import engine

    engine.RULES.update({"Z_MINOR": Minor(), "A_CRITICAL": Critical()})
    build_workshop()
    calls = []
    findings = run_check(
        Scope.every_prison(),
        D(2026, 3, 1),
        D(2026, 3, 31),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert [(f.code, f.severity, f.missing_data, f.scope) for f in findings] == [
        ("A_CRITICAL", "critical", True, "prison:north-prison"),
        ("Z_MINOR", "minor", False, "prison:north-prison"),
    ]
    assert calls == [(1, 2), (2, 2)]
    assert findings[0].as_json()["start"] == "2026-03-01"
    with pytest.raises(ValidationError):
        run_check(Scope.every_prison(), D(2026, 3, 1), D(2026, 3, 31), codes=["NOPE"])


def test_every_rule_has_a_code_title_source_and_severity():
    for code, rule in RULES.items():
        assert rule.code == code
        assert str(rule.title) and rule.source
        assert rule.severity in ("critical", "major", "minor")


def test_register_refuses_a_second_rule_with_the_same_code():
    @register
    class Once(Rule):
        code = "TEST_ONCE"

    try:
        with pytest.raises(ValueError):
            register(type("Twice", (Rule,), {"code": "TEST_ONCE"}))
    finally:
        RULES.pop("TEST_ONCE")
