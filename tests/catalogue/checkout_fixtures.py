"""The smallest shop the cart and checkout tests need (imported by tests/catalogue/conftest.py).

Two products in one category, each with one variant on its own workshop SKU: a mug (12.00,
standard tax 20 %, 400 g) and a book (8.50, reduced tax 5.5 %, 300 g), 10 and 5 units in stock.
Two shipping zones: Europe (France, Germany, Belgium) with standard delivery up to 2 kg (5.90)
and up to 10 kg (12.50) and collection from the shop in Lyon (free); the Americas (United States,
Canada) with delivery up to 2 kg (15.00). Shipping is taxed at the standard rate.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from djmoney.money import Money

from catalogue.models import (
    CategoryPage,
    ProductPage,
    ProductVariant,
    ShippingRate,
    ShippingZone,
    ShopPage,
    TaxClass,
    TaxRate,
)
from tests.brand.builders import build_home
from tests.postgres.inventory_checks import stocked
from tests.workshops.production_builders import World, build_world


def eur(amount) -> Money:
    return Money(Decimal(str(amount)), "EUR")


@dataclass
class Shop:
    world: World
    standard: TaxClass
    reduced: TaxClass
    category: CategoryPage
    mug_page: ProductPage
    book_page: ProductPage
    mug: ProductVariant
    book: ProductVariant
    europe: ShippingZone
    americas: ShippingZone
    standard_2kg: ShippingRate
    standard_10kg: ShippingRate
    collection: ShippingRate
    americas_2kg: ShippingRate


def tax_class(code, name, rate) -> TaxClass:
    taxed = TaxClass.objects.create(code=code, name=name)
    TaxRate.objects.create(
        tax_class=taxed, effective_from=datetime.date(2020, 1, 1), rate=Decimal(rate)
    )
    return taxed


def product(category, title, slug, *, sku, price, tax, weight, options="") -> ProductVariant:
    page = ProductPage(
        title=title, slug=slug, summary=f"{title}.", description=f"<p>{title}.</p>", tax_class=tax
    )
    category.add_child(instance=page)
    return ProductVariant.objects.create(
        product=page, sku=sku, price=eur(price), weight_grams=weight, options=options
    )


def build_shop() -> Shop:
    home = build_home()
    world = build_world(workers=0)
    standard = tax_class("standard", "Standard", "20")
    reduced = tax_class("reduced", "Reduced", "5.5")
    shop_page = ShopPage(title="Shop", slug="shop")
    home.add_child(instance=shop_page)
    category = CategoryPage(title="Kitchen", slug="kitchen")
    shop_page.add_child(instance=category)
    mug = product(
        category,
        "Mug",
        "mug",
        sku=world.skus[0],
        price="12.00",
        tax=standard,
        weight=400,
        options="blue",
    )
    book = product(
        category, "Book", "book", sku=world.skus[1], price="8.50", tax=reduced, weight=300
    )
    stocked(world, world.skus[0], 10)
    stocked(world, world.skus[1], 5)
    europe = ShippingZone.objects.create(name="Europe", countries=["FR", "DE", "BE"])
    americas = ShippingZone.objects.create(name="Americas", countries=["US", "CA"])

    def rate(zone, name, grams, price, **fields):
        return ShippingRate.objects.create(
            zone=zone,
            name=name,
            max_weight_grams=grams,
            price=eur(price),
            tax_class=standard,
            **fields,
        )

    return Shop(
        world=world,
        standard=standard,
        reduced=reduced,
        category=category,
        mug_page=mug.product,
        book_page=book.product,
        mug=mug,
        book=book,
        europe=europe,
        americas=americas,
        standard_2kg=rate(europe, "Standard", 2000, "5.90"),
        standard_10kg=rate(europe, "Standard", 10000, "12.50"),
        collection=rate(
            europe,
            "Collect in Lyon",
            30000,
            "0",
            kind="collection",
            collection_address="2 rue de la Paix, Lyon",
        ),
        americas_2kg=rate(americas, "Standard", 2000, "15.00"),
    )


@pytest.fixture
def shop(db) -> Shop:
    return build_shop()


CONTACT = {
    "email": "ada@example.org",
    "name": "Ada Lovelace",
    "phone": "",
    "organisation": "",
    "purchase_order": "",
    "address": "1 rue du Four",
    "address_more": "",
    "postcode": "69001",
    "city": "Lyon",
    "country": "FR",
}
