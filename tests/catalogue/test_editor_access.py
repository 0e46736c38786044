"""Brand editors keep the shop's pages with the page permissions they hold on the whole tree
(brand.roles): they may add and edit categories and products, and publish them."""

import pytest
from django.contrib.auth.models import User

from brand.roles import sync_roles
from core.testing.twofactor import login_with_second_factor
from tests.catalogue.builders import build_product, build_sku

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor")
    user.groups.add(sync_roles()["editor"])
    login_with_second_factor(client, user)
    return client


def test_an_editor_may_add_and_edit_products_and_categories(editor, shop):
    page = build_product(
        shop.bags,
        "Tote",
        tax_class=shop.tax_class,
        variants=[(build_sku(shop.world.workshop, "T-1"), "24.00", "")],
    )

    answers = [
        editor.get(f"/admin/pages/add/catalogue/productpage/{shop.bags.pk}/").status_code,
        editor.get(f"/admin/pages/add/catalogue/categorypage/{shop.shop.pk}/").status_code,
        editor.get(f"/admin/pages/{page.pk}/edit/").status_code,
        editor.get(f"/admin/pages/{shop.shop.pk}/edit/").status_code,
    ]

    assert answers == [200, 200, 200, 200]
