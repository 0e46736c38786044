"""The full-page cache: public pages kept whole for anonymous visitors, and the site's chrome kept
per language for everyone.

**What is cached.** A GET (or HEAD) request is looked up only when it carries nothing of its own:
no cookie but the harmless ones (``BRIDGEWORK_PAGE_CACHE_COOKIES``: the CSRF and language
cookies; a session cookie, the messages cookie or any unknown one means "served cold"), no
``Authorization`` header, and an address outside ``BRIDGEWORK_PAGE_CACHE_EXCLUDE`` (the back
office, files, documents, verification, Stripe, the cart, checkout and orders). Its answer is
stored only when it is a 200 that is not streamed, sets no cookie, does not vary on anything but
the language, did not touch the session's contents or the messages, holds no CSRF token, and is
not marked ``Cache-Control: private``, ``no-cache`` or ``no-store`` by its view (``never_cache``,
``cache_control(private=True)``): a view whose answer depends on the visitor says so that way.
So a visitor with a session (a cart, a signed-in editor) never gets another visitor's page, and
nobody gets another visitor's cart count, language or CSRF token.

The key is the scheme, host, the full path with its query string, the active language and the
*generation*; answers carry ``X-Cache: hit`` or ``miss`` and, on a hit, ``Age``. Entries live
``BRIDGEWORK_PAGE_CACHE_SECONDS`` at most, which bounds how stale figures computed from records
(the impact page) can be.

**Invalidation API**, for every app (``core`` is importable by all)::

    from core import page_cache

    page_cache.invalidate()  # after this transaction commits, no page cached before is served

It replaces the generation, part of every key, by a new unique value once the current transaction
commits (at once outside one), so every page and fragment cached earlier is left to expire
unread. Call it from any operation that changes what a public page shows: the brand calls it when
a page is published, unpublished, moved or deleted, when site settings, snippets, images,
documents or sites change (``brand/signals.py``); the shop calls it when a price changes or a
product's availability flips. Replacing instead of incrementing means two invalidations racing
can never both leave the same value behind.

**The site's chrome.** ``remember(name, request, compute)`` keeps a value that is the same for
every visitor (the main menu's entries and the rendered footer of a language, a page's language
links) under the same generation, so that cold renders skip it too;
``{% load page_cache %}{% chrome "footer" %}…{% endchrome %}`` does it for a piece of template.

**The cache itself** is the ``pages`` cache alias, which every process serving the site must
share, or an invalidation in one process would not reach the others: Redis when ``REDIS_URL`` is
set, otherwise files in ``BRIDGEWORK_PAGE_CACHE_DIR`` (shared by the processes of one machine).
``BRIDGEWORK_PAGE_CACHE=no`` switches all of it off (the default in the demo and the tests).
"""

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
CSRF_FIELD = b'name="csrfmiddlewaretoken"'
REFUSING_CACHE_CONTROL = {"private", "no-cache", "no-store"}
KEYED_VARY = {"accept-language"}  # the active language is part of the key


def enabled() -> bool:
    return settings.BRIDGEWORK_PAGE_CACHE


def invalidate() -> None:
    """Forget every cached page and fragment once the current transaction commits."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    caches[CACHE_ALIAS].set(GENERATION_KEY, uuid.uuid4().hex, None)


def generation(request=None) -> str:
    """The current generation, read once per request; a lost one (evicted, or a new cache) is
    replaced by a new value, never by one used before."""
    if request is not None and hasattr(request, "_page_cache_generation"):
        return request._page_cache_generation
    pages = caches[CACHE_ALIAS]
    value = pages.get(GENERATION_KEY)
    if value is None:
        pages.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = pages.get(GENERATION_KEY)
    if request is not None:
        request._page_cache_generation = value
    return value


def _key(kind: str, request, name: str) -> str:
    where = f"{request.scheme}://{request.get_host()}|{get_language()}|{name}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"{kind}:{generation(request)}:{digest}"


def remember(name: str, request, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept per host, language and generation under ``name``: for what every
    visitor of a page or of a language meets the same. Computed every time when the cache is off
    and for an editor's preview (Wagtail's ``is_preview`` and ``is_dummy`` requests), which shows
    a draft under the page's own id and must neither read nor leave what the public gets.

    A value kept under a name outlives a deployment until the generation changes: a change to
    what ``compute`` returns (its shape) takes a new name."""
    if not enabled() or _previewing(request):
        return compute()
    pages = caches[CACHE_ALIAS]
    key = _key("chrome", request, name)
    value = pages.get(key)
    if value is None:
        value = compute()
        pages.set(key, value, settings.BRIDGEWORK_PAGE_CACHE_SECONDS)
    return value


def _previewing(request) -> bool:
    return getattr(request, "is_preview", False) or getattr(request, "is_dummy", False)


@cache
def _excluded(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def request_is_anonymous(request) -> bool:
    """Whether the request carries nothing of its own visitor, so it may get a shared page. Not
    a request for an editor's preview of a draft (Wagtail's ``is_dummy`` request)."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if _previewing(request):
        return False
    harmless = settings.BRIDGEWORK_PAGE_CACHE_COOKIES
    if any(name not in harmless for name in request.COOKIES):
        return False
    return not _excluded(tuple(settings.BRIDGEWORK_PAGE_CACHE_EXCLUDE)).match(request.path_info)


def response_is_shareable(request, response) -> bool:
    """Whether an answer to an anonymous request may be given to every other one."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & REFUSING_CACHE_CONTROL:
        return False
    vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", ""))}
    if vary - KEYED_VARY - {""}:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or len(messages)):
        return False
    return CSRF_FIELD not in response.content


class PageCacheMiddleware:
    """Serves and stores whole pages; placed after the language is chosen (``brand.locale``) and
    before everything that only a cold render needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not request_is_anonymous(request):
            return self.get_response(request)
        pages = caches[CACHE_ALIAS]
        key = _key("page", request, request.get_full_path())
        entry = pages.get(key)
        if entry is not None:
            return self.replay(entry)
        response = self.get_response(request)
        if request.method == "GET" and response_is_shareable(request, response):
            patch_vary_headers(response, ("Cookie",))
            entry = (time.time(), response.status_code, list(response.items()), response.content)
            pages.set(key, entry, settings.BRIDGEWORK_PAGE_CACHE_SECONDS)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def replay(entry) -> HttpResponse:
        stored_at, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for field, value in headers:
            response[field] = value
        response["Age"] = str(max(0, int(time.time() - stored_at)))
        response["X-Cache"] = "hit"
        return response
