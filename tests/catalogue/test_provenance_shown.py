"""What a product's page says of where it was made and what lies behind the units on sale:
``stock_provenance`` over the batches still in stock (first in, first out), people counted once
across batches and never shown below 5, the workshop and trade, the partner and its fairness,
the makers' share of the price, a story only while published; and nothing that names a worker.
"""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from djmoney.money import Money
from wagtail.models import PageViewRestriction

from catalogue.products.detail import makers_share
from tests.brand.builders import build_story, build_story_index
from tests.catalogue.builders import build_product, build_sku, stock, translate_page
from tests.workshops.builders import build_partner, contract_fields
from tests.workshops.production_builders import build_worker_in, day
from workshops.inventory import write_off
from workshops.inventory.provenance import stock_provenance
from workshops.models import (
    SKU,
    Certificate,
    Course,
    Enrolment,
    Partner,
    ProductionRecord,
    TrainingAttendance,
    Workshop,
)
from workshops.register.contracts import (
    create_contract,
    set_partner_fairness,
    set_workshop_fairness,
)

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def texts(document, selector):
    return [element.get_text(" ", strip=True) for element in document.select(selector)]


def make(world, worker, sku, on, hours):
    return ProductionRecord.objects.create(
        worker=worker,
        workshop=sku.workshop,
        day=on,
        sku=sku,
        hours=Decimal(hours),
        pieces=2,
        supervisor=world.supervisor,
    )


@pytest.fixture
def made(shop):
    """Two SKUs of a lamp. SKU L-1: an old batch (day 0–1, 10 units: sold), then two newer ones
    (day 2–3 and day 4–5, 5 units each), 8 on hand, so the two newer ones are in stock. L-2: one
    batch (day 2–3, 4 units). Workers W0–W5 made them; W0 and W1 made both SKUs."""
    world = shop.world
    workers = world.workers + [
        build_worker_in([world.workshop], f"W-{n:06d}") for n in range(3, 7)
    ]  # W-000000 … W-000006
    one, two = build_sku(world.workshop, "L-1"), build_sku(world.workshop, "L-2")
    stock(world, one, 10, key="l1-old", made_from=day(0), made_to=day(1))
    stock(world, one, 5, key="l1-mid", made_from=day(2), made_to=day(3))
    stock(world, one, 5, key="l1-new", made_from=day(4), made_to=day(5))
    stock(world, two, 4, key="l2", made_from=day(2), made_to=day(3))
    write_off(one, 12, key="sold-out-old", reason="Sold at the fair")  # 8 left on hand
    # The old batch's records: not behind what is on sale.
    make(world, workers[6], one, day(0), "8.00")
    # L-1 mid and new: W0, W1, W2 and W3; L-2: W0, W1 and W4.
    for worker, sku, on, hours in [
        (workers[0], one, day(2), "3.00"),
        (workers[1], one, day(3), "2.50"),
        (workers[2], one, day(4), "4.00"),
        (workers[3], one, day(5), "1.00"),
        (workers[0], two, day(2), "2.00"),
        (workers[1], two, day(3), "1.50"),
        (workers[4], two, day(3), "2.00"),
    ]:
        make(world, worker, sku, on, hours)
    page = build_product(
        shop.bags,
        "Lamp",
        tax_class=shop.tax_class,
        variants=[(one, "24.00", "Small"), (two, "36.00", "Large")],
    )
    return {"page": page, "skus": [one, two], "workers": workers}


def loaded(skus):
    return list(SKU.objects.filter(pk__in=[s.pk for s in skus]).select_related("workshop__trade"))


def test_the_units_on_hand_are_traced_to_the_newest_batches_people_counted_once(
    made, django_assert_num_queries
):
    skus = loaded(made["skus"])

    with django_assert_num_queries(2):
        provenance = stock_provenance(skus)

    assert (provenance.worker_hours, provenance.people) == (
        Decimal("16.00"),  # 3.00 + 2.50 + 4.00 + 1.00 + 2.00 + 1.50 + 2.00: not the old 8.00
        5,  # W0, W1, W2, W3, W4: W0 and W1 made both SKUs and count once
    )


def test_training_on_the_batches_days_and_certificates_in_force_in_the_trade(shop, made):
    world, workers = shop.world, made["workers"]
    trade = world.workshop.trade
    course = Course.objects.create(
        code="t-1",
        trade=trade,
        qualification="Lamp maker",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(4),
        assessment="Practical test",
    )
    enrolments = [
        Enrolment.objects.create(worker=worker, course=course, enrolled_on=day(-20))
        for worker in workers
    ]
    for enrolment, on, hours in [
        (enrolments[0], day(2), "1.50"),  # in a batch in stock
        (enrolments[1], day(5), "2.25"),
        (enrolments[0], day(0), "4.00"),  # the sold batch's days
        (enrolments[6], day(2), "3.00"),  # made only the sold batch
    ]:
        TrainingAttendance.objects.create(
            enrolment=enrolment,
            workshop=world.workshop,
            day=on,
            hours=Decimal(hours),
            trainer="A. Trainer",
            recorded_by=world.supervisor,
        )
    for enrolment, issued_on in [(e, day(-3)) for e in enrolments[:5]] + [
        (enrolments[5], day(-3)),  # W5 made nothing in stock
        (enrolments[4], day(9)),  # after the last batch's last day
    ]:
        Certificate.objects.create(
            enrolment=enrolment,
            holder_name="Holder",
            content={},
            key_id="test-2026",
            signature="signature",
            issued_on=issued_on,
            issued_by=world.supervisor,
        )

    provenance = stock_provenance(loaded(made["skus"]))

    assert (provenance.training_hours, provenance.certificates) == (Decimal("3.75"), 5)


def test_fewer_than_five_people_are_not_counted(made):
    (one,) = loaded(made["skus"][:1])

    provenance = stock_provenance([one])

    assert (provenance.worker_hours, provenance.people, provenance.certificates) == (
        Decimal("10.50"),
        None,  # four people
        None,
    )


def test_the_page_shows_where_and_what_lies_behind_without_naming_anyone(client, shop, made):
    document = soup(client.get("/en/shop/bags/lamp/"))
    section = document.select_one(".provenance")

    assert texts(section, ".provenance__place div") == ["Workshop Bakery", "Trade Bakery"]
    assert texts(document, ".product__made") == [
        "Made in our Bakery workshop (Bakery): see where and how"
    ]
    assert texts(section, ".provenance__figures div") == [
        "Hours of work 16",
        "People who made them 5",
        "Hours of training they attended meanwhile 0",
        "Their certificates in force in Bakery Fewer than 5",
    ]
    page = document.decode()
    for worker in made["workers"]:
        for private in (worker.reference, worker.legal_name, worker.prison_number):
            assert private not in page
    assert shop.world.workshop.name not in page  # the internal name
    assert shop.world.workshop.prison.name not in page


def test_a_partners_contract_over_the_batches_is_named_with_its_fairness(client, shop, made):
    acme, other = build_partner("acme"), build_partner("birch")
    set_partner_fairness(
        partner=acme,
        fairness=Partner.Fairness.COMPLIANT,
        assessment="AS-2026-0003",
        assessed_on=datetime.date(2026, 12, 4),
    )
    create_contract(
        workshop=shop.world.workshop,
        **contract_fields(acme, reference="C-1", start=day(3), end=day(20)),
    )
    create_contract(  # ended before the batches in stock were made
        workshop=shop.world.workshop,
        **contract_fields(other, reference="C-0", start=datetime.date(2026, 1, 1), end=day(1)),
    )

    document = soup(client.get("/en/shop/bags/lamp/"))

    assert texts(document, ".provenance__partner") == [
        "Made under a contract with Acme. Its fairness assessment: compliant (Dec 4, 2026)."
    ]
    assert texts(document, ".provenance__fairness") == []  # the workshop itself: not assessed
    assert "AS-2026-0003" not in document.decode()


def test_a_partner_not_yet_assessed_is_shown_without_a_day(client, shop, made):
    create_contract(
        workshop=shop.world.workshop,
        **contract_fields(build_partner("acme"), reference="C-1", start=day(3), end=day(20)),
    )

    document = soup(client.get("/en/shop/bags/lamp/"))

    assert texts(document, ".provenance__partner") == [
        "Made under a contract with Acme. Its fairness assessment: not yet assessed."
    ]


def test_a_new_assessment_changes_what_the_page_says(client, shop, made):
    acme = build_partner("acme")
    create_contract(
        workshop=shop.world.workshop,
        **contract_fields(acme, reference="C-1", start=day(3), end=day(20)),
    )
    set_partner_fairness(partner=acme, fairness="compliant", assessed_on=datetime.date(2026, 12, 1))
    assert texts(soup(client.get("/en/shop/bags/lamp/")), ".provenance__partner") == [
        "Made under a contract with Acme. Its fairness assessment: compliant (Dec 1, 2026)."
    ]

    set_partner_fairness(
        partner=acme,
        fairness="suspended",
        assessment="AS-2026-0003",
        assessed_on=datetime.date(2026, 12, 4),
    )

    assert texts(soup(client.get("/en/shop/bags/lamp/")), ".provenance__partner") == [
        "Made under a contract with Acme. Its fairness assessment: suspended (Dec 4, 2026)."
    ]


def test_the_workshops_own_assessment_is_shown_by_its_public_name(client, shop, made):
    set_workshop_fairness(
        workshop=shop.world.workshop,
        fairness=Workshop.Fairness.ACTION_REQUIRED,
        assessment="AS-2026-0007",
        assessed_on=datetime.date(2026, 11, 30),
    )

    document = soup(client.get("/en/shop/bags/lamp/"))

    assert texts(document, ".provenance__fairness") == [
        "The fairness assessment of Bakery: action required (Nov 30, 2026)."
    ]
    assert texts(document, ".provenance__partner") == []
    page = document.decode()
    assert shop.world.workshop.name not in page
    assert "AS-2026-0007" not in page


def test_the_makers_share_of_the_price_without_tax(client, made):
    document = soup(client.get("/en/shop/bags/lamp/"))

    # 24.00 includes 20 % tax: 4.00 (24 × 20 / 120), net 20.00, 7 % of it 1.40.
    # 36.00: tax 6.00, net 30.00, 7 % 2.10.
    assert texts(document, ".provenance__money li") == [
        "At €24.00: 7 % of the price without tax, €1.40, goes to the makers.",
        "At €36.00: 7 % of the price without tax, €2.10, goes to the makers.",
    ]


def test_the_share_rounds_half_up_and_prices_without_tax_are_the_net():
    class Variant:
        price = Money("9.99", "EUR")
        tax_rate = Decimal("5.5")
        sales_share = Decimal("12.5")
        prices_include_tax = True

    with_tax = makers_share(Variant)
    Variant.prices_include_tax = False
    without_tax = makers_share(Variant)

    # 9.99 × 5.5 / 105.5 = 0.5208… → 0.52 tax, net 9.47; 12.5 % = 1.18375 → 1.18.
    assert (with_tax.net, with_tax.amount) == (Money("9.47", "EUR"), Money("1.18", "EUR"))
    # 12.5 % of 9.99 = 1.24875 → 1.25.
    assert (without_tax.net, without_tax.amount) == (Money("9.99", "EUR"), Money("1.25", "EUR"))


def test_a_published_story_is_linked_in_the_pages_language(client, shop, made):
    index = build_story_index(shop.home)
    story = build_story(index, 1, title="Light from the workshop")
    page = made["page"]
    page.story = story
    page.save_revision().publish()
    translate_page(shop.home, "fr", title="Accueil")
    translate_page(index, "fr", title="Histoires", slug="histoires")
    translate_page(story, "fr", title="La lumière de l'atelier", slug="lumiere")
    translate_page(shop.shop, "fr", title="Boutique", slug="boutique")
    translate_page(shop.bags, "fr", title="Sacs", slug="sacs")
    translate_page(page, "fr", title="Lampe", slug="lampe")

    english = soup(client.get("/en/shop/bags/lamp/"))
    french = soup(client.get("/fr/boutique/sacs/lampe/"))

    assert english.select_one(".provenance__story a")["href"] == "/en/stories/story-1/"
    assert french.select_one(".provenance__story a")["href"] == "/fr/histoires/lumiere/"

    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert soup(client.get("/en/shop/bags/lamp/")).select_one(".provenance__story") is None
    PageViewRestriction.objects.all().delete()

    story.unpublish()
    story.get_translation(french_locale()).unpublish()

    assert soup(client.get("/en/shop/bags/lamp/")).select_one(".provenance__story") is None


def french_locale():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="fr")
