"""The smallest register a test needs."""

import datetime
from decimal import Decimal

from djmoney.money import Money
from wagtail.models import Locale

from workshops.models import Partner, Prison, Region, Stay, Trade, Worker, Workshop

D = datetime.date
SINCE = D(2025, 1, 1)
CONTRACT_START = D(2026, 1, 1)


def build_workshop(
    slug="bakery-north", *, prison=None, kind=Workshop.Kind.ADMINISTRATION
) -> Workshop:
    region, _ = Region.objects.get_or_create(slug="north", defaults={"name": "North"})
    prison = (
        prison
        or Prison.objects.get_or_create(
            slug="north-prison",
            defaults={"name": "North Prison", "region": region, "population": "mixed"},
        )[0]
    )
    trade, _ = Trade.objects.get_or_create(
        slug="bakery",
        locale=Locale.get_default(),
        defaults={"name": "Bakery", "occupation_code": "7512"},
    )
    return Workshop.objects.create(
        name=f"Workshop {slug}",
        slug=slug,
        public_name="Bakery",
        prison=prison,
        trade=trade,
        kind=kind,
    )


def build_worker(reference="W-000001", *, prison=None, since=SINCE) -> Worker:
    worker = Worker.objects.create(
        reference=reference,
        legal_name=f"Legal {reference}",
        prison_number=f"P{reference}",
        sex="female",
    )
    if prison is not None:
        Stay.objects.create(worker=worker, prison=prison, start=since)
    return worker


def build_partner(slug="acme", fairness=Partner.Fairness.NOT_ASSESSED) -> Partner:
    partner = Partner.objects.create(name=slug.title(), slug=slug, legal_name=f"{slug.title()} Ltd")
    Partner.objects.filter(pk=partner.pk).update(fairness=fairness)
    partner.refresh_from_db()
    return partner


def contract_fields(partner, reference="C-1", start=CONTRACT_START, end=None) -> dict:
    return {
        "partner": partner,
        "reference": reference,
        "hourly_rate": Money(Decimal("6.50"), "EUR"),
        "labour_charge_per_hour": Money(Decimal("9.00"), "EUR"),
        "awarded_on": D(2025, 12, 1),
        "start": start,
        "end": end,
    }
