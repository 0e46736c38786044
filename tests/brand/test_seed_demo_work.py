"""What ``seed_demo`` records of the work: months of production with the unfair partner's breaches,
safety incidents, women trained and certified in welding, and batches whose stock equals its
movements.
"""

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from workshops.models import (
    Assessment,
    Batch,
    Certificate,
    Course,
    Enrolment,
    ProductionRecord,
    SafetyIncident,
    Stock,
    StockMovement,
    TrainingAttendance,
    Workshop,
)
from workshops.training.certificates import certificate_status

pytestmark = pytest.mark.django_db


def test_seed_demo_records_months_of_production_with_the_unfair_partners_breaches(demo_database):
    records = ProductionRecord.objects

    assert records.aggregate(Sum("hours"), Sum("pieces"), Sum("rejects")) == {
        "hours__sum": Decimal("72019.00"),  # with the half hour added by a correction
        "pieces__sum": 276418,
        "rejects__sum": 8457,
    }
    assert (records.earliest("day").day, records.latest("day").day) == (
        datetime.date(2026, 8, 3),
        datetime.date(2026, 10, 30),
    )
    assert set(records.values_list("workshop__slug", flat=True)) == set(
        Workshop.objects.values_list("slug", flat=True)
    )
    # The first two weeks are legacy history with no supervisor named, except the fair partner's
    # 158 rows (its paper sheets named the supervisor); the workers without a fitness clearance
    # appear only there.
    assert records.filter(legacy=True).count() == 1325
    assert records.filter(legacy=True, day__gte=datetime.date(2026, 8, 17)).count() == 0
    assert records.filter(supervisor__isnull=True).count() == 1325 - 158
    assert not records.filter(
        supervisor__isnull=True, workshop__slug="jebel-qantar-tailoring"
    ).exists()
    assert not records.filter(worker__clearances__isnull=True, legacy=False).exists()
    # Only the unfair partner's placement breaks the working-time policy, always with a reason.
    breaches = records.exclude(breaches="")
    assert sorted(breaches.values_list("workshop__slug", "breaches").annotate(n=Count("id"))) == [
        ("quickfix-assembly-placement", "HOURS_DAY", 77),
        ("quickfix-assembly-placement", "HOURS_WEEK", 2),
        ("quickfix-assembly-placement", "HOURS_WEEK REST_DAY", 38),
        ("quickfix-assembly-placement", "REST_DAY", 95),
    ]
    assert not breaches.filter(supervisor_note="").exists()
    weekend = records.filter(day__week_day__in=[1, 7])
    assert sorted(weekend.order_by().values_list("workshop__slug", "day").distinct()) == [
        ("quickfix-assembly-placement", datetime.date(2026, 10, 3)),
        ("quickfix-assembly-placement", datetime.date(2026, 10, 4)),
    ]


def test_seed_demo_records_safety_incidents_left_without_follow_up_only_at_the_unfair_partner(
    demo_database,
):
    assert sorted(
        SafetyIncident.objects.values_list(
            "workshop__slug", "severity", "followed_up_on", "reported_by__username"
        )
    ) == [
        ("ain-zahra-bakery", "first_aid", datetime.date(2026, 9, 3), "m.bensaid"),
        ("jebel-qantar-tailoring", "first_aid", datetime.date(2026, 10, 8), "supervisor"),
        ("quickfix-assembly-placement", "first_aid", None, "f.zerhouni"),
        ("quickfix-assembly-placement", "lost_time", None, "f.zerhouni"),
        ("wadi-sahel-joinery", "near_miss", datetime.date(2026, 9, 25), "f.zerhouni"),
    ]


def test_seed_demo_trains_women_in_welding_within_the_working_time_limits(demo_database):
    welders = Enrolment.objects.filter(course__code="welder-3")
    assert set(welders.values_list("worker__sex", flat=True)) == {"female"}
    assert welders.count() == 6
    assert sorted(
        Assessment.objects.values_list("enrolment__course__code", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    ) == [
        ("baker-3", "failed", 1),
        ("baker-3", "passed", 3),
        ("garment-maker-2", "failed", 1),
        ("garment-maker-2", "passed", 2),
        ("joiner-3", "failed", 1),
        ("joiner-3", "passed", 3),
        ("welder-3", "failed", 1),
        ("welder-3", "passed", 4),
    ]
    assert not TrainingAttendance.objects.exclude(breaches="").exists()
    assert Course.objects.get(code="welder-3").qualification_in("fr") == "Soudeur (MIG/MAG)"


def test_seed_demo_certifies_women_welders_and_revokes_one_certificate_and_reissues_another(
    demo_database,
):
    certificates = Certificate.objects.select_related("enrolment__course", "enrolment__worker")
    assert sorted((c.enrolment.course.code, str(certificate_status(c))) for c in certificates) == [
        ("baker-3", "revoked"),
        ("baker-3", "valid"),
        ("baker-3", "valid"),
        ("garment-maker-2", "valid"),
        ("joiner-3", "valid"),
        ("joiner-3", "valid"),
        ("joiner-3", "valid"),
        ("welder-3", "superseded"),
        ("welder-3", "valid"),
        ("welder-3", "valid"),
        ("welder-3", "valid"),
    ]
    welders = certificates.filter(enrolment__course__code="welder-3")
    assert set(welders.values_list("enrolment__worker__sex", flat=True)) == {"female"}
    old = welders.get(superseded_by__isnull=False)
    assert old.superseded_by.holder_name == old.holder_name + " El Fassi"
    assert old.superseded_by.enrolment_id == old.enrolment_id
    revoked = certificates.get(revoked_on__isnull=False)
    assert revoked.revocation_reason.startswith("The assessment was recorded against")
    for certificate in certificates:
        worker = certificate.enrolment.worker
        assert certificate.language == worker.language
        assert worker.reference not in json.dumps(certificate.content)
        assert worker.prison_number not in json.dumps(certificate.content)


def test_seed_demo_receives_monthly_batches_and_keeps_stock_equal_to_its_movements(demo_database):
    for stock in Stock.objects.select_related("sku"):
        moved = stock.movements.aggregate(
            on_hand=Sum("on_hand_change"), held=Sum("reserved_change")
        )
        assert (moved["on_hand"], moved["held"] or 0) == (stock.on_hand, stock.reserved)
        batches = list(stock.sku.batches.order_by("made_from"))
        assert all(a.made_to < b.made_from for a, b in itertools.pairwise(batches))
    made = ProductionRecord.objects.filter(sku__code="MET-001").aggregate(pieces=Sum("pieces"))
    received = Batch.objects.filter(sku__code="MET-001").aggregate(quantity=Sum("quantity"))
    assert received["quantity"] == made["pieces"]
    assert sorted(
        StockMovement.objects.exclude(kind="received")
        .exclude(reservation__key__startswith="demo-public-sale-")
        .exclude(reservation__key__startswith="order:")
        .values_list("kind", "on_hand_change", "reserved_change", "stock__sku__code")
    ) == [
        ("counted", -4, 0, "SOP-001"),
        ("reserved", 0, 2, "JOI-001"),
        ("returned", 1, 0, "JOI-002"),
        ("returned", 1, 0, "TAI-001"),
        ("written_off", -12, 0, "BRD-001"),
        ("written_off", -2, 0, "UPH-001"),
    ]
    # sales to public buyers, reserved then sold, down to a handful of units or none
    public = StockMovement.objects.filter(reservation__key__startswith="demo-public-sale-")
    assert sorted(public.values_list("kind", "stock__sku__code")) == [
        ("reserved", "BRD-108"),
        ("reserved", "JOI-101"),
        ("reserved", "MET-106"),
        ("reserved", "SOP-104"),
        ("sold", "BRD-108"),
        ("sold", "JOI-101"),
        ("sold", "MET-106"),
        ("sold", "SOP-104"),
    ]
