"""Fixtures of the shop's browsing tests: the production world (a workshop with its supervisor
and workers), the home page, a shop with two categories, a tax class at 20 %, the pay policy
(7 % to the makers)."""

from dataclasses import dataclass

import pytest
from wagtail.models import Locale

from tests.brand.builders import build_home
from tests.catalogue.builders import build_category, build_pay_policy, build_shop, build_tax_class
from tests.catalogue.fake_stripe import fake_stripe  # noqa: F401  (a fixture)
from tests.workshops.production_builders import build_world


@dataclass
class Shop:
    world: object
    home: object
    shop: object
    bags: object  # a category
    chairs: object  # a category
    tax_class: object


@pytest.fixture
def locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "ar")}


@pytest.fixture
def shop(db, locales) -> Shop:
    world = build_world()
    home = build_home()
    front = build_shop(home)
    build_pay_policy()
    return Shop(
        world=world,
        home=home,
        shop=front,
        bags=build_category(front, "bags"),
        chairs=build_category(front, "chairs"),
        tax_class=build_tax_class(),
    )
