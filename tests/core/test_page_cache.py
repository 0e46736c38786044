"""The full-page cache's rules (core.page_cache), on views made for them
(tests/core/page_cache_urls.py): what is kept, what is refused, who is served cold, and the
generation that empties it."""

import pytest
from django.core.cache import caches
from django.test import Client

from core import page_cache
from tests.core.page_cache_urls import RUNS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.BRIDGEWORK_PAGE_CACHE = True
    settings.ROOT_URLCONF = "tests.core.page_cache_urls"
    caches["pages"].clear()
    RUNS.clear()
    yield
    caches["pages"].clear()


def visitor_with_cart(count: int) -> Client:
    client = Client()
    session = client.session
    session["cart"] = count
    session.save()
    return client


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache():
    first = Client().get("/plain/")
    second = Client().get("/plain/")
    head = Client().head("/plain/")

    assert (first.status_code, first["X-Cache"], first.content) == (200, "miss", b"language en")
    assert (second.status_code, second["X-Cache"], second.content) == (200, "hit", b"language en")
    assert head["X-Cache"] == "hit"
    assert second["Age"] == "0"
    assert "Cookie" in second["Vary"]
    assert second["Content-Type"] == first["Content-Type"]
    assert RUNS["/plain/"] == 1


def test_the_query_string_is_part_of_the_key():
    Client().get("/plain/?page=1")
    second = Client().get("/plain/?page=2")
    again = Client().get("/plain/?page=1")

    assert (second["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert RUNS["/plain/"] == 2


def test_a_visitor_with_a_cart_is_served_cold_and_never_gets_nor_gives_a_cart_count():
    shopper = visitor_with_cart(3)

    theirs = shopper.get("/shelf/")
    anonymous = Client().get("/shelf/")
    theirs_again = shopper.get("/shelf/")
    another_anonymous = Client().get("/shelf/")

    assert (theirs.content, theirs.has_header("X-Cache")) == (b"Cart (3)", False)
    assert (anonymous.content, anonymous["X-Cache"]) == (b"Cart (0)", "miss")
    assert (theirs_again.content, theirs_again.has_header("X-Cache")) == (b"Cart (3)", False)
    assert (another_anonymous.content, another_anonymous["X-Cache"]) == (b"Cart (0)", "hit")
    assert RUNS["/shelf/"] == 3


def test_each_language_is_kept_apart_and_never_served_in_another():
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/plain/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/plain/")
    by_cookie = Client()
    by_cookie.cookies["django_language"] = "ar"
    arabic = by_cookie.get("/plain/")
    french_again = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/plain/")

    assert (french.content, french["X-Cache"]) == (b"language fr", "miss")
    assert (english.content, english["X-Cache"]) == (b"language en", "miss")
    assert (arabic.content, arabic["X-Cache"]) == (b"language ar", "miss")
    assert (french_again.content, french_again["X-Cache"]) == (b"language fr", "hit")
    assert french_again["Content-Language"] == "fr"


def test_a_page_with_a_csrf_token_is_never_kept_so_no_visitor_gets_another_ones_token():
    first = Client().get("/form/")
    second = Client().get("/form/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert b"csrfmiddlewaretoken" in first.content
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert RUNS["/form/"] == 2


@pytest.mark.parametrize(
    "path",
    [
        "/message/",  # messages shown
        "/cookie/",  # a cookie set
        "/private/",  # Cache-Control: private
        "/never/",  # never_cache
        "/varies/",  # varies on a header not in the key
        "/session-write/",  # wrote to the session
        "/missing/",  # not a 200
        "/stream/",  # streamed
    ],
)
def test_answers_that_belong_to_one_visitor_or_say_so_are_never_kept(path):
    first = Client().get(path)
    second = Client().get(path)

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert RUNS[path] == 2


@pytest.mark.parametrize("path", ["/admin/plain/", "/en/checkout/"])
def test_excluded_addresses_are_not_even_looked_up(path):
    first = Client().get(path)
    second = Client().get(path)

    assert (first.has_header("X-Cache"), second.has_header("X-Cache")) == (False, False)
    assert RUNS[path] == 2


@pytest.mark.parametrize(
    "cookies, headers",
    [
        ({"sessionid": "abc"}, {}),
        ({"messages": "abc"}, {}),
        ({"unknown": "abc"}, {}),
        ({}, {"HTTP_AUTHORIZATION": "Basic YTpi"}),
    ],
)
def test_a_request_with_its_own_state_is_served_cold(cookies, headers):
    Client().get("/plain/")
    client = Client(**headers)
    for name, value in cookies.items():
        client.cookies[name] = value

    response = client.get("/plain/")

    assert response.has_header("X-Cache") is False
    assert RUNS["/plain/"] == 2


def test_a_csrf_cookie_alone_does_not_make_a_visitor_cold():
    Client().get("/plain/")
    client = Client()
    client.cookies["csrftoken"] = "x" * 32

    assert client.get("/plain/")["X-Cache"] == "hit"


def test_a_post_is_never_served_from_the_cache():
    Client().get("/plain/")

    response = Client(enforce_csrf_checks=False).post("/plain/")

    assert response.has_header("X-Cache") is False
    assert RUNS["/plain/"] == 2


def test_invalidate_empties_the_cache_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    Client().get("/plain/")

    with django_capture_on_commit_callbacks() as callbacks:
        page_cache.invalidate()
        before_commit = Client().get("/plain/")
    for callback in callbacks:
        callback()
    after_commit = Client().get("/plain/")

    assert (before_commit["X-Cache"], after_commit["X-Cache"]) == ("hit", "miss")
    assert RUNS["/plain/"] == 2


def test_a_lost_generation_is_replaced_by_a_new_one_never_an_old_one():
    Client().get("/plain/")
    used = page_cache.generation()

    caches["pages"].delete(page_cache.GENERATION_KEY)

    assert page_cache.generation() != used
    assert Client().get("/plain/")["X-Cache"] == "miss"


def test_remember_keeps_a_value_per_language_until_invalidated(rf, settings):
    calls = []

    def compute():
        calls.append(1)
        return f"menu {len(calls)}"

    request = rf.get("/plain/")
    first = page_cache.remember("menu", request, compute)
    second = page_cache.remember("menu", rf.get("/other/"), compute)
    page_cache._new_generation()
    third = page_cache.remember("menu", rf.get("/plain/"), compute)
    settings.BRIDGEWORK_PAGE_CACHE = False
    fourth = page_cache.remember("menu", rf.get("/plain/"), compute)

    assert (first, second, third, fourth) == ("menu 1", "menu 1", "menu 2", "menu 3")


def test_nothing_is_looked_up_or_kept_when_the_cache_is_off(settings):
    settings.BRIDGEWORK_PAGE_CACHE = False

    first = Client().get("/plain/")
    second = Client().get("/plain/")

    assert (first.has_header("X-Cache"), second.has_header("X-Cache")) == (False, False)
    assert RUNS["/plain/"] == 2


@pytest.mark.parametrize("flag", ["is_preview", "is_dummy"])
def test_a_preview_neither_reads_nor_leaves_what_is_remembered(rf, flag):
    """Wagtail renders an editor's preview on a request it marks: it shows a draft under the
    page's own id, which the public must never get, nor the preview the public's copy."""
    calls = []

    def compute():
        calls.append(1)
        return f"head {len(calls)}"

    public = page_cache.remember("head:7", rf.get("/plain/"), compute)
    preview = rf.get("/plain/")
    setattr(preview, flag, True)
    previewed = page_cache.remember("head:7", preview, compute)
    again = page_cache.remember("head:7", rf.get("/plain/"), compute)

    assert (public, previewed, again) == ("head 1", "head 2", "head 1")


def test_a_preview_request_is_never_looked_up_in_the_page_cache(rf):
    """Wagtail's preview runs the middleware on a dummy request with no cookie: it must get the
    draft, not the public's cached page."""
    Client().get("/plain/")
    request = rf.get("/plain/")
    request.is_dummy = True

    assert page_cache.request_is_anonymous(request) is False
    assert page_cache.request_is_anonymous(rf.get("/plain/")) is True


def render_chrome(rf, source: str, **values) -> str:
    from django.template import Context, Template

    template = Template("{% load page_cache %}" + source)
    return template.render(Context({"request": rf.get("/plain/"), **values}))


def test_a_piece_of_chrome_is_kept_per_name_and_values_and_never_without_a_value(rf):
    source = '{% chrome "card" item.pk %}{{ item.title }}{% endchrome %}'

    first = render_chrome(rf, source, item={"pk": 1, "title": "One"})
    same = render_chrome(rf, source, item={"pk": 1, "title": "Changed"})
    other = render_chrome(rf, source, item={"pk": 2, "title": "Two"})
    none = [render_chrome(rf, source, item={"title": title}) for title in ("A", "B")]

    assert (first, same, other, none) == ("One", "One", "Two", ["A", "B"])


def test_the_chrome_tag_says_how_it_is_used():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match=r'Use {% chrome "name" \[value …\] %}'):
        Template("{% load page_cache %}{% chrome footer %}{% endchrome %}")
