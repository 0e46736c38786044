"""The brand site's few views outside the page tree: search, the site map (for people and for
machines), robots.txt, the web app manifest and the error pages."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page, Site

from brand.models import BrandSettings
from brand.sitemap import LocalizedSitemap
from core.search_text import plain_words

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
@cache_control(private=True)
def search(request):
    """Full-text search over the live, public pages of the brand site in the active language.
    Not kept by the page cache (private): every search is counted for the editors' promoted
    results, and the queries people type would only crowd the pages out of the cache."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words = plain_words(query)  # a stray bracket or quote is not the backend's syntax
    results = Page.objects.none()
    if words:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .specific()
            .search(words, operator="and")
        )
        Query.get(query).add_hit()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "brand/search.html", {"query": query, "results": page})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    searches = [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *", "Disallow: /admin/", *searches, f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def web_manifest(request):
    """The web app manifest: the brand's name and icons, for a phone's home screen."""
    brand = BrandSettings.for_request(request)
    icons = [
        {"src": static("brand/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("brand/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("brand/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("brand/icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "name": brand.brand_name,
        "short_name": brand.brand_name,
        "start_url": "/",
        "display": "browser",
        "background_color": "#faf7f2",
        "theme_color": "#0b5d56",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def favicon(request):
    """Browsers that ask for ``/favicon.ico`` before reading the page get the icon's address."""
    return HttpResponsePermanentRedirect(static("brand/icons/favicon.svg"))


@require_GET
def site_map(request):
    """The site map for people: this language's live, public pages as a tree under its home page
    (one query), beside a link to ``sitemap.xml`` for machines."""
    site = Site.find_for_request(request)
    tree = []
    if site is not None:
        home = site.root_page.localized
        pages = Page.objects.live().public().descendant_of(home, inclusive=True).order_by("path")
        tree = _nested(list(pages), home.depth)
    return render(request, "brand/site_map.html", {"tree": tree})


def _nested(pages: list[Page], top: int) -> list[dict]:
    """Pages in path order as nested ``{"page", "children"}`` from depth ``top``; a page whose
    parent is not listed (not live, private) is left out with its descendants."""
    roots, open_by_path = [], {}
    for page in pages:
        node = {"page": page, "children": []}
        if page.depth == top:
            roots.append(node)
        else:
            parent = open_by_path.get(page.path[: -Page.steplen])
            if parent is None:
                continue
            parent["children"].append(node)
        open_by_path[page.path] = node
    return roots


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page renders without the database or context processors: they may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def sitemap(request):
    """Every language's pages with their ``hreflang`` alternates (brand.sitemap)."""
    return django_sitemap(request, sitemaps={"pages": LocalizedSitemap(request)})
