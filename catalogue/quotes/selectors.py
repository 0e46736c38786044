"""Reads for the quote pages: the variants a buyer may ask a quote for, and a quote with its
lines, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from catalogue.cart.selectors import pages_in_language, title_of
from catalogue.models import ProductVariant, Quote, QuoteLine
from core.formatting import format_money


@dataclass(frozen=True)
class Choice:
    variant: ProductVariant
    label: str


def quotable_variants(language: str) -> list[Choice]:
    """The shop's variants on sale whose product is published, by title and options, each
    labelled with its list price."""
    variants = list(
        ProductVariant.objects.filter(available=True, product__live=True).select_related("product")
    )
    pages = pages_in_language(variants, language)
    choices = []
    for variant in variants:
        title = title_of(variant, pages)
        options = variant.options_in(language)
        name = f"{title} — {options}" if options else title
        choices.append(Choice(variant, f"{name} ({format_money(variant.price, language)})"))
    return sorted(choices, key=lambda choice: (choice.label.casefold(), choice.variant.pk))


def quote_with_lines(**lookup) -> Quote | None:
    lines = Prefetch("lines", queryset=QuoteLine.objects.select_related("sku").order_by("pk"))
    return (
        Quote.objects.select_related("shipping_rate", "order")
        .prefetch_related(lines)
        .filter(**lookup)
        .first()
    )
