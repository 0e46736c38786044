"""Orders built without a checkout, for the tests of what happens after one: two SKUs of two
workshops with stock, a tax class at 20 %, a shipping rate, and an order of both held by a
reservation, with the amounts a checkout would have written (prices include tax).

    2 × bread 12.00 at 20 %:  gross 24.00, tax 24.00 × 20/120 = 4.00,  net 20.00
    1 × apron 30.50 at 20 %:  gross 30.50, tax 30.50 × 20/120 = 5.083… → 5.08, net 25.42
    shipping 6.00 at 20 %:    tax 1.00, net 5.00
    total 60.50; tax 10.08; net 50.42
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Order, OrderLine, ShippingRate, ShippingZone, TaxClass, TaxRate
from tests.workshops.builders import build_workshop
from workshops.inventory import count, reserve
from workshops.models import SKU, Workshop

D = datetime.date
EUR = "EUR"


def eur(amount: str) -> Money:
    return Money(Decimal(amount), EUR)


@dataclass
class Shop:
    bakery: Workshop
    sewing: Workshop
    bread: SKU
    apron: SKU
    rate: ShippingRate


def build_shop(stock: int = 10) -> Shop:
    bakery = build_workshop("bakery-north")
    sewing = build_workshop("sewing-north")
    bread = SKU.objects.create(code="BREAD", name="Bread", workshop=bakery)
    apron = SKU.objects.create(code="APRON", name="Apron", workshop=sewing)
    for sku in (bread, apron):
        count(sku, stock, key=f"open-{sku.code}", reason="opening stock")
    standard = TaxClass.objects.create(code="standard", name="Standard")
    TaxRate.objects.create(tax_class=standard, effective_from=D(2020, 1, 1), rate=Decimal(20))
    zone = ShippingZone.objects.create(name="Home", countries=["FR"])
    rate = ShippingRate.objects.create(
        zone=zone, name="Post", max_weight_grams=5000, price=eur("6.00"), tax_class=standard
    )
    return Shop(bakery, sewing, bread, apron, rate)


def build_order(
    shop: Shop,
    number: str = "BW-2026-0001",
    *,
    method: str = "invoice",
    language: str = "fr",
    quantities: tuple[int, int] = (2, 1),
    hold=datetime.timedelta(days=14),
    **fields,
) -> Order:
    bread, apron = quantities
    reservation = reserve(
        [(shop.bread, bread), (shop.apron, apron)],
        key=f"order:{number}",
        expires_at=timezone.now() + hold,
    )
    order = Order.objects.create(
        number=number,
        key=f"checkout-{number}",
        payment_method=method,
        payment_reference=f"REF{number[-4:]}",
        language=language,
        currency=EUR,
        prices_include_tax=True,
        email=fields.pop("email", "buyer@example.org"),
        name=fields.pop("name", "Camille Martin"),
        country="FR",
        address="1 rue du Pain",
        postcode="75001",
        city="Paris",
        shipping_rate=shop.rate,
        shipping_name="Post",
        shipping_price=eur("6.00"),
        shipping_tax_rate=Decimal(20),
        shipping_tax=eur("1.00"),
        net_total=eur("50.42"),
        tax_total=eur("10.08"),
        total=eur("60.50"),
        reservation=reservation,
        **fields,
    )
    OrderLine.objects.create(
        order=order, sku=shop.bread, workshop=shop.bakery, description="Bread",
        quantity=bread, unit_price=eur("12.00"), tax_rate=Decimal(20),
        net=eur("20.00"), tax=eur("4.00"), gross=eur("24.00"),
    )  # fmt: skip
    OrderLine.objects.create(
        order=order, sku=shop.apron, workshop=shop.sewing, description="Apron",
        quantity=apron, unit_price=eur("30.50"), tax_rate=Decimal(20),
        net=eur("25.42"), tax=eur("5.08"), gross=eur("30.50"),
    )  # fmt: skip
    return order


def staff(username: str, *permissions: str):
    user = get_user_model().objects.create_user(username, password="x")
    for name in permissions:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache
