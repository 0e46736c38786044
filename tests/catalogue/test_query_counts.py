"""The shop's pages run a fixed number of queries whatever the size of the catalogue: a listing
of 48 at 10 and at 60 products, a product page with one variant and one batch or with eight
variants of three batches each, images and a story. Counted after a warm-up request, as a
running site has its site-root cache and renditions.

Of a page's queries, the page's own reads (``listing_context``, ``product_context``) are
counted apart from the site's: Wagtail's routing and serving (site, locale, pages on the path,
aliases, view restrictions) and the brand's chrome (settings, menu, breadcrumbs, footer).
"""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

from brand.demo.images import demo_image
from catalogue.models import ProductImage
from catalogue.products.detail import product_context
from catalogue.products.listing import listing_context
from core.testing.clients import client_with_session
from tests.brand.builders import build_story, build_story_index
from tests.catalogue.builders import build_product, build_sku, stock
from tests.workshops.production_builders import day

pytestmark = pytest.mark.django_db
# The page's own reads. A listing: trades, categories, count, the page of products, images,
# renditions. A product: variants (with tax rate, pay policy and settings as subqueries),
# images, renditions, two for the provenance, the story. (View restrictions are subqueries.)
LISTING_OWN = 6
PRODUCT_OWN = 6
# Whole pages: the own reads and the site's (see the module's docstring): 15 for a listing at
# the shop's depth, 16 for a product two levels below it (routing below the shop is one query).
PAGE_QUERIES = {"listing": 21, "product": 22}


def add_products(shop, images, start: int, end: int):
    for number in range(start, end):
        sku = build_sku(shop.world.workshop, f"S-{number:03d}")
        if number % 3:
            stock(shop.world, sku, 5, key=f"s-{number}")
        page = build_product(
            shop.bags,
            f"Product {number:03d}",
            tax_class=shop.tax_class,
            variants=[(sku, f"{10 + number}.00", "")],
            number=number,
        )
        ProductImage.objects.create(product=page, image=images[number % 2], alt=f"Picture {number}")


@pytest.fixture
def images():
    return [demo_image(f"Image {seed}", "textiles", seed) for seed in (1, 2)]


def get_request(path: str):
    """A request as a page's ``get_context`` receives it: its language and site already found."""
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "en"
    Site.find_for_request(request)
    return request


def test_a_listing_of_48_runs_the_same_queries_at_10_and_60_products(
    client, shop, images, django_assert_num_queries
):
    url = "/en/shop/?per_page=48&sort=price"
    add_products(shop, images, 0, 10)
    client.get(url)
    with django_assert_num_queries(PAGE_QUERIES["listing"]):
        client.get(url)
    request = get_request(url)
    with translation.override("en"), django_assert_num_queries(LISTING_OWN):
        listing_context(request, shop=shop.shop, category=None)

    add_products(shop, images, 10, 60)
    client.get(url)
    with django_assert_num_queries(PAGE_QUERIES["listing"]):
        response = client.get(url)
    request = get_request(url)
    with translation.override("en"), django_assert_num_queries(LISTING_OWN):
        listing_context(request, shop=shop.shop, category=None)
    assert response.content.count(b'class="product-card"') == 48


def big_product(shop, images):
    """Eight variants, each of three batches with records, two images and a story."""
    world = shop.world
    variants = []
    for number in range(8):
        sku = build_sku(world.workshop, f"BIG-{number}")
        for batch in range(3):
            stock(
                world,
                sku,
                4,
                key=f"big-{number}-{batch}",
                made_from=day(batch * 2),
                made_to=day(batch * 2 + 1),
            )
        variants.append((sku, "30.00", f"Size {number}"))
    story = build_story(build_story_index(shop.home), 1)
    page = build_product(shop.bags, "Big", tax_class=shop.tax_class, variants=variants, story=story)
    for image in images:
        ProductImage.objects.create(product=page, image=image, alt="A bag")
    return page


def small_product(shop, images):
    sku = build_sku(shop.world.workshop, "SMALL")
    stock(shop.world, sku, 2, key="small")
    story = build_story(build_story_index(shop.home, slug="tales"), 2)
    page = build_product(
        shop.bags, "Small", tax_class=shop.tax_class, variants=[(sku, "12.00", "")], story=story
    )
    ProductImage.objects.create(product=page, image=images[0], alt="A pouch")
    return page


@pytest.mark.parametrize("build", [small_product, big_product])
def test_a_product_page_runs_a_fixed_number_of_queries(
    client, shop, images, build, django_assert_num_queries
):
    page = build(shop, images)
    url = page.url
    client.get(url)

    with django_assert_num_queries(PAGE_QUERIES["product"]):
        response = client.get(url)
    page, request = Page.objects.get(pk=page.pk).specific, get_request(url)
    with translation.override("en"), django_assert_num_queries(PRODUCT_OWN):
        product_context(request, page)
    assert response.status_code == 200


# A cold render as production gives it to a visitor with a session (the page cache on): after a
# first visit, what is the same for every visitor is kept per cache generation (brand.serving,
# core.page_cache): the site, the route, the page and its view restrictions, the brand's
# settings, the menu, footer and language links, a page's head and a product page's main part.
# A product page then reads the session only; a listing, which depends on its query string, the
# session and its own reads.
COLD_QUERIES = {"listing": 1 + LISTING_OWN, "product": 1}


@pytest.mark.usefixtures("page_cache_on")
def test_a_cold_listing_of_48_runs_the_same_queries_at_10_and_60_products(
    shop, images, django_assert_num_queries
):
    url = "/en/shop/?per_page=48&sort=price"
    visitor = client_with_session()
    add_products(shop, images, 0, 10)
    visitor.get(url)
    with django_assert_num_queries(COLD_QUERIES["listing"]):
        assert "X-Cache" not in visitor.get(url)  # never looked up in the page cache

    add_products(shop, images, 10, 60)
    visitor.get(url)
    with django_assert_num_queries(COLD_QUERIES["listing"]):
        response = visitor.get(url)
    assert response.content.count(b'class="product-card"') == 48


@pytest.mark.usefixtures("page_cache_on")
@pytest.mark.parametrize("build", [small_product, big_product])
def test_a_cold_product_page_runs_a_fixed_number_of_queries(
    shop, images, build, django_assert_num_queries
):
    page = build(shop, images)
    visitor = client_with_session()
    first = visitor.get(page.url)

    with django_assert_num_queries(COLD_QUERIES["product"]):
        again = visitor.get(page.url)
    assert "X-Cache" not in again
    assert again.content == first.content
