"""The seeded demo shop as the browser tests find it: its pages in a language, read from the live
pages themselves (never slugs guessed), and products a visitor can buy now."""

from django.db.models import Count, Q
from django.utils import translation
from playwright.sync_api import expect

from catalogue.models import CategoryPage, ProductPage, ProductVariant, ShopPage
from catalogue.products.selectors import available_units

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ("en", "fr", "ar")
TIMEOUT = 20_000  # milliseconds: a page under CI load, seeded demo behind one live server thread


def words(language: str, *texts: str) -> list[str]:
    """The interface's ``texts`` as a visitor in ``language`` reads them."""
    with translation.override(language):
        return [translation.gettext(text) for text in texts]


def shop_in(language: str) -> ShopPage:
    return ShopPage.objects.live().get(locale__language_code=language)


def path_of(page) -> str:
    """The page's path on the demo site (``/fr/boutique/…``)."""
    return page.specific.get_url()


def buyable_variants(minimum: int = 3):
    """Variants on sale of live default-language products, with ``minimum`` units or more free,
    of products that have exactly one variant (so a product page has one add-to-cart form)."""
    single = (
        ProductPage.objects.live()
        .annotate(variant_count=Count("variants"))
        .filter(variant_count=1)
        .values("pk")
    )
    return (
        ProductVariant.objects.filter(available=True, product__in=single)
        .annotate(units=available_units())
        .filter(units__gte=minimum)
        .select_related("product")
        .order_by("product__path")
    )


def translation_of(product: ProductPage, language: str) -> ProductPage:
    return ProductPage.objects.live().get(
        translation_key=product.translation_key, locale__language_code=language
    )


def two_products(language: str) -> list[tuple[ProductPage, ProductVariant]]:
    """Two products in ``language`` under different categories, each with one buyable variant."""
    chosen, parents = [], set()
    for variant in buyable_variants():
        page = translation_of(variant.product, language)
        parent = page.get_parent().pk
        if parent not in parents:
            chosen.append((page, variant))
            parents.add(parent)
        if len(chosen) == 2:
            return chosen
    raise AssertionError("the demo has no two buyable products in different categories")


def category_of(page: ProductPage) -> CategoryPage:
    return page.get_parent().specific


def a_product_page(language: str) -> ProductPage:
    page, _variant = two_products(language)[0]
    return page


def add_to_cart(page, base: str, product: ProductPage, variant: ProductVariant) -> None:
    """Open the product's page and add one unit of ``variant``: the cart opens, with it."""
    page.goto(base + path_of(product))
    form = page.locator("form.add-to-cart").filter(
        has=page.locator(f'input[name="variant"][value="{variant.pk}"]')
    )
    form.get_by_role("button").click()
    expect(page.locator(f"#line-{variant.pk}")).to_be_visible(timeout=TIMEOUT)


def categories_in(language: str):
    return CategoryPage.objects.live().filter(
        Q(locale__language_code=language) & Q(path__startswith=shop_in(language).path)
    )
