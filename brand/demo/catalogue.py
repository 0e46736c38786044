"""The demo shop's catalogue: the seller's settings, tax classes and their rates, shipping zones and
rates, and a published shop under each language's home page, with its categories and products.

Products come from ``catalogue_products``. Each variant sells one SKU: an SKU of the register
where the register has the thing already, else an SKU of its own, made by the same workshop and
created with the register (``catalogue_skus``) so that production, batches and provenance cover
it. Pages are made in English with their variants and drawn images, then translated into French
and Arabic through wagtail-localize like the brand's pages (``brand.demo.translate``); variants'
options and images' alternative texts are translated field by field beside them.

Every function finds what an earlier run made (by slug, code or title) and brings it up to date.
"""

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.utils.text import slugify
from django_countries import countries
from djmoney.money import Money
from wagtail.models import Locale

from brand.demo import catalogue_content as words
from brand.demo import register_content
from brand.demo.catalogue_images import product_image
from brand.demo.catalogue_products import PRODUCTS, Product
from brand.demo.images import demo_image
from brand.demo.pages import published_child
from brand.demo.translate import translate
from brand.models import HomePage, StoryPage
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
    TaxRate,
)
from workshops.models import SKU

LANGUAGE_INDEX = {"en": 0, "fr": 1, "ar": 2}  # the order of the (English, French, Arabic) triples
FIRST_NEW_SKU = 101  # a workshop's own variant SKUs are numbered from here: BRD-101, BRD-102…


class VariantSKU(NamedTuple):
    product: str
    options: str
    code: str
    name: str
    workshop: str
    line: str  # the register SKU whose working days it shares (itself for a register SKU)


def variant_skus() -> list[VariantSKU]:
    """The SKU of every variant of the demo shop, in the order of ``PRODUCTS``.

    A new SKU shares the working days of one of its workshop's register SKUs of the same unit
    (its *line*, taken in turn): the demo's production picks a line for each worker's day as it
    always has, then one SKU of that line, so adding products changes no hours or pieces."""
    prefixes, piece_lines = {}, defaultdict(list)
    for code, _name, unit, workshop in register_content.SKUS:
        prefixes.setdefault(workshop, code.split("-")[0])
        if unit == SKU.Unit.PIECE:
            piece_lines[workshop].append(code)
    made = defaultdict(int)
    rows = []
    for product in PRODUCTS:
        for options, _price, _grams, code in product.variants:
            name = f"{product.title[0]}, {options}" if options else product.title[0]
            line = code
            if code is None:
                number = made[product.workshop]
                made[product.workshop] += 1
                code = f"{prefixes[product.workshop]}-{FIRST_NEW_SKU + number}"
                lines = piece_lines[product.workshop]
                line = lines[number % len(lines)]
            rows.append(VariantSKU(product.slug, options, code, name[:160], product.workshop, line))
    return rows


def catalogue_skus() -> list[VariantSKU]:
    """The variants' SKUs that the register does not have; ``seed_register`` creates them."""
    return [row for row in variant_skus() if row.code != row.line]


def lines_of_skus() -> dict[str, str]:
    """Each catalogue SKU's line (see ``variant_skus``), by code."""
    return {row.code: row.line for row in catalogue_skus()}


def seed_shop_settings() -> ShopSettings:
    shop = ShopSettings.load()
    for name, value in words.SHOP_SETTINGS.items():
        setattr(shop, name, value)
    shop.save()
    return shop


def seed_taxes() -> dict[str, TaxClass]:
    classes = {}
    for code, name, translations, rates in words.TAX_CLASSES:
        classes[code], _created = TaxClass.objects.update_or_create(
            code=code, defaults={"name": name, "name_translations": translations}
        )
        for day, rate in rates:
            TaxRate.objects.update_or_create(
                tax_class=classes[code], effective_from=day, defaults={"rate": rate}
            )
    return classes


def seed_shipping(tax_class: TaxClass) -> dict[str, ShippingZone]:
    """Three zones (home, the neighbouring EU countries, the rest of the world), rates by weight
    in each, and collection from the shop at home."""
    near = {*words.HOME, *words.NEIGHBOURS}
    members = {
        "Home": words.HOME,
        "Neighbouring EU countries": words.NEIGHBOURS,
        "Rest of the world": [code for code, _name in countries if code not in near],
    }
    currency = settings.BRIDGEWORK_CURRENCY
    zones = {}
    for zone_name, codes in members.items():
        zones[zone_name], _created = ShippingZone.objects.update_or_create(
            name=zone_name, defaults={"countries": codes}
        )
        for name, translations, grams, price in words.SHIPPING[zone_name]:
            ShippingRate.objects.update_or_create(
                zone=zones[zone_name],
                kind=ShippingRate.Kind.DELIVERY,
                max_weight_grams=grams,
                defaults={
                    "name": name,
                    "name_translations": translations,
                    "price": Money(price, currency),
                    "tax_class": tax_class,
                },
            )
    name, translations, grams, price = words.COLLECTION
    ShippingRate.objects.update_or_create(
        zone=zones["Home"],
        kind=ShippingRate.Kind.COLLECTION,
        defaults={
            "name": name,
            "name_translations": translations,
            "max_weight_grams": grams,
            "price": Money(price, currency),
            "tax_class": tax_class,
            "collection_address": words.COLLECTION_ADDRESS,
        },
    )
    return zones


def _options_translations(options: str) -> dict[str, str]:
    if not options:
        return {}
    french, arabic = words.OPTIONS[options]
    return {"fr": french, "ar": arabic}


def _variants(page: ProductPage | None, product: Product, skus: dict) -> list[ProductVariant]:
    existing = {variant.sku_id: variant for variant in page.variants.all()} if page else {}
    variants = []
    for options, price, grams, _code in product.variants:
        sku = skus[(product.slug, options)]
        variant = existing.get(sku.pk) or ProductVariant(sku=sku)
        variant.options = options
        variant.options_translations = _options_translations(options)
        variant.price = Money(price, settings.BRIDGEWORK_CURRENCY)
        variant.weight_grams = grams
        variant.available = True
        variants.append(variant)
    return variants


def _alt(pattern: tuple[str, str, str], product: Product) -> tuple[str, dict[str, str]]:
    english = product.title[0][0].lower() + product.title[0][1:]
    titles = (english, product.title[1], product.title[2])
    texts = [text.format(title=title) for text, title in zip(pattern, titles, strict=True)]
    return texts[0], {"fr": texts[1], "ar": texts[2]}


def _images(page: ProductPage | None, product: Product, number: int, theme: str) -> list:
    colour = words.COLOURS.get(product.variants[0][0]) or words.PRODUCT_COLOURS.get(product.slug)
    pictures = [
        (
            product_image(product.title[0], product.drawing, theme, colour, 500 + number),
            words.ALT_MAIN,
        )
    ]
    if number % 2 == 0:  # every other product has a second picture: its trade's pattern
        detail = demo_image(f"{product.title[0]} (pattern)", theme, 700 + number)
        pictures.append((detail, words.ALT_DETAIL))
    existing = {image.image_id: image for image in page.images.all()} if page else {}
    images = []
    for picture, pattern in pictures:
        image = existing.get(picture.pk) or ProductImage(image=picture)
        image.alt, image.alt_translations = _alt(pattern, product)
        images.append(image)
    return images


def _product(category: CategoryPage, product: Product, number: int, context: dict) -> ProductPage:
    page = ProductPage.objects.child_of(category).filter(slug=product.slug).first()
    fields = {
        "title": product.title[0],
        "summary": product.summary[0],
        "description": f"<p>{product.description[0]}</p>",
        "materials": words.MATERIALS[product.materials][0],
        "care": words.CARE[product.care][0],
        "tax_class": context["taxes"][product.tax],
        "story": context["stories"].get(product.story),
    }
    variants = _variants(page, product, context["skus"])
    images = _images(page, product, number, context["themes"][product.category])
    if page is None:
        page = ProductPage(slug=product.slug, **fields)
        page.variants, page.images = variants, images
        category.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
        page.variants, page.images = variants, images
        page.save()
    page.save_revision().publish()
    return page


def translations(language: str) -> dict[str, str]:
    """The shop's pages' words in ``language``, keyed by their English text (string segments of
    wagtail-localize); French slugs are made from the French titles."""
    index = LANGUAGE_INDEX[language]
    strings = {english: pair[index - 1] for english, pair in words.PAGE_WORDS.items()}
    for kinds in (words.MATERIALS, words.CARE):
        strings.update({texts[0]: texts[index] for texts in kinds.values()})
    for product in PRODUCTS:
        for texts in (product.title, product.summary, product.description):
            strings[texts[0]] = texts[index]
    if language == "fr":
        strings[words.SHOP["slug"]] = slugify(words.PAGE_WORDS[words.SHOP["title"]][0])
        for slug, title, _intro, _theme in words.CATEGORIES:
            strings[slug] = slugify(words.PAGE_WORDS[title][0])
        for product in PRODUCTS:
            strings[product.slug] = slugify(product.title[1])
    return strings


def seed_catalogue() -> dict:
    """The shop's settings, taxes, shipping and its pages in every language; returns how many
    products are published in each language."""
    seed_shop_settings()
    taxes = seed_taxes()
    seed_shipping(taxes["standard"])
    default = Locale.get_default()
    home = HomePage.objects.get(locale=default)
    shop = published_child(
        home,
        ShopPage,
        words.SHOP["slug"],
        title=words.SHOP["title"],
        intro=words.SHOP["intro"],
        show_in_menus=True,
    )
    by_code = SKU.objects.in_bulk([row.code for row in variant_skus()], field_name="code")
    context = {
        "taxes": taxes,
        "stories": {page.slug: page for page in StoryPage.objects.filter(locale=default).live()},
        "skus": {(row.product, row.options): by_code[row.code] for row in variant_skus()},
        "themes": {slug: theme for slug, _title, _intro, theme in words.CATEGORIES},
    }
    pages = [shop]
    categories = {}
    for number, (slug, title, intro, theme) in enumerate(words.CATEGORIES):
        image = demo_image(f"{title} (category)", theme, 600 + number)
        categories[slug] = published_child(
            shop, CategoryPage, slug, title=title, intro=intro, image=image
        )
        pages.append(categories[slug])
    for number, product in enumerate(PRODUCTS):
        pages.append(_product(categories[product.category], product, number, context))
    for code, _name in settings.LANGUAGES:
        if code == default.language_code or code not in LANGUAGE_INDEX:
            continue
        locale = Locale.objects.get(language_code=code)
        strings = translations(code)
        for page in pages:
            translate(page, locale, strings)
    return {
        code: ProductPage.objects.live().filter(locale__language_code=code).count()
        for code, _name in settings.LANGUAGES
    }


def shop_summary() -> dict:
    """What ``seed_demo`` prints of the shop: its address in the default language, how many
    products are live in every language, and how many orders there are."""
    languages = [code for code, _name in settings.LANGUAGES]
    live = ProductPage.objects.live()
    products = min(live.filter(locale__language_code=code).count() for code in languages)
    shop = ShopPage.objects.live().filter(locale=Locale.get_default()).first()
    return {
        "url": shop.full_url if shop else "",
        "products": products,
        "languages": ", ".join(languages),
        "orders": Order.objects.count(),
    }
