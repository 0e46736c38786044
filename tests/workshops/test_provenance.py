"""A batch's provenance, as the shop shows it beside a product: the worker-hours, people, training
and certificates behind the batch, counted once each from the records of its workshop, SKU and
days, with counts of people suppressed below 5, and never a name or a reference."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from wagtail.models import Locale

from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import build_world, day
from workshops.inventory import receive_batch
from workshops.inventory.provenance import batch_provenance
from workshops.models import (
    SKU,
    Batch,
    Certificate,
    Course,
    Enrolment,
    Partner,
    ProductionRecord,
    Trade,
    TrainingAttendance,
)
from workshops.register.contracts import create_contract, set_partner_fairness

# The inventory's and the ledger's rules hold on both databases: CI runs these on each.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
HOLDER = "Amina B."


@dataclasses.dataclass
class Shop:
    world: object
    main: Batch  # SKU-A, day(0)–day(4): five makers
    small: Batch  # SKU-B, day(0)–day(4): two makers


def make(world, worker, on, hours, *, sku=None, workshop=None) -> ProductionRecord:
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop or sku.workshop,
        day=on,
        sku=sku,
        hours=Decimal(hours),
        pieces=3,
        supervisor=world.supervisor,
    )


def course(code, trade) -> Course:
    return Course.objects.create(
        code=code,
        trade=trade,
        qualification=f"Qualification {code}",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )


def enrol(worker, on_course) -> Enrolment:
    return Enrolment.objects.create(worker=worker, course=on_course, enrolled_on=day(-20))


def attend(world, enrolment, on, hours, *, workshop=None) -> TrainingAttendance:
    return TrainingAttendance.objects.create(
        enrolment=enrolment,
        workshop=workshop or world.workshop,
        day=on,
        hours=Decimal(hours),
        trainer="A. Trainer",
        recorded_by=world.supervisor,
    )


def certify(world, enrolment, issued_on, **fields) -> Certificate:
    return Certificate.objects.create(
        enrolment=enrolment,
        holder_name=HOLDER,
        content={"holder": HOLDER},
        key_id="test-2026",
        signature="signature",
        issued_on=issued_on,
        issued_by=world.supervisor,
        **fields,
    )


def batch_of(sku, user, key) -> Batch:
    """A batch over day(0)–day(4), read back as the shop reads it (with its SKU, workshop and
    trade)."""
    received = receive_batch(
        sku=sku, quantity=40, made_from=day(0), made_to=day(4), user=user, key=key
    )
    return Batch.objects.select_related("sku__workshop__trade").get(pk=received.pk)


@pytest.fixture
def shop() -> Shop:
    """Five makers of SKU-A (W0–W4), two of SKU-B (W0, W5), with records, training sessions and
    certificates in and out of the batches' days, SKUs, workshops and trade: a join of records,
    attendance and certificates would count each record many times over."""
    world = build_world(workers=7)
    a, b = world.skus
    w0, w1, w2, w3, w4, w5, w6 = world.workers
    other_sku = SKU.objects.get(code="SKU-O")

    # Made in the batches: SKU-A 25.00 hours by five people; SKU-B 5.00 hours by two.
    for worker, on, hours in [
        (w0, day(0), "3.50"),
        (w0, day(1), "4.00"),
        (w0, day(2), "2.25"),
        (w1, day(0), "6.00"),
        (w1, day(3), "1.50"),
        (w2, day(1), "2.00"),
        (w3, day(2), "0.75"),
        (w4, day(4), "5.00"),
    ]:
        make(world, worker, on, hours, sku=a)
    make(world, w5, day(1), "4.00", sku=b)
    make(world, w0, day(3), "1.00", sku=b)
    # Not in them: outside the days, another workshop's SKU, time-only work in another workshop.
    make(world, w0, day(5), "3.00", sku=a)
    make(world, w1, day(-1), "2.00", sku=a)
    make(world, w6, day(2), "6.00", sku=other_sku)
    make(world, w0, day(4), "2.00", workshop=world.crew)

    trade = world.workshop.trade
    metalwork = Trade.objects.create(
        slug="metalwork", name="Metalwork", occupation_code="7212", locale=Locale.get_default()
    )
    first, second, elsewhere = course("t-1", trade), course("t-2", trade), course("m-1", metalwork)

    # Training: W0 3 sessions of the trade and 1 of metalwork in the days, 2 outside them;
    # W1 one session recorded in the crew's workshop; W5 one session.
    w0_first, w0_second, w0_metal = enrol(w0, first), enrol(w0, second), enrol(w0, elsewhere)
    attend(world, w0_first, day(1), "1.50")
    attend(world, w0_first, day(2), "1.00")
    attend(world, w0_second, day(3), "2.00")
    attend(world, w0_metal, day(1), "0.50")
    attend(world, w0_first, day(5), "2.00")
    attend(world, w0_first, day(-1), "1.00")
    w1_first = enrol(w1, first)
    attend(world, w1_first, day(4), "1.25", workshop=world.crew)
    w5_first = enrol(w5, first)
    attend(world, w5_first, day(1), "3.00")

    # Certificates in force in the trade by day(4): W0 two, W1, W2 (reissued), W3, W4 one each.
    certify(world, w0_first, day(-10))
    certify(world, w0_second, day(4))
    certify(world, w0_metal, day(-10))  # another trade
    certify(world, w1_first, day(-5))
    w2_first = enrol(w2, first)
    certify(world, w2_first, day(-8), revoked_on=day(-2), revocation_reason="Issued in error")
    w2_second = enrol(w2, second)
    reissued = certify(world, w2_second, day(-3))
    certify(world, w2_second, day(-6), superseded_by=reissued)
    certify(world, enrol(w3, first), day(5))  # after the batch's last day
    certify(world, enrol(w3, second), day(0))
    certify(world, enrol(w4, first), day(-1))
    certify(world, w5_first, day(-1))

    return Shop(
        world=world,
        main=batch_of(a, world.supervisor, "main"),
        small=batch_of(b, world.supervisor, "small"),
    )


def figures(provenance) -> tuple:
    return (
        provenance.worker_hours,
        provenance.people,
        provenance.trade,
        provenance.training_hours,
        provenance.certificates,
        provenance.partners,
    )


def test_the_records_of_the_batchs_workshop_sku_and_days_are_counted_once(shop):
    trade = shop.world.workshop.trade

    provenance = batch_provenance(shop.main)

    assert figures(provenance) == (
        Decimal("25.00"),  # 9.75 + 7.50 + 2.00 + 0.75 + 5.00
        5,
        trade,
        Decimal("6.25"),  # W0 1.50 + 1.00 + 2.00 + 0.50, W1 1.25
        6,  # W0 2, W1 1, W2 1 (the reissue), W3 1, W4 1
        (),
    )
    assert provenance.partner_work is False


def test_fewer_than_five_people_or_certificates_are_not_shown(shop):
    provenance = batch_provenance(shop.small)

    assert figures(provenance) == (
        Decimal("5.00"),
        None,  # two people
        shop.world.workshop.trade,
        Decimal("8.00"),  # W0 5.00, W5 3.00
        None,  # three: W0's two of the trade and W5's one
        (),
    )


def test_a_batch_without_records_has_nothing_behind_it(shop):
    world = shop.world
    batch = Batch.objects.select_related("sku__workshop__trade").get(
        pk=receive_batch(
            sku=world.skus[0],
            quantity=1,
            made_from=day(10),
            made_to=day(12),
            user=world.supervisor,
            key="empty",
        ).pk
    )

    assert figures(batch_provenance(batch)) == (
        Decimal(0),
        None,
        world.workshop.trade,
        Decimal(0),
        None,
        (),
    )


def test_partner_work_names_each_partner_once_with_its_fairness(shop):
    world = shop.world
    acme, birch = build_partner("acme"), build_partner("birch")
    cedar, dune = build_partner("cedar"), build_partner("dune")
    set_partner_fairness(partner=acme, fairness=Partner.Fairness.COMPLIANT)
    set_partner_fairness(partner=birch, fairness=Partner.Fairness.ACTION_REQUIRED)
    for partner, reference, start, end, workshop in [
        (cedar, "C-0", datetime.date(2026, 1, 1), day(-1), world.workshop),  # ended before
        (acme, "C-1", day(0), day(1), world.workshop),
        (birch, "C-2", day(2), day(3), world.workshop),
        (acme, "C-3", day(4), None, world.workshop),
        (dune, "C-4", day(0), None, world.other),  # another workshop
    ]:
        create_contract(
            workshop=workshop, **contract_fields(partner, reference=reference, start=start, end=end)
        )

    provenance = batch_provenance(shop.main)

    assert [(partner.slug, partner.fairness) for partner in provenance.partners] == [
        ("acme", "compliant"),
        ("birch", "action_required"),
    ]
    assert provenance.partner_work is True
    assert (provenance.worker_hours, provenance.people) == (Decimal("25.00"), 5)


def test_the_provenance_takes_four_queries_whatever_the_batchs_size(
    shop, django_assert_num_queries
):
    create_contract(workshop=shop.world.workshop, **contract_fields(build_partner()))

    for batch in (shop.main, shop.small):
        with django_assert_num_queries(4):
            batch_provenance(batch)


def test_the_provenance_holds_no_name_or_reference(shop):
    provenance = batch_provenance(shop.main)
    shown = repr(provenance)

    assert {field.name for field in dataclasses.fields(provenance)} == {
        "worker_hours",
        "people",
        "trade",
        "training_hours",
        "certificates",
        "partners",
    }
    for worker in shop.world.workers:
        for private in (worker.reference, worker.legal_name, worker.prison_number):
            assert private not in shown
    assert HOLDER not in shown
