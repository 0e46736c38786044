"""What ``seed_demo`` builds of the shop: its settings, taxes and shipping, 43 products published and
translated in English, French and Arabic, each variant its own SKU with stock from batches of its
production, drawn pictures with alternative texts in every language, and orders in every state
of the lifecycle in each language."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from brand.demo.catalogue import variant_skus
from brand.demo.catalogue_products import PRODUCTS
from catalogue.models import (
    CategoryPage,
    Order,
    ProductImage,
    ProductPage,
    ProductVariant,
    ShippingRate,
    ShippingZone,
    ShopPage,
    ShopSettings,
    TaxClass,
)
from workshops.models import Batch, ProductionRecord, Stock

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en", "fr"]
TRANSLATED = ["title", "summary", "description", "materials", "care"]


def test_the_demo_shop_is_published_in_every_language(demo_database):
    live = ProductPage.objects.live()
    assert sorted(live.values_list("locale__language_code").annotate(n=Count("id")).order_by()) == [
        ("ar", 43),
        ("en", 43),
        ("fr", 43),
    ]
    for model, count in [(ShopPage, 1), (CategoryPage, 7)]:
        assert sorted(
            model.objects.live()
            .values_list("locale__language_code")
            .annotate(n=Count("id"))
            .order_by()
        ) == [(code, count) for code in LANGUAGES]
    assert set(live.values_list("locale__language_code", "depth").distinct()) == {
        (code, 5) for code in LANGUAGES
    }  # root, home, shop, category, product


def test_every_product_is_translated_into_french_and_arabic_not_left_in_english(demo_database):
    english = {p.translation_key: p for p in ProductPage.objects.filter(locale__language_code="en")}
    for code in ["fr", "ar"]:
        translations = ProductPage.objects.filter(locale__language_code=code)
        assert {page.translation_key for page in translations} == set(english)
        for page in translations:
            source = english[page.translation_key]
            assert page.source == source
            assert [f for f in TRANSLATED if getattr(page, f) == getattr(source, f)] == [], page
            assert not page.variants.exists() and not page.images.exists()
    french = ProductPage.objects.get(locale__language_code="fr", slug="pain-de-campagne")
    assert (french.title, french.url_path) == (
        "Pain de campagne",
        "/accueil/boutique/boulangerie-et-epicerie/pain-de-campagne/",
    )
    arabic = ProductPage.objects.get(locale__language_code="ar", slug="country-loaf")
    assert arabic.title == "خبز ريفي"


def test_every_variant_sells_its_own_sku_made_by_the_products_workshop(demo_database):
    variants = ProductVariant.objects.select_related("sku__workshop", "product")
    assert variants.count() == 76
    assert variants.values("sku").distinct().count() == 76
    workshops = {product.slug: product.workshop for product in PRODUCTS}
    assert {(v.product.slug, v.sku.workshop.slug) for v in variants} == set(workshops.items())
    assert sorted(variants.values_list("product__tax_class__code").annotate(n=Count("id"))) == [
        ("reduced", 19),
        ("standard", 57),
    ]
    per_product = variants.values("product").annotate(n=Count("id")).values_list("n", flat=True)
    assert sorted(set(per_product)) == [1, 2, 3, 4]
    for variant in variants:
        assert variant.price.amount > 0 and variant.weight_grams > 0
        if variant.options:
            assert set(variant.options_translations) == {"fr", "ar"}
            assert variant.options_in("fr") and variant.options_in("ar")
    assert sorted(row.code for row in variant_skus()) == sorted(
        variants.values_list("sku__code", flat=True)
    )


def test_every_variants_stock_comes_from_batches_of_its_production(demo_database):
    for variant in ProductVariant.objects.select_related("sku"):
        made = ProductionRecord.objects.filter(sku=variant.sku).aggregate(n=Sum("pieces"))["n"]
        received = Batch.objects.filter(sku=variant.sku).aggregate(n=Sum("quantity"))["n"]
        assert made and received == made, variant.sku.code
        stock = Stock.objects.get(sku=variant.sku)
        moved = stock.movements.aggregate(on_hand=Sum("on_hand_change"))["on_hand"]
        assert moved == stock.on_hand
    low = {
        (stock.sku.variant.product.slug, stock.sku.variant.options): stock.on_hand - stock.reserved
        for stock in Stock.objects.filter(sku__variant__isnull=False).select_related(
            "sku__variant__product"
        )
        if stock.on_hand - stock.reserved < 10
    }
    # sold to public buyers, down to a handful; the honey cake sold out
    assert low == {
        ("honey-cake", ""): 0,
        ("oak-dining-table", "200 × 90 cm"): 2,
        ("lavender-soap", "Pack of 3"): 3,
        ("candle-lantern", "Large"): 4,
    }


def test_every_product_has_drawn_pictures_with_alternative_texts_in_every_language(
    demo_database,
):
    images = ProductImage.objects.select_related("image", "product")
    assert images.count() == 65  # one drawing each, and the trade's pattern for every other
    per_product = images.values("product").annotate(n=Count("id")).values_list("n", flat=True)
    assert sorted(per_product) == [1] * 21 + [2] * 22
    for image in images:
        assert image.image.file.size > 0
        assert image.alt and set(image.alt_translations) == {"fr", "ar"}
        assert len({image.alt, image.alt_in("fr"), image.alt_in("ar")}) == 3
    loaf = images.filter(product__slug="country-loaf").order_by("sort_order").first()
    assert (loaf.alt, loaf.alt_in("fr"), loaf.alt_in("ar")) == (
        "A drawing of the country loaf",
        "Dessin : Pain de campagne",
        "رسم: خبز ريفي",
    )


def test_the_shop_has_its_seller_taxes_shipping_and_stories(demo_database):
    shop = ShopSettings.load()
    iban = shop.iban.replace(" ", "")
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    assert int(digits) % 97 == 1  # a valid IBAN check sum
    assert (shop.bic, shop.prices_include_tax) == ("QDBKFRPPXXX", True)
    today = datetime.date(2026, 11, 2)
    assert {c.code: c.rate_on(today).rate for c in TaxClass.objects.all()} == {
        "reduced": Decimal("5.50"),
        "standard": Decimal("20.00"),
    }
    assert TaxClass.objects.get(code="standard").rate_on(datetime.date(2024, 6, 1)).rate == 19
    zones = {zone.name: len(zone.countries) for zone in ShippingZone.objects.all()}
    assert zones["Home"] == 1 and zones["Neighbouring EU countries"] == 7
    assert zones["Rest of the world"] > 200
    assert sorted(
        ShippingRate.objects.values_list("zone__name", "kind").annotate(n=Count("id"))
    ) == [
        ("Home", "collection", 1),
        ("Home", "delivery", 4),
        ("Neighbouring EU countries", "delivery", 3),
        ("Rest of the world", "delivery", 2),
    ]
    # the French and Arabic pages share their English page's story (a synchronised field)
    assert sorted(
        ProductPage.objects.filter(story__isnull=False).values_list(
            "locale__language_code", "slug", "story__slug"
        )
    ) == [
        ("ar", "cafe-chair", "the-chair-that-came-back"),
        ("ar", "country-loaf", "bread-at-four"),
        ("ar", "dried-spearmint", "green-in-the-desert"),
        ("en", "cafe-chair", "the-chair-that-came-back"),
        ("en", "country-loaf", "bread-at-four"),
        ("en", "dried-spearmint", "green-in-the-desert"),
        ("fr", "chaise-de-cafe-retapissee", "the-chair-that-came-back"),
        ("fr", "menthe-verte-sechee", "green-in-the-desert"),
        ("fr", "pain-de-campagne", "bread-at-four"),
    ]


def test_the_demo_has_orders_in_every_state_in_each_language(demo_database):
    """brand.demo.orders places one order on invoice in each state in each language; then the
    card orders (brand.demo.cards: one paid in English, one waiting in French), the bank
    statement (brand.demo.statements: it pays the English order that was waiting, and part of the
    French one, which still waits) and the overdue order of brand.demo.aftersales (French)."""
    orders = Order.objects.filter(
        quote__isnull=True
    )  # a quote's order: tests/brand/test_demo_quotes.py
    states = ["awaiting_payment", "cancelled", "delivered", "packed", "paid", "shipped"]
    expected = {(code, state, "invoice"): 1 for code in LANGUAGES for state in states}
    expected[("en", "awaiting_payment", "invoice")] -= 1  # paid by the statement
    expected[("en", "paid", "invoice")] += 1
    expected[("en", "paid", "card")] = 1
    expected[("fr", "awaiting_payment", "card")] = 1
    expected[("fr", "awaiting_payment", "invoice")] += 1  # overdue, with its reminder
    rows = orders.values_list("language", "status", "payment_method").annotate(n=Count("id"))
    assert sorted(rows) == sorted((*key, n) for key, n in expected.items() if n)
    # on invoice, issued when placed (19), and the card order paid (issued when paid)
    assert orders.filter(invoice__isnull=False).count() == 20
    paid = orders.filter(paid_at__isnull=False)
    assert sorted(paid.values_list("status", flat=True)) == sorted(
        ["paid", "packed", "shipped", "delivered"] * 3 + ["paid", "paid"]
    )
    for order in orders.filter(status__in=["shipped", "delivered"]).select_related("shipping_rate"):
        collected = order.shipping_rate.kind == ShippingRate.Kind.COLLECTION
        assert order.carrier == ("" if collected else "Qantara Post")
    assert sorted(
        orders.exclude(purchase_order="").values_list("organisation", "purchase_order")
    ) == [
        ("Lycée Jean-Moulin", "BC-2026-114"),
        ("Mairie de Sainte-Claire", "BC-2026-311"),  # the overdue one (brand.demo.aftersales)
        ("مدرسة النور", "PO-7781"),
    ]
