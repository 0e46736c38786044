"""The brand site's few views outside the page tree: search, robots.txt, the sitemap, the web app
manifest and the error pages."""

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
from wagtail.models import Locale, Page

from brand.models import BrandSettings
from brand.sitemap import LocalizedSitemap

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    """Full-text search over the live, public pages of the brand site in the active language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .specific()
            .search(query, operator="and")
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


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page renders without the database or context processors: they may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def sitemap(request):
    """Every language's pages with their ``hreflang`` alternates (brand.sitemap)."""
    return django_sitemap(request, sitemaps={"pages": LocalizedSitemap(request)})
