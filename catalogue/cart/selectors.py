"""Reads for the cart and the checkout: the variants a cart names, as they stand now (published,
on sale, their price and stock), in a fixed number of queries whatever the cart holds."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from moneyed import Money

from catalogue.cart.session import StoredLine, stored_lines
from catalogue.models import ProductPage, ProductVariant
from workshops.inventory import stock_levels

MAX_QUANTITY = 99  # of one variant in one order: more is a bulk order, asked for by a quote


def variants_by_id(ids) -> dict[int, ProductVariant]:
    variants = ProductVariant.objects.filter(pk__in=list(ids)).select_related(
        "product", "product__tax_class", "sku", "sku__workshop"
    )
    return {variant.pk: variant for variant in variants}


def pages_in_language(variants, language: str) -> dict[str, ProductPage]:
    """The live product page of each variant's product in ``language``, by translation key."""
    keys = {variant.product.translation_key for variant in variants}
    pages = ProductPage.objects.live().filter(
        translation_key__in=keys, locale__language_code=language
    )
    return {page.translation_key: page for page in pages}


def available_units(variants) -> dict[int, int]:
    """Units of each variant's SKU on hand and not reserved (expired reservations released
    first), by SKU id."""
    skus = [variant.sku_id for variant in variants]
    return {stock.sku_id: stock.available for stock in stock_levels(skus)} if skus else {}


def title_of(variant: ProductVariant, pages: dict[str, ProductPage]) -> str:
    page = pages.get(variant.product.translation_key)
    return page.title if page else variant.product.title


def refusal(variant: ProductVariant | None, title: str, quantity: int, available: int) -> str:
    """Why ``quantity`` of ``variant`` cannot be bought now, in words; "" when it can."""
    if variant is None:
        return _("This product is no longer in the shop. Remove it from your cart.")
    if not variant.product.live:
        return _("%(product)s is no longer on sale. Remove it from your cart.") % {"product": title}
    if not variant.available:
        return _("%(product)s is not on sale at the moment.") % {"product": title}
    if available <= 0:
        return _("%(product)s is sold out.") % {"product": title}
    if quantity > available:
        return _("Only %(available)s of %(product)s left: choose %(available)s or fewer.") % {
            "available": available,
            "product": title,
        }
    return ""


@dataclass
class CartLine:
    stored: StoredLine
    variant: ProductVariant | None
    title: str
    options: str
    url: str
    available: int
    problem: str
    error: str = ""  # why a change to this line was just refused

    @property
    def variant_id(self) -> int:
        return self.stored.variant_id

    @property
    def quantity(self) -> int:
        return self.stored.quantity

    @property
    def seen_price(self) -> Money:
        return self.stored.seen_price

    @property
    def price(self) -> Money:
        return self.variant.price if self.variant else self.stored.seen_price

    @property
    def price_changed(self) -> bool:
        return self.variant is not None and self.price != self.seen_price

    @property
    def total(self) -> Money:
        return self.price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.variant.weight_grams * self.quantity if self.variant else 0


def cart_lines(session, *, language: str, request=None) -> list[CartLine]:
    """The session's cart as it stands now, each line with what stops it being bought."""
    stored = stored_lines(session)
    variants = variants_by_id(line.variant_id for line in stored)
    pages = pages_in_language(variants.values(), language)
    units = available_units(variants.values())
    lines = []
    for line in stored:
        variant = variants.get(line.variant_id)
        title = title_of(variant, pages) if variant else _("A product no longer in the shop")
        page = pages.get(variant.product.translation_key) if variant else None
        available = units.get(variant.sku_id, 0) if variant else 0
        lines.append(
            CartLine(
                stored=line,
                variant=variant,
                title=title,
                options=variant.options_in(language) if variant else "",
                url=page.get_url(request) if page else "",
                available=available,
                problem=refusal(variant, title, line.quantity, available),
            )
        )
    return lines


def cart_total(lines: list[CartLine]) -> Money | None:
    return sum((line.total for line in lines), start=lines[0].total * 0) if lines else None
