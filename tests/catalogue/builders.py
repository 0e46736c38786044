"""The smallest shop a test needs: a tax class with its rate, the shop's pages under the home
page, products whose variants sell SKUs of the production world's workshop, stock received in
batches, and the pay policy that sets the makers' share."""

import datetime
from decimal import Decimal

from djmoney.money import Money
from wagtail.models import Locale

from catalogue.models import (
    CategoryPage,
    ProductPage,
    ProductVariant,
    ShopPage,
    TaxClass,
    TaxRate,
)
from tests.workshops.production_builders import day
from wages.models import PayPolicy
from workshops.inventory import receive_batch
from workshops.models import SKU

LAUNCH = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)


def build_tax_class(code="standard", rate="20") -> TaxClass:
    tax_class = TaxClass.objects.create(code=code, name=code.title())
    TaxRate.objects.create(
        tax_class=tax_class, effective_from=datetime.date(2020, 1, 1), rate=Decimal(rate)
    )
    return tax_class


def build_pay_policy(sales_share="7") -> PayPolicy:
    return PayPolicy.objects.create(
        effective_from=datetime.date(2025, 1, 1),
        minimum_wage=Money("10.00", "EUR"),
        floor_share=Decimal(45),
        training_rate=Money("1.00", "EUR"),
        sales_share=Decimal(sales_share),
    )


def build_shop(home, *, title="Shop", slug="shop") -> ShopPage:
    shop = ShopPage(title=title, slug=slug, intro="Made in our workshops.", show_in_menus=True)
    home.add_child(instance=shop)
    return shop


def build_category(shop, slug: str, title: str | None = None) -> CategoryPage:
    category = CategoryPage(title=title or slug.title(), slug=slug, intro=f"All {slug}.")
    shop.add_child(instance=category)
    return category


def build_sku(workshop, code: str) -> SKU:
    return SKU.objects.create(code=code, name=f"Product {code}", workshop=workshop)


def build_product(
    category,
    title: str,
    *,
    tax_class,
    variants,
    number: int = 0,
    **fields,
) -> ProductPage:
    """A live product; ``variants`` are ``(sku, price, options)`` or
    ``(sku, price, options, available)``; ``number`` orders them by publication (higher is
    newer)."""
    page = ProductPage(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        summary=fields.pop("summary", f"{title}, made by hand."),
        description=fields.pop("description", f"<p>About {title}.</p>"),
        tax_class=tax_class,
        first_published_at=fields.pop(
            "first_published_at", LAUNCH + datetime.timedelta(days=number)
        ),
        **fields,
    )
    page.variants = [
        ProductVariant(
            sku=sku,
            price=Money(price, "EUR"),
            options=options,
            weight_grams=500,
            available=rest[0] if rest else True,
            sort_order=position,
        )
        for position, (sku, price, options, *rest) in enumerate(variants)
    ]
    category.add_child(instance=page)
    return page


def stock(world, sku, quantity: int, *, key: str, made_from=None, made_to=None):
    """Receive a batch of ``sku`` (by default made over day(0)–day(4))."""
    return receive_batch(
        sku=sku,
        quantity=quantity,
        made_from=made_from or day(0),
        made_to=made_to or day(4),
        user=world.supervisor,
        key=key,
    )


def translate_page(page, code: str, **fields):
    """A published translation of ``page`` in ``code`` (its parents translated first)."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=code))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy
