"""Public names on register rows are translated field by field (core.translated_text): one row,
one input per other language in the same back-office form, and a fallback to the default."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import translation

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.brand.builders import build_home
from tests.workshops.builders import build_workshop
from workshops.models import SKU, Workshop

pytestmark = pytest.mark.django_db


def test_a_public_name_falls_back_to_the_default_language():
    workshop = build_workshop()
    workshop.public_name_translations = {"fr": "Boulangerie du Nord"}
    sku = SKU.objects.create(
        code="BRD-1", name="Country loaf", name_translations={"ar": "خبز ريفي"}, workshop=workshop
    )

    assert workshop.public_name_in("fr") == "Boulangerie du Nord"
    assert workshop.public_name_in("ar") == "Bakery"
    with translation.override("ar"):
        assert (sku.name_in(), workshop.public_name_in()) == ("خبز ريفي", "Bakery")


def test_the_programme_manager_enters_the_translations_in_the_same_form(client):
    build_home()
    manager = User.objects.create_user("programme", password="x")
    manager.groups.add(sync_roles()["programme"])
    login_with_second_factor(client, manager)
    workshop = build_workshop()
    url = f"/admin/workshops/workshop/edit/{workshop.pk}/"

    form = BeautifulSoup(client.get(url).content, "html.parser")
    response = client.post(
        url,
        {
            "name": workshop.name,
            "slug": workshop.slug,
            "public_name": "Northern bakery",
            "public_name_translations_0": "Boulangerie du Nord",
            "public_name_translations_1": "  ",
            "prison": workshop.prison.pk,
            "trade": workshop.trade.pk,
            "kind": workshop.kind,
            "makes_products": "on",
            "is_active": "on",
        },
    )

    inputs = form.select("input[name^=public_name_translations_]")
    assert [(i["name"], i["lang"], i["dir"]) for i in inputs] == [
        ("public_name_translations_0", "fr", "ltr"),
        ("public_name_translations_1", "ar", "rtl"),
    ]
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert (workshop.public_name, workshop.public_name_translations) == (
        "Northern bakery",
        {"fr": "Boulangerie du Nord"},
    )
