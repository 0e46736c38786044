"""The brand site in the deployment's three languages: addresses, switcher, hreflang, sitemap,
the fallback for untranslated pages, and per-language search, navigation and footer."""

import datetime
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale, Page, Site

from brand.demo.translate import translate
from brand.models import BrandSettings, BrandText
from tests.brand.builders import build_home, build_standard, build_story, build_story_index
from workshops.models import Trade

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def texts(document, selector):
    return [element.get_text(" ", strip=True) for element in document.select(selector)]


def switcher(document):
    return [
        (a.get("lang"), a.get_text(" ", strip=True), a["href"], a.get("aria-current"))
        for a in document.select(".language-switcher a")
    ]


def alternates(document):
    return [(link["hreflang"], link["href"]) for link in document.select("head link[hreflang]")]


def locales_of(code):
    return Locale.objects.get(language_code=code)


def translate_copy(page, code, **fields):
    """A published translation of ``page`` in ``code`` (parents must exist in that language)."""
    locale = Locale.objects.get(language_code=code)
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


@pytest.fixture
def locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "ar")}


@pytest.fixture
def site(locales):
    """English home with a story index and two stories; the home page and index in French and
    Arabic, the first story in French only."""
    home = build_home(hero_heading="Made with skill.", hero_text="Paid fairly.")
    index = build_story_index(home)
    first = build_story(index, 1, title="Bread at four", date=datetime.date(2026, 9, 14))
    second = build_story(index, 2, title="The chair")
    homes = {
        "fr": translate_copy(home, "fr", title="Accueil", hero_heading="Fait avec savoir-faire."),
        "ar": translate_copy(home, "ar", title="الرئيسية", hero_heading="صُنع بمهارة."),
    }
    indexes = {
        "fr": translate_copy(index, "fr", title="Histoires", slug="histoires"),
        "ar": translate_copy(index, "ar", title="قصص"),
    }
    french_story = translate_copy(
        first, "fr", title="Le pain à quatre heures", slug="le-pain-a-quatre-heures"
    )
    return {
        "home": home,
        "index": index,
        "first": first,
        "second": second,
        "homes": homes,
        "indexes": indexes,
        "french_story": french_story,
    }


def test_the_bare_address_redirects_to_the_visitors_language(client, site):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/ar/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/en/"


def test_each_language_has_its_home_page_lang_dir_and_interface_strings(client, site):
    english, french, arabic = (soup(client.get(f"/{code}/")) for code in ("en", "fr", "ar"))

    assert (english.html["lang"], english.html["dir"]) == ("en", "ltr")
    assert (french.html["lang"], french.html["dir"]) == ("fr", "ltr")
    assert (arabic.html["lang"], arabic.html["dir"]) == ("ar", "rtl")
    assert texts(french, "h1") == ["Fait avec savoir-faire."]
    assert texts(arabic, "h1") == ["صُنع بمهارة."]
    assert texts(french, "a.skip-link") == ["Passer au contenu principal"]
    assert texts(arabic, "a.skip-link") == ["الانتقال إلى المحتوى الرئيسي"]
    assert texts(french, ".site-search button") == ["Rechercher"]
    assert french.select_one(".brand-mark")["href"] == "/fr/"


def test_the_switcher_links_each_languages_version_of_the_page(client, site):
    document = soup(client.get("/fr/histoires/le-pain-a-quatre-heures/"))

    assert switcher(document) == [
        ("en", "English", "/en/stories/story-1/", None),
        ("fr", "français", "/fr/histoires/le-pain-a-quatre-heures/", "true"),
        # No Arabic translation yet: the nearest translated page, the Arabic story index.
        ("ar", "العربيّة (هذه الصفحة غير مترجمة بعد)", "/ar/stories/", None),
    ]
    assert document.select_one(".language-switcher a[lang=ar]")["title"] == (
        "هذه الصفحة غير مترجمة بعد: ستنتقل إلى أقرب صفحة مترجمة."
    )


def test_hreflang_lists_only_real_translations_and_the_default_as_x_default(client, site):
    story = soup(client.get("/en/stories/story-1/"))
    untranslated = soup(client.get("/en/stories/story-2/"))
    home = soup(client.get("/ar/"))

    assert alternates(story) == [
        ("en", "http://testserver/en/stories/story-1/"),
        ("fr", "http://testserver/fr/histoires/le-pain-a-quatre-heures/"),
        ("x-default", "http://testserver/en/stories/story-1/"),
    ]
    assert alternates(untranslated) == [("en", "http://testserver/en/stories/story-2/")]
    assert alternates(home) == [
        ("en", "http://testserver/en/"),
        ("fr", "http://testserver/fr/"),
        ("ar", "http://testserver/ar/"),
        ("x-default", "http://testserver/en/"),
    ]


def test_a_page_not_translated_is_not_served_under_another_language(client, site):
    assert client.get("/ar/stories/story-2/").status_code == 404
    assert client.get("/fr/stories/story-1/").status_code == 404  # French has its own slug


def test_the_sitemap_lists_every_language_with_its_alternates(client, site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    document = ElementTree.fromstring(client.get("/sitemap.xml").content)

    entries = {
        url.find("s:loc", ns).text: [
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", ns)
        ]
        for url in document.findall("s:url", ns)
    }
    assert sorted(entries) == [
        "http://localhost/ar/",
        "http://localhost/ar/stories/",
        "http://localhost/en/",
        "http://localhost/en/stories/",
        "http://localhost/en/stories/story-1/",
        "http://localhost/en/stories/story-2/",
        "http://localhost/fr/",
        "http://localhost/fr/histoires/",
        "http://localhost/fr/histoires/le-pain-a-quatre-heures/",
    ]
    assert entries["http://localhost/fr/histoires/le-pain-a-quatre-heures/"] == [
        ("en", "http://localhost/en/stories/story-1/"),
        ("fr", "http://localhost/fr/histoires/le-pain-a-quatre-heures/"),
        ("x-default", "http://localhost/en/stories/story-1/"),
    ]
    assert entries["http://localhost/en/stories/story-2/"] == []


def test_navigation_lists_the_active_languages_pages(client, site):
    translate_copy(build_standard(site["home"], "promise", "Our promise"), "fr", title="Promesse")

    assert texts(soup(client.get("/en/")), ".main-nav a") == ["Stories", "Our promise"]
    assert texts(soup(client.get("/fr/")), ".main-nav a") == ["Histoires", "Promesse"]
    assert texts(soup(client.get("/ar/")), ".main-nav a") == ["قصص"]


def test_search_finds_pages_in_the_active_language_only(client, site):
    french = soup(client.get("/fr/search/?q=pain"))
    english = soup(client.get("/en/search/?q=pain"))

    assert texts(french, ".search-results h2 a, .search-result a") or texts(french, "main li a")
    assert "Le pain à quatre heures" in french.get_text()
    assert "Le pain à quatre heures" not in english.get_text()
    assert french.html["lang"] == "fr"


def test_the_footer_text_is_the_active_languages_or_the_defaults(client, site, locales):
    BrandText.objects.create(locale=Locale.get_default(), tagline="Fair work, real skills.")
    BrandText.objects.create(locale=locales["fr"], tagline="Un travail juste, un vrai métier.")

    assert texts(soup(client.get("/fr/")), ".site-footer section p") == [
        "Un travail juste, un vrai métier."
    ]
    assert texts(soup(client.get("/ar/")), ".site-footer section p") == ["Fair work, real skills."]


def test_the_arabic_footer_translates_the_address_and_keeps_latin_text_in_order(
    client, site, locales
):
    brand = BrandSettings.for_site(Site.objects.get())
    brand.contact_email = "hello@bridgework.example"
    brand.contact_phone = "+000 21 555 0140"
    brand.save()
    BrandText.objects.create(
        locale=Locale.get_default(), postal_address="14 Rue des Artisans\nQantara City 10020"
    )
    BrandText.objects.create(
        locale=locales["ar"], postal_address="14 شارع الحرفيين\n\nمدينة قنطرة 10020\n"
    )

    document = soup(client.get("/ar/"))

    assert document.html["dir"] == "rtl"
    address = document.select_one(".site-footer address")
    # Each line isolated, so "14" and "10020" stay where the line puts them; blank lines skipped.
    assert [bdi.get_text() for bdi in address.select("bdi")] == [
        "14 شارع الحرفيين",
        "مدينة قنطرة 10020",
    ]
    assert [(a["href"], a["dir"], a.get_text()) for a in address.select("a")] == [
        ("mailto:hello@bridgework.example", "ltr", "hello@bridgework.example"),
        ("tel:+000215550140", "ltr", "+000 21 555 0140"),
    ]
    english = soup(client.get("/en/")).select_one(".site-footer address")
    assert [bdi.get_text() for bdi in english.select("bdi")] == [
        "14 Rue des Artisans",
        "Qantara City 10020",
    ]


def test_the_menu_is_in_the_same_order_in_every_language(client, site):
    about = build_standard(site["home"], "about", "About")
    work = build_standard(site["home"], "work", "Work")
    # Translated in the other order: the French pages' places in their tree are reversed.
    translate_copy(work, "fr", title="Travail", slug="travail")
    translate_copy(about, "fr", title="À propos", slug="a-propos")

    assert texts(soup(client.get("/en/")), ".main-nav a") == ["Stories", "About", "Work"]
    assert texts(soup(client.get("/fr/")), ".main-nav a") == ["Histoires", "À propos", "Travail"]
    assert (
        about.get_translation(locales_of("fr")).path > work.get_translation(locales_of("fr")).path
    )


def test_the_sitemap_uses_the_sites_own_address(client, site):
    Site.objects.update(hostname="shop.example.org", port=8443)

    response = client.get("/sitemap.xml", HTTP_HOST="shop.example.org:8443")

    locations = [
        loc.text
        for loc in ElementTree.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert locations[0] == "http://shop.example.org:8443/en/"
    assert "http://shop.example.org:8443/ar/" in locations
    assert all(location.startswith("http://shop.example.org:8443/") for location in locations)


def test_story_dates_are_written_the_languages_way(client, site):
    english = soup(client.get("/en/stories/story-1/"))
    french = soup(client.get("/fr/histoires/le-pain-a-quatre-heures/"))

    assert texts(english, "time") == ["September 14, 2026"]
    assert texts(french, "time") == ["14 septembre 2026"]
    assert french.select_one("time")["datetime"] == "2026-09-14"  # machine format stays fixed


def test_a_translated_home_page_runs_a_fixed_number_of_queries(
    client, site, django_assert_num_queries
):
    """One more than the English home page: finding the French home from the site's root."""
    client.get("/fr/")
    with django_assert_num_queries(17):
        client.get("/fr/")
    build_story(site["indexes"]["fr"], 7, title="Encore une histoire")
    with django_assert_num_queries(17):
        client.get("/fr/")


def test_trades_are_translatable_and_unique_per_language(locales):
    bakery = Trade.objects.create(
        name="Bakery", slug="bakery", occupation_code="7512", locale=Locale.get_default()
    )
    boulangerie = bakery.copy_for_translation(locales["fr"])
    boulangerie.name = "Boulangerie"
    boulangerie.save()

    with translation.override("fr"):
        assert bakery.localized.name == "Boulangerie"
    with translation.override("ar"):
        assert bakery.localized.name == "Bakery"  # not translated yet: the default's
    assert (boulangerie.slug, boulangerie.occupation_code) == ("bakery", "7512")
    with pytest.raises(IntegrityError), transaction.atomic():
        Trade.objects.create(
            name="Pâtisserie", slug="bakery", occupation_code="7512", locale=locales["fr"]
        )
    assert Trade.objects.filter(locale=locales["fr"]).count() == 1


def test_wagtail_localize_translates_a_page_segment_by_segment_and_publishes_it(site, locales):
    story = site["second"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        translated = translate(
            story, locales["fr"], {"The chair": "La chaise", "Teaser 2.": "Accroche 2."}
        )

    translated = Page.objects.get(pk=translated.pk).specific
    assert translated.live
    assert (translated.title, translated.teaser) == ("La chaise", "Accroche 2.")
    assert translated.teller_name == "Teller 2"  # untranslated segments fall back to the source
    assert translated.translation_key == story.translation_key
    assert translated.get_parent().specific == site["indexes"]["fr"]
