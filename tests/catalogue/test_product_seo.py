"""What search engines and link previews read of a product: ``Product`` JSON-LD with an
``Offer`` a variant (price, currency, availability), escaped so no text closes its script;
Open Graph's product type and absolute image; and every language's product in the sitemap with
its ``hreflang`` alternates."""

import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from brand.demo.images import demo_image
from catalogue.models import ProductImage
from tests.catalogue.builders import build_product, build_sku, stock, translate_page

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def lamp(shop):
    one, two = build_sku(shop.world.workshop, "L-1"), build_sku(shop.world.workshop, "L-2")
    stock(shop.world, one, 3, key="l1")
    page = build_product(
        shop.bags,
        "Lamp </script><b>",
        slug="lamp",
        tax_class=shop.tax_class,
        summary="A lamp & its shade.",
        variants=[(one, "24.00", "Small"), (two, "36.50", "Large")],
    )
    ProductImage.objects.create(product=page, image=demo_image("Lamp", "textiles", 3), alt="A lamp")
    return page


def structured(document) -> list[dict]:
    return [json.loads(tag.string) for tag in document.select("script[type='application/ld+json']")]


def test_the_product_and_its_offers_as_json_ld(client, lamp):
    response = client.get("/en/shop/bags/lamp/")
    document = soup(response)
    product = next(item for item in structured(document) if item["@type"] == "Product")
    image = product.pop("image")

    assert product == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Lamp </script><b>",
        "description": "A lamp & its shade.",
        "url": "http://localhost/en/shop/bags/lamp/",
        "offers": [
            {
                "@type": "Offer",
                "name": "Small",
                "price": "24.00",
                "priceCurrency": "EUR",
                "availability": "https://schema.org/InStock",
                "itemCondition": "https://schema.org/NewCondition",
                "url": "http://localhost/en/shop/bags/lamp/",
            },
            {
                "@type": "Offer",
                "name": "Large",
                "price": "36.50",
                "priceCurrency": "EUR",
                "availability": "https://schema.org/OutOfStock",
                "itemCondition": "https://schema.org/NewCondition",
                "url": "http://localhost/en/shop/bags/lamp/",
            },
        ],
        "brand": {"@type": "Brand", "name": "Bridgework"},
    }
    assert len(image) == 1
    assert image[0].startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in image[0]
    head = response.content.split(b"</head>")[0]
    # The title cannot close the script element: <, > and & are escaped in the JSON.
    assert head.count(b"</script>") == head.count(b"<script")
    assert b'"Lamp \\u003C/script\\u003E\\u003Cb\\u003E"' in head


def test_open_graph_says_product_with_an_absolute_image(client, lamp):
    document = soup(client.get("/en/shop/bags/lamp/"))
    meta = {tag["property"]: tag["content"] for tag in document.select("meta[property]")}

    assert meta["og:type"] == "product"
    assert meta["og:title"] == "Lamp </script><b>"
    assert meta["og:description"] == "A lamp & its shade."
    assert meta["og:url"] == "http://localhost/en/shop/bags/lamp/"
    assert meta["og:image"].startswith("http://testserver/")
    assert ".fill-1200x630" in meta["og:image"]


def test_products_are_in_the_sitemap_with_their_translations(client, shop, lamp):
    translate_page(shop.home, "fr", title="Accueil")
    translate_page(shop.shop, "fr", title="Boutique", slug="boutique")
    translate_page(shop.bags, "fr", title="Sacs", slug="sacs")
    translate_page(lamp, "fr", title="Lampe", slug="lampe")

    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    entries = {
        url.find(f"{SITEMAP}loc").text: sorted(
            (link.get("hreflang"), link.get("href")) for link in url.findall(f"{XHTML}link")
        )
        for url in root.findall(f"{SITEMAP}url")
    }

    assert entries["http://localhost/en/shop/bags/lamp/"] == [
        ("en", "http://localhost/en/shop/bags/lamp/"),
        ("fr", "http://localhost/fr/boutique/sacs/lampe/"),
        ("x-default", "http://localhost/en/shop/bags/lamp/"),
    ]
    assert (
        entries["http://localhost/fr/boutique/sacs/lampe/"]
        == entries["http://localhost/en/shop/bags/lamp/"]
    )
