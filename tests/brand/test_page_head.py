"""What each public page tells search engines and link previews: one title naming the brand once,
a description, a canonical address, Open Graph and Twitter tags, JSON-LD, and the site's icons."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, Site

from brand.demo.images import demo_image
from brand.models import BrandSettings, BrandText
from brand.seo import json_ld, page_title
from tests.brand.builders import build_home, build_standard, build_story, build_story_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    home = build_home(
        hero_heading="Made with skill.", hero_text="Goods made   fairly, <b>paid</b>."
    )
    brand = BrandSettings.for_site(Site.objects.get())
    brand.brand_name = "Qantara Goods"
    brand.contact_email = "hello@example.org"
    brand.contact_phone = "+33 1 23 45 67 89"
    brand.save()
    BrandText.objects.create(
        locale=Locale.get_default(), postal_address="1 rue du Port\n75001 Paris\n"
    )
    return home


def head(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(document, name) -> str | None:
    tag = document.find("meta", attrs={"property": name}) or document.find(
        "meta", attrs={"name": name}
    )
    return tag["content"] if tag else None


def structured(document) -> list[dict]:
    return [json.loads(tag.string) for tag in document.select("script[type='application/ld+json']")]


def test_the_home_page_describes_the_organization(client, home):
    document = head(client, "/en/")

    assert document.title.get_text() == "Home · Qantara Goods"
    assert meta(document, "description") == "Goods made fairly, paid."
    assert document.select_one("link[rel=canonical]")["href"] == "http://localhost/en/"
    assert [
        meta(document, name)
        for name in ("og:type", "og:site_name", "og:title", "og:url", "og:locale", "twitter:card")
    ] == ["website", "Qantara Goods", "Home", "http://localhost/en/", "en_GB", "summary"]
    assert structured(document) == [
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Qantara Goods",
            "url": "http://localhost/en/",
            "logo": "http://testserver/static/brand/icons/icon-512.png",
            "email": "hello@example.org",
            "telephone": "+33 1 23 45 67 89",
            "address": {"@type": "PostalAddress", "streetAddress": "1 rue du Port, 75001 Paris"},
        }
    ]


def test_a_story_is_an_article_with_its_breadcrumbs_and_image(client, home):
    stories = build_story_index(home)
    story = build_story(
        stories,
        1,
        title="Bread at four",
        teaser="She opens the bakery before dawn.",
        image=demo_image("Bakery", "bakery", 1),
    )
    story.last_published_at = datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
    story.save(update_fields=["last_published_at"])

    document = head(client, "/en/stories/story-1/")

    image = meta(document, "og:image")
    assert image.startswith("http://testserver/") and ".fill-1200x630" in image
    assert (meta(document, "og:type"), meta(document, "twitter:card")) == (
        "article",
        "summary_large_image",
    )
    assert meta(document, "description") == "She opens the bakery before dawn."
    article, trail = structured(document)
    assert article == {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "Bread at four",
        "description": "She opens the bakery before dawn.",
        "datePublished": "2026-01-02",
        "dateModified": "2026-01-05T09:30:00+00:00",
        "inLanguage": "en",
        "mainEntityOfPage": "http://localhost/en/stories/story-1/",
        "author": {"@type": "Organization", "name": "Qantara Goods", "url": "http://localhost/en/"},
        "publisher": {
            "@type": "Organization",
            "name": "Qantara Goods",
            "logo": {
                "@type": "ImageObject",
                "url": "http://testserver/static/brand/icons/icon-512.png",
            },
        },
        "image": image,
    }
    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "http://localhost/en/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "Stories",
            "item": "http://localhost/en/stories/",
        },
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Bread at four",
            "item": "http://localhost/en/stories/story-1/",
        },
    ]
    # Nothing in the head names the worker behind the story.
    worker = story.consent.worker
    for private in (worker.reference, worker.legal_name, worker.prison_number):
        assert private not in str(document.head)


def test_the_search_description_wins_over_the_introduction_and_is_cut_at_a_word(client, home):
    build_standard(home, "about", "About", intro="Our introduction.", search_description="")
    build_standard(home, "work", "Work", intro="Ignored.", search_description="word " * 60)

    assert meta(head(client, "/en/about/"), "description") == "Our introduction."
    described = meta(head(client, "/en/work/"), "description")
    assert (len(described), described.endswith("word…")) == (160, True)


def test_a_title_that_names_the_brand_does_not_repeat_it():
    assert page_title("Qantara Goods: fair work", "Qantara Goods") == "Qantara Goods: fair work"
    assert page_title("About us", "Qantara Goods") == "About us · Qantara Goods"
    assert page_title("", "Qantara Goods") == "Qantara Goods"


def test_structured_data_cannot_close_its_script_element():
    assert str(json_ld({"name": "</script><script>alert(1)</script> & co"})) == (
        '{"name": "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E'
        ' \\u0026 co"}'
    )


def test_pages_link_their_icons_and_the_manifest_names_the_brand(client, home):
    document = head(client, "/en/")

    assert [(link["rel"][0], link["href"]) for link in document.select("link[rel~=icon]")] == [
        ("icon", "/static/brand/icons/favicon.svg"),
        ("icon", "/static/brand/icons/icon-192.png"),
    ]
    assert document.select_one("link[rel=apple-touch-icon]")["href"] == (
        "/static/brand/icons/apple-touch-icon.png"
    )
    manifest = client.get(document.select_one("link[rel=manifest]")["href"])
    assert manifest["Content-Type"] == "application/manifest+json"
    assert (manifest.json()["name"], [icon["sizes"] for icon in manifest.json()["icons"]]) == (
        "Qantara Goods",
        ["192x192", "512x512", "512x512", "any"],
    )
    favicon = client.get("/favicon.ico")
    assert (favicon.status_code, favicon["Location"]) == (301, "/static/brand/icons/favicon.svg")
