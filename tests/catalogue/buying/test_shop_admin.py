"""The Shop menu's screens: tax classes with their rates inline, shipping zones and rates."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from catalogue.models import ShippingZone, TaxClass
from core.testing.twofactor import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.org", "x")
    login_with_second_factor(client, user)
    return client


def test_the_shop_screens_list_their_records(admin_client, shop):
    for path, shown in (
        ("/admin/catalogue/taxclass/", "Reduced"),
        ("/admin/catalogue/shippingzone/", "Americas"),
        ("/admin/catalogue/shippingrate/", "Collect in Lyon"),
    ):
        response = admin_client.get(path)
        assert response.status_code == 200
        assert shown in response.content.decode()
    assert "Shop" in admin_client.get("/admin/").content.decode()
    for path, shown in (
        (f"/admin/catalogue/taxclass/inspect/{shop.standard.pk}/", "Standard"),
        (f"/admin/catalogue/shippingzone/inspect/{shop.europe.pk}/", "France"),
        (f"/admin/catalogue/shippingrate/inspect/{shop.collection.pk}/", "2 rue de la Paix"),
        (f"/admin/catalogue/shippingzone/edit/{shop.europe.pk}/", "Europe"),
    ):
        response = admin_client.get(path)
        assert response.status_code == 200
        assert shown in response.content.decode()


def test_a_tax_class_is_added_with_its_rates_inline(admin_client):
    response = admin_client.post(
        "/admin/catalogue/taxclass/new/",
        {
            "code": "books",
            "name": "Books",
            "name_translations": "{}",
            "rates-TOTAL_FORMS": "2",
            "rates-INITIAL_FORMS": "0",
            "rates-MIN_NUM_FORMS": "1",
            "rates-MAX_NUM_FORMS": "1000",
            "rates-0-effective_from": "2020-01-01",
            "rates-0-rate": "5.5",
            "rates-0-ORDER": "1",
            "rates-1-effective_from": "2027-01-01",
            "rates-1-rate": "7",
            "rates-1-ORDER": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    books = TaxClass.objects.get(code="books")
    assert sorted(books.rates.values_list("effective_from", "rate")) == [
        (datetime.date(2020, 1, 1), Decimal("5.50")),
        (datetime.date(2027, 1, 1), Decimal("7.00")),
    ]


def test_a_shipping_zone_lists_its_countries(admin_client):
    response = admin_client.post(
        "/admin/catalogue/shippingzone/new/", {"name": "Nordics", "countries": ["SE", "NO"]}
    )
    assert response.status_code == 302
    assert [str(c) for c in ShippingZone.objects.get(name="Nordics").countries] == ["NO", "SE"]
