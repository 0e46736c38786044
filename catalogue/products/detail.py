"""A product's page: its variants with price and stock, where it was made, what lies behind the
units on sale, where the money goes, and what search engines and link previews read of it.

Nothing here names, pictures or counts a person so as to single them out (DESIGN.md, "Privacy
and dignity"): the workshop is shown by its public name, the makers only as hours and as a count
of people suppressed below 5 (``workshops.inventory.provenance``), and a story only when it is
published with its teller's consent.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from catalogue.models import ProductPage
from catalogue.products import selectors
from core.formatting import format_money, format_number
from core.i18n import active_language
from core.money import fixed_text, round_money
from workshops.inventory.provenance import stock_provenance
from workshops.models import Workshop

FEW_LEFT = 5  # "only N left" from here down
GALLERY_IMAGE = "fill-900x900"
THUMBNAIL_IMAGE = "fill-160x160"
SHARE_IMAGE = "fill-1200x630"  # brand.seo.SHARE_IMAGE: Open Graph's recommended size
SCHEMA_AVAILABILITY = {True: "https://schema.org/InStock", False: "https://schema.org/OutOfStock"}


@dataclass(frozen=True)
class MakersShare:
    """The makers' share of a price: ``share`` % of ``net`` (the price without tax)."""

    price: Money
    net: Money
    share: Decimal
    amount: Money

    @property
    def sentence(self) -> str:
        return _("%(share)s %% of the price without tax, %(amount)s, goes to the makers.") % {
            "share": format_number(self.share.normalize()),
            "amount": format_money(self.amount),
        }


def makers_share(variant) -> MakersShare | None:
    """The makers' share of ``variant``'s price under the pay policy in force (None without
    one), from its net price: a price that includes tax loses round(price × rate / (100 +
    rate)), the shop's one rule for a line's tax (SHOP.md); a price without tax is the net."""
    if variant.sales_share is None:
        return None
    price = variant.price
    net = price
    if variant.prices_include_tax and variant.tax_rate:
        rate = variant.tax_rate
        net = price - round_money(price * rate / (100 + rate))
    share = Decimal(variant.sales_share)
    return MakersShare(price=price, net=net, share=share, amount=round_money(net * share / 100))


def stock_state(variant) -> tuple[str, str]:
    """``(code, words)``: on sale and how many are left, as the page says it."""
    if not variant.available:
        return "unavailable", _("Not on sale")
    if variant.units <= 0:
        return "sold-out", _("Sold out")
    if variant.units <= FEW_LEFT:
        return "few", _("Only %(count)s left") % {"count": variant.units}
    return "in-stock", _("In stock")


def product_context(request, page: ProductPage) -> dict:
    """The context of a product's page; a fixed number of queries (``selectors``, and four for
    the provenance when a variant has stock)."""
    language = active_language()
    variants = selectors.product_variants(page)
    images = selectors.images_by_product(
        [page.translation_key], (GALLERY_IMAGE, THUMBNAIL_IMAGE, SHARE_IMAGE)
    ).get(page.translation_key, [])
    offers = [_offer(variant, language) for variant in variants]
    provenance = stock_provenance([variant.sku for variant in variants])
    canonical = page.get_full_url(request)
    return {
        "offers": offers,
        "images": [{"image": item.image, "alt": item.alt_in(language)} for item in images],
        "places": _places(variants, language),
        "provenance": provenance if provenance and provenance.worker_hours else None,
        "shares": _distinct_shares(offers),
        "story": selectors.story_in(page),
        "product_seo": _seo(page, offers, images, canonical, request),
    }


def _offer(variant, language: str) -> dict:
    code, words = stock_state(variant)
    return {
        "variant": variant,
        "options": variant.options_in(language),
        "price": variant.price,
        "price_text": format_money(variant.price),
        "state": code,
        "state_text": words,
        "buyable": code in ("in-stock", "few"),
        "max_quantity": max(variant.units, 0),
        "share": makers_share(variant),
    }


def _places(variants, language: str) -> list[dict]:
    """Each workshop that makes a variant, once: its public name and trade in ``language``, and
    the outcome of the workshop's own fairness assessment with the day it was signed (None when
    the workshop itself was never assessed)."""
    places = {}
    for variant in variants:
        workshop = variant.sku.workshop
        assessed = workshop.fairness != Workshop.Fairness.NOT_ASSESSED
        places.setdefault(
            workshop.pk,
            {
                "workshop": workshop.public_name_in(language),
                "trade": variant.trade_name,
                "fairness": workshop.get_fairness_display() if assessed else None,
                "fairness_since": workshop.fairness_since if assessed else None,
            },
        )
    return list(places.values())


def _distinct_shares(offers) -> list[MakersShare]:
    """The makers' share once per price (variants often share one)."""
    shares = {}
    for offer in offers:
        if offer["share"] is not None:
            shares.setdefault(offer["share"].price, offer["share"])
    return list(shares.values())


def _seo(page, offers, images, canonical: str, request) -> dict:
    """Open Graph's type and image and the ``Product`` JSON-LD with one ``Offer`` a variant;
    ``brand.templatetags.brand_tags.page_head`` puts them in the head. No SKU code: it is the
    workshops' own reference, which may say where it was made more closely than the page does."""
    pictures = [
        request.build_absolute_uri(item.image.get_rendition(SHARE_IMAGE).url) for item in images
    ]
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "description": page.search_description or page.summary,
        "url": canonical,
        "offers": [
            {
                "@type": "Offer",
                "name": offer["options"] or page.title,
                "price": fixed_text(offer["price"].amount, offer["price"].currency.code),
                "priceCurrency": offer["price"].currency.code,
                "availability": SCHEMA_AVAILABILITY[offer["buyable"]],
                "itemCondition": "https://schema.org/NewCondition",
                "url": canonical,
            }
            for offer in offers
        ],
    }
    if pictures:
        product["image"] = pictures
    return {"kind": "product", "image": pictures[0] if pictures else "", "structured": product}
