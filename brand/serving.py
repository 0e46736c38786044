"""Serving the site's pages: Wagtail's ``serve``, with what every visitor of an address meets the
same kept per cache generation (``core.page_cache.remember``), so that a cold render, one the
page cache does not serve (a visitor with a session), skips its queries:

- the site of the request's host;
- the route to the page: the live page that answers the address, as published, with the
  arguments its ``route`` gave (Wagtail routes one level at a time, two queries a level, then
  reads the page's own row);
- the view restrictions on the page and its ancestors (two queries, for Wagtail's check before
  serving; ``core.pages.ServedPage`` answers from them).

Wagtail's own view then serves it: its hooks, the view-restriction check and the page's
``serve`` run as always. Nothing kept here outlives a change to it: publishing, unpublishing,
moving or deleting a page, and changing a site, a locale or a view restriction each start a new
generation (``brand.cache_invalidation``); what a page's row holds besides its published content
(its latest draft, its lock) is not shown to the public. An address that answers 404 is not
kept. With the page cache off (the demo, the tests) this is Wagtail's view.
"""

from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from core import page_cache
from core.pages import ServedPage


def serve(request, path: str):
    if page_cache.enabled():
        route = page_cache.remember(f"served:{path}", request, lambda: _route(request, path))
        if route is not None:
            site, page, args, kwargs = route
            request._wagtail_site = site
            request._wagtail_route_for_request = (page, args, kwargs)
    return wagtail_views.serve(request, path)


def _route(request, path: str) -> tuple | None:
    """What is kept of ``path``'s route: ``(site, page, args, kwargs)``, the page with its view
    restrictions; None when nothing answers it."""
    site = Site.find_for_request(request)
    route = Page.route_for_request(request, path)
    if site is None or route is None:
        return None
    page, args, kwargs = route
    if not isinstance(page, ServedPage):
        return None
    page.served_view_restrictions = list(page.get_view_restrictions())
    return (site, page, args, kwargs)
