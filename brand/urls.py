"""The site's addresses.

The back office, documents, the sitemap and robots.txt have one address each; the public pages and the
search live under a language prefix (``/en/``, ``/fr/``, ``/ar/``) so every page has one address per
language for search engines (``hreflang``) and for people sharing links. ``/`` redirects to the
visitor's language (browser preference, then the default).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from brand import serving, views
from catalogue.cards.views import webhook as stripe_webhook
from core.audit_log import site_history_urls

urlpatterns = [
    # Wagtail's site history report narrowed to the entries each user may read (core.audit_log):
    # before the admin's own patterns, so that it answers at Wagtail's address.
    path("admin/reports/site-history/", include(site_history_urls)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("files/", include("core.urls")),  # private files, permission-checked
    # Certificate verification: neutral, outside the brand's language prefixes and templates.
    path("verify/", include("workshops.training.urls")),
    # Stripe's events (catalogue.cards.webhooks): no language prefix, signed by Stripe.
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("site-map/", views.site_map, name="site_map"),
    path("", include("catalogue.urls")),
    # Wagtail's serve, with the route kept per cache generation (brand.serving); its other
    # addresses (a password for a private page) from Wagtail.
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "brand.views.page_not_found"
handler500 = "brand.views.server_error"
