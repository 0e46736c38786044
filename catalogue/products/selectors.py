"""The shop's reads, each a fixed number of queries whatever the size of the catalogue.

A product page in another language shows its default-language page's variants and images
(``catalogue.models.products``), so every read here goes from a page to its **source** by
``translation_key``, in a subquery rather than a query of its own.

**Stock as the public sees it.** A variant's available units are its SKU's stock row
(``on_hand − reserved``) plus what expired reservations still hold: the inventory releases those
on read (``workshops.inventory.stock_levels``), so counting their units as free here shows the
same figure that reading through it would, without writing on a public GET.
"""

import datetime

from django.conf import settings
from django.db.models import (
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from catalogue.models import ProductImage, ProductPage, ProductVariant, ShopSettings, TaxRate
from wages.models import PayPolicy
from workshops.models import ReservationLine, Trade

AMOUNT = DecimalField(max_digits=15, decimal_places=3)


def default_language() -> str:
    """The default locale's language code: the language of every product's source page."""
    return settings.LANGUAGE_CODE


def source_variants(key: str = "translation_key") -> QuerySet:
    """The variants of the source page whose translation key is the outer query's ``key``."""
    return ProductVariant.objects.filter(
        product__translation_key=OuterRef(key),
        product__locale__language_code=default_language(),
    )


def available_units(now: datetime.datetime | None = None):
    """A variant's units free to sell (see the module's docstring): an expression on
    ``ProductVariant``."""
    expired = (
        ReservationLine.objects.filter(
            sku=OuterRef("sku"),
            reservation__state="active",
            reservation__expires_at__lte=now or timezone.now(),
        )
        .values("sku")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return (
        Coalesce(F("sku__stock__on_hand"), 0)
        - Coalesce(F("sku__stock__reserved"), 0)
        + Coalesce(Subquery(expired, output_field=IntegerField()), 0)
    )


def restricted() -> Exists:
    """A condition on pages: a view restriction (a password, a login, groups) on the page or
    an ancestor, whose path begins its path. Wagtail's ``public()`` reads every restriction
    in a query of its own first; as a subquery it costs none."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def live_products(scope: Page, *, locale_id: int) -> QuerySet:
    """The live, public product pages under ``scope`` (a shop or a category) in one language,
    each annotated with its source's lowest variant price (``min_price``), whether a variant on
    sale has units available (``in_stock``) and the trade of its first variant's workshop
    (``trade_id``, the default language's trade row)."""
    variants = source_variants()
    return (
        ProductPage.objects.live()
        .descendant_of(scope)
        .filter(locale_id=locale_id)
        .exclude(restricted())
        .annotate(
            min_price=Subquery(variants.order_by("price").values("price")[:1], AMOUNT),
            in_stock=Exists(
                variants.filter(available=True)
                .annotate(units=available_units())
                .filter(units__gt=0)
            ),
            trade_id=Subquery(
                variants.order_by("sort_order", "pk").values("sku__workshop__trade_id")[:1]
            ),
        )
    )


def trade_names(trade_ids, *, language: str) -> dict[int, tuple[str, str]]:
    """``{trade id: (slug, name in language)}`` for the default-language trades ``trade_ids``
    (a ``values`` queryset or a list), in one query: each trade's row in ``language`` where it
    is translated, else its own. In the order of the default language's names."""
    keys = Trade.objects.filter(pk__in=trade_ids).values("translation_key")
    rows = (
        Trade.objects.filter(
            Q(pk__in=trade_ids) | Q(translation_key__in=keys, locale__language_code=language)
        )
        .order_by("name")
        .values_list("pk", "translation_key", "locale__language_code", "slug", "name")
    )
    own, translated = {}, {}
    for pk, key, code, slug, name in rows:
        if code == default_language():
            own[key] = (pk, slug, name)
        if code == language:
            translated[key] = name
    return {pk: (slug, translated.get(key, name)) for key, (pk, slug, name) in own.items()}


def images_by_product(keys, specs: tuple[str, ...]) -> dict:
    """``{translation key: [ProductImage, …]}`` of the source pages of ``keys``, in their order,
    with their images and the renditions ``specs`` that exist: two queries."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    images = (
        ProductImage.objects.filter(
            product__translation_key__in=keys, product__locale__language_code=default_language()
        )
        .select_related("image")
        .prefetch_related(
            Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
        )
        .annotate(key=F("product__translation_key"))
        .order_by("product_id", "sort_order", "pk")
    )
    grouped: dict = {}
    for image in images:
        grouped.setdefault(image.key, []).append(image)
    return grouped


def product_variants(page: ProductPage, *, today: datetime.date | None = None) -> list:
    """The variants of ``page``'s source in their order, in one query, each with its SKU, the
    SKU's workshop and trade, and beside them: ``units`` available; ``trade_name`` in the page's
    language; ``tax_rate`` of the product's tax class in force ``today``; ``sales_share``, the
    makers' share of net sales of the pay policy in force ``today``; and
    ``prices_include_tax`` from the shop's settings. (The last three are the same on every row:
    read as subqueries, they cost no query of their own.)"""
    today = today or timezone.localdate()
    trade_name = Trade.objects.filter(
        translation_key=OuterRef("sku__workshop__trade__translation_key"), locale_id=page.locale_id
    ).values("name")[:1]
    rate = (
        TaxRate.objects.filter(
            tax_class_id=OuterRef("product__tax_class_id"), effective_from__lte=today
        )
        .order_by("-effective_from")
        .values("rate")[:1]
    )
    share = (
        PayPolicy.objects.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .values("sales_share")[:1]
    )
    includes_tax = ShopSettings.objects.order_by("pk").values("prices_include_tax")[:1]
    return list(
        ProductVariant.objects.filter(
            product__translation_key=page.translation_key,
            product__locale__language_code=default_language(),
        )
        .select_related("sku__workshop__trade")
        .annotate(
            units=available_units(),
            trade_name=Coalesce(Subquery(trade_name), F("sku__workshop__trade__name")),
            tax_rate=Subquery(rate),
            sales_share=Subquery(share),
            prices_include_tax=Coalesce(Subquery(includes_tax), Value(True)),
        )
        .order_by("sort_order", "pk")
    )


def story_in(page: ProductPage) -> Page | None:
    """The live story the product links to, in the page's language where translated, else as
    chosen; None when there is none or it is not live (consent withdrawn unpublishes it)."""
    if not page.story_id:
        return None
    key = Page.objects.filter(pk=page.story_id).values("translation_key")
    candidates = list(
        Page.objects.live()
        .exclude(restricted())
        .filter(Q(pk=page.story_id) | Q(translation_key__in=key, locale_id=page.locale_id))
    )
    for candidate in candidates:
        if candidate.locale_id == page.locale_id:
            return candidate
    return candidates[0] if candidates else None
