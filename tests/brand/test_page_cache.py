"""The brand site behind the full-page cache (core.page_cache): what anonymous visitors and
visitors with a session get, and every change that must empty it (brand.cache_invalidation)."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Locale, PageViewRestriction

from brand.impact.tasks import recompute
from brand.models import BrandText
from core import page_cache
from core.testing.clients import client_with_session
from tests.brand.builders import build_home, build_standard, build_story, build_story_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def site():
    home = build_home()
    index = build_story_index(home)
    return {"home": home, "index": index, "story": build_story(index, 1)}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what waits for its commit (the invalidation) at once."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def texts(response, selector):
    document = BeautifulSoup(response.content, "html.parser")
    return [element.get_text(" ", strip=True) for element in document.select(selector)]


@pytest.fixture(params=["anonymous", "with a session"])
def visitor(request) -> Client:
    """Each change must reach both: the anonymous visitor, served from the page cache, and the
    one with a session, served cold from the route and restrictions kept per generation
    (brand.serving)."""
    return Client() if request.param == "anonymous" else client_with_session()


def cached(path: str) -> None:
    """Serve ``path`` once so that it is cached, and check that it is."""
    Client().get(path)
    assert Client().get(path)["X-Cache"] == "hit"


def test_an_anonymous_visitor_gets_pages_from_the_cache_without_a_query(
    site, django_assert_num_queries
):
    first = Client().get("/en/stories/story-1/")

    with django_assert_num_queries(0):
        second = Client().get("/en/stories/story-1/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert texts(second, "h1") == ["Story 1"]


def test_a_visitor_with_a_session_is_served_every_page_cold(site):
    cached("/en/")
    shopper = client_with_session()

    response = shopper.get("/en/")

    assert response.status_code == 200
    assert response.has_header("X-Cache") is False


def test_search_is_never_cached(site):
    first = Client().get("/en/search/?q=story")
    second = Client().get("/en/search/?q=story")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert "private" in second["Cache-Control"]


def test_publishing_a_page_empties_the_cache(site, committed):
    cached("/en/stories/")
    story = build_story(site["index"], 2, live=False)

    committed(lambda: story.save_revision().publish())
    response = Client().get("/en/stories/")

    assert response["X-Cache"] == "miss"
    assert texts(response, ".card__title") == ["Story 2", "Story 1"]


def test_unpublishing_a_page_empties_the_cache(site, committed, visitor):
    cached("/en/stories/story-1/")
    visitor.get("/en/stories/story-1/")

    committed(lambda: site["story"].unpublish())

    assert visitor.get("/en/stories/story-1/").status_code == 404


def test_moving_a_page_empties_the_cache(site, committed, visitor):
    other = build_story_index(site["home"], title="Voices", slug="voices")
    cached("/en/stories/story-1/")
    visitor.get("/en/stories/story-1/")

    committed(lambda: site["story"].move(other, pos="last-child"))

    moved = visitor.get("/en/stories/story-1/")
    assert (moved.status_code, moved["Location"]) == (301, "/en/voices/story-1/")
    assert visitor.get("/en/voices/story-1/").status_code == 200


def test_deleting_a_page_empties_the_cache(site, committed, visitor):
    cached("/en/stories/story-1/")
    visitor.get("/en/stories/story-1/")

    committed(lambda: site["story"].delete())

    assert visitor.get("/en/stories/story-1/").status_code == 404


def test_restricting_a_page_empties_the_cache(site, committed, visitor):
    cached("/en/stories/story-1/")
    visitor.get("/en/stories/story-1/")

    committed(
        lambda: PageViewRestriction.objects.create(
            page=site["index"], restriction_type=PageViewRestriction.LOGIN
        )
    )

    refused = visitor.get("/en/stories/story-1/")
    assert (refused.status_code, refused["Location"].split("?")[0]) == (302, "/en/_util/login/")


def test_recomputing_the_impact_figures_empties_the_cache(site, committed):
    used = page_cache.generation()

    committed(recompute.call)

    assert page_cache.generation() != used


def test_editing_the_brand_text_empties_the_cache_and_the_cached_footer(site, committed):
    text = BrandText.objects.create(locale=Locale.get_default(), tagline="Fair work.")
    shopper = client_with_session()
    cached("/en/")
    shopper.get("/en/")  # the footer kept for cold renders too

    def edit():
        text.tagline = "Real skills."
        text.save()

    committed(edit)

    assert texts(Client().get("/en/"), ".site-footer section p") == ["Real skills."]
    assert texts(shopper.get("/en/"), ".site-footer section p") == ["Real skills."]


def test_cold_renders_take_the_menu_from_the_cache_until_a_page_is_published(site, committed):
    shopper = client_with_session()
    shopper.get("/en/")
    page = build_standard(site["home"], "promise", "Our promise", live=False)

    before = shopper.get("/en/")
    committed(lambda: page.save_revision().publish())
    after = shopper.get("/en/stories/")

    assert texts(before, ".main-nav a") == ["Stories"]
    assert texts(after, ".main-nav a") == ["Stories", "Our promise"]
    assert texts(after, ".main-nav a[aria-current=page]") == ["Stories"]


def test_cold_renders_take_the_language_links_from_the_cache_until_a_translation_is_published(
    site, committed
):
    french = Locale.objects.get_or_create(language_code="fr")[0]
    shopper = client_with_session()
    before = shopper.get("/en/")

    committed(lambda: site["home"].copy_for_translation(french).save_revision().publish())
    after = shopper.get("/en/")

    assert [
        a["lang"]
        for a in BeautifulSoup(before.content, "html.parser").select(".language-switcher a")
    ] == ["en"]
    assert [
        a["lang"]
        for a in BeautifulSoup(after.content, "html.parser").select(".language-switcher a")
    ] == ["en", "fr"]


def test_cold_renders_skip_the_menu_and_footer_queries_once_cached(
    site, settings, django_assert_num_queries
):
    shopper = client_with_session()
    shopper.get("/en/stories/story-1/")
    settings.BRIDGEWORK_PAGE_CACHE = False
    shopper.get("/en/stories/story-1/")

    with django_assert_num_queries(18):
        shopper.get("/en/stories/story-1/")
    settings.BRIDGEWORK_PAGE_CACHE = True
    shopper.get("/en/stories/story-1/")
    # Kept per generation (brand.serving, core.page_cache): the site, the route and view
    # restrictions, the page (with its parent, which routing read), the brand's settings, the
    # menu, footer, language links and the page's head. Left: the session.
    with django_assert_num_queries(1):
        shopper.get("/en/stories/story-1/")
