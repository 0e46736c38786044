"""The brand site's pages as a visitor receives them."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from brand.models import BrandSettings, BrandText
from tests.brand.builders import build_home, build_standard, build_story, build_story_index

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def texts(document, selector):
    return [element.get_text(" ", strip=True) for element in document.select(selector)]


@pytest.fixture
def home():
    return build_home(hero_heading="Made with skill.", hero_text="Paid fairly.")


@pytest.fixture
def stories(home):
    return build_story_index(home)


def test_home_page_shows_hero_and_the_three_latest_live_stories(client, home, stories):
    for number in range(1, 5):
        build_story(stories, number)
    build_story(stories, 9, live=False, title="Draft story")

    response = client.get("/en/")

    assert response.status_code == 200
    document = soup(response)
    assert texts(document, "h1") == ["Made with skill."]
    assert texts(document, ".hero__lead") == ["Paid fairly."]
    assert texts(document, ".card__title") == ["Story 4", "Story 3", "Story 2"]
    assert document.html["lang"] == "en"
    assert document.html["dir"] == "ltr"


def test_every_page_has_a_skip_link_landmarks_and_one_h1(client, home, stories):
    build_story(stories, 1)

    for url in ["/en/", "/en/stories/", "/en/stories/story-1/", "/en/search/?q=story"]:
        document = soup(client.get(url))
        assert document.select_one("a.skip-link")["href"] == "#main", url
        assert document.select_one("main#main") is not None, url
        assert len(document.select("header.site-header")) == 1, url
        assert len(document.select("footer.site-footer")) == 1, url
        assert len(document.select("h1")) == 1, url


def test_main_navigation_lists_menu_pages_and_marks_the_current_one(client, home, stories):
    build_standard(home, "our-promise", "Our promise")
    build_standard(home, "legal", "Legal notices", in_menu=False)
    story = build_story(stories, 1)

    document = soup(client.get(story.url))

    assert texts(document, ".main-nav a") == ["Stories", "Our promise"]
    assert document.select(".main-nav a.is-ancestor")[0].get_text() == "Stories"
    assert document.select(".main-nav a[aria-current=page]") == []
    index_document = soup(client.get("/en/stories/"))
    assert texts(index_document, ".main-nav a[aria-current=page]") == ["Stories"]


def test_story_index_is_paginated_newest_first(client, home, stories):
    for number in range(1, 12):
        build_story(stories, number)

    first = soup(client.get("/en/stories/"))
    second = soup(client.get("/en/stories/?page=2"))
    beyond = soup(client.get("/en/stories/?page=99"))
    garbage = soup(client.get("/en/stories/?page=abc"))

    assert texts(first, ".card__title") == [f"Story {n}" for n in range(11, 2, -1)]
    assert texts(second, ".card__title") == ["Story 2", "Story 1"]
    assert texts(beyond, ".card__title") == ["Story 2", "Story 1"]
    assert texts(garbage, ".card__title") == texts(first, ".card__title")
    assert texts(first, ".pagination span") == ["Page 1 of 2"]


def test_story_page_shows_only_the_chosen_name(client, home, stories):
    story = build_story(stories, 1, teller_name="Samira", title="Bread at four")

    document = soup(client.get(story.url))

    assert texts(document, "h1") == ["Bread at four"]
    assert "Told by Samira" in texts(document, ".card__meta")[0]


def test_search_finds_live_pages_only(client, home, stories):
    build_story(stories, 1, title="Bread at four", teaser="Ovens before dawn.")
    build_story(stories, 2, title="Soap that takes six weeks", teaser="Olive oil.")
    build_story(stories, 3, title="Secret bread draft", live=False)

    document = soup(client.get(reverse("search"), {"q": "bread"}))

    assert texts(document, ".search-results h2") == ["Bread at four"]
    assert texts(document, "[role=status]") == ["1 result for “bread”"]


def test_search_without_a_query_shows_the_form_and_no_results(client, home):
    document = soup(client.get(reverse("search")))

    assert document.select_one("#search-page-q")["value"] == ""
    assert document.select(".search-results") == []
    assert document.select("[role=status]") == []


def test_search_refuses_post_and_truncates_long_queries(client, home):
    assert client.post(reverse("search"), {"q": "x"}).status_code == 405
    response = client.get(reverse("search"), {"q": "a" * 500})
    assert response.status_code == 200
    assert response.context["query"] == "a" * 200


def test_search_page_is_not_indexed_by_robots(client, home):
    document = soup(client.get(reverse("search"), {"q": "bread"}))
    assert document.select_one("meta[name=robots]")["content"] == "noindex"


def test_unknown_address_gets_the_branded_404(client, home):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    document = soup(response)
    assert texts(document, "h1") == ["We could not find that page"]
    assert document.select_one("header.site-header") is not None


def test_server_error_page_renders_without_the_database(rf, django_assert_num_queries):
    from brand.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_unhandled_exception_returns_the_500_page(home, settings):
    client = Client(raise_request_exception=False)
    settings.ROOT_URLCONF = "tests.brand.failing_urls"

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_sitemap_lists_live_pages_and_not_drafts(client, home, stories):
    build_story(stories, 1)
    build_story(stories, 2, live=False)

    response = client.get("/sitemap.xml")

    locations = [
        loc.get_text() for loc in BeautifulSoup(response.content, "html.parser").find_all("loc")
    ]
    assert response.status_code == 200
    assert locations == [
        "http://localhost/en/",
        "http://localhost/en/stories/",
        "http://localhost/en/stories/story-1/",
    ]


def test_the_site_map_for_people_nests_live_pages_and_links_the_xml(client, home, stories):
    build_story(stories, 1)
    build_story(stories, 2, live=False)
    build_standard(home, "about", "About")

    document = soup(client.get("/en/site-map/"))

    tree = document.select_one("main nav")
    assert [
        (link.get_text(), len(link.find_parents("ul")), link["href"]) for link in tree.select("a")
    ] == [
        ("Home", 1, "/en/"),
        ("Stories", 2, "/en/stories/"),
        ("Story 1", 3, "/en/stories/story-1/"),
        ("About", 2, "/en/about/"),
    ]
    assert document.select_one("main p a")["href"] == "/sitemap.xml"
    assert document.select_one(".site-footer nav li:last-child a")["href"] == "/en/site-map/"


def test_robots_txt_points_at_the_sitemap_and_hides_the_admin(client, home):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /en/search/\nDisallow: /fr/search/\n"
        "Disallow: /ar/search/\nSitemap: http://testserver/sitemap.xml\n"
    )


def test_footer_shows_the_brand_settings_and_texts(client, home):
    from wagtail.models import Locale, Site

    legal = build_standard(home, "legal", "Legal notices", in_menu=False)
    brand = BrandSettings.for_site(Site.objects.get())
    brand.brand_name = "Qantara Goods"
    brand.contact_email = "hello@example.org"
    brand.legal_page = legal
    brand.save()
    BrandText.objects.create(
        locale=Locale.get_default(),
        tagline="Fair work, real skills.",
        legal_notice="<p>Published by the Programme.</p>",
    )

    document = soup(client.get("/en/"))

    assert texts(document, ".site-footer__heading")[0] == "Qantara Goods"
    assert document.select_one(".site-footer a[href='mailto:hello@example.org']") is not None
    assert texts(document, ".site-footer nav a") == ["Legal notices", "Site map"]
    assert texts(document, ".site-footer__legal") == ["Published by the Programme."]
    assert texts(document, ".site-footer section p") == ["Fair work, real skills."]
    assert document.title.get_text() == "Home · Qantara Goods"


@pytest.mark.parametrize(("url", "queries"), [("/en/", 16), ("/en/stories/", 19)])
def test_listing_pages_run_a_fixed_number_of_queries(
    client, home, stories, url, queries, django_assert_num_queries
):
    """However many stories and images, a listing page runs the same queries: images and their
    renditions are fetched in bulk, the footer's pages in one query, the breadcrumbs in one."""
    from wagtail.models import Site

    from brand.demo.images import demo_image

    brand = BrandSettings.for_site(Site.objects.get())
    brand.legal_page = build_standard(home, "legal", "Legal notices", in_menu=False)
    brand.privacy_page = build_standard(home, "privacy", "Privacy", in_menu=False)
    brand.save()
    for number in range(1, 3):
        build_story(stories, number, image=demo_image(f"Image {number}", "bakery", number))
    client.get(url)  # warm the site-root cache and make the renditions, as a running site has

    with django_assert_num_queries(queries):
        client.get(url)
    for number in range(3, 9):
        build_story(stories, number, image=demo_image(f"Image {number}", "bakery", number))
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
