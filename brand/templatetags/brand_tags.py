"""Template tags of the brand site: the main navigation, the footer's pages and the page's head
(description, canonical address, link previews and structured data)."""

from django import template
from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from wagtail.models import Page, Site

from brand import seo, translations
from brand.models import BrandText, HomePage, StoryPage
from core import page_cache
from core.i18n import active_language

register = template.Library()


@register.inclusion_tag("brand/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The home page's live children marked "show in menus", one query, in the default
    language's order in every language (a translation's place in its tree depends on when it
    was made, so each is ordered by its source's)."""
    request = context["request"]
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "request": request,
        "items": [
            {
                "title": title,
                "url": url,
                "current": current_path == path,
                "ancestor": bool(current_path) and current_path.startswith(path),
            }
            for title, url, path in page_cache.remember(
                "main-nav", request, lambda: main_nav_entries(request)
            )
        ],
    }


def main_nav_entries(request) -> list[tuple[str, str, str]]:
    """The menu's (title, address, tree path) in the active language, the same on every page
    of it, so kept with the site's chrome (core.page_cache)."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    home = site.root_page.localized  # this language's home page, else the default's
    source_path = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale_id=site.root_page.locale_id
    ).values("path")[:1]
    items = (
        Page.objects.child_of(home)
        .live()
        .public()
        .in_menu()
        .annotate(source_path=Coalesce(Subquery(source_path), "path"))
        .order_by("source_path", "path")
    )
    return [(item.title, item.get_url(request), item.path) for item in items]


@register.simple_tag
def footer_pages(brand_settings):
    """The legal, privacy and accessibility pages that are set and live, in that order, each in the
    active language where translated (else as set); one query."""
    ids = [
        pk
        for pk in (
            brand_settings.legal_page_id,
            brand_settings.privacy_page_id,
            brand_settings.accessibility_page_id,
        )
        if pk
    ]
    active = active_language()
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    candidates = (
        Page.objects.live().filter(translation_key__in=Subquery(keys)).select_related("locale")
    )
    chosen, by_key = {}, {}
    for candidate in candidates:
        if candidate.pk in ids:
            chosen.setdefault(candidate.translation_key, candidate)
            by_key[candidate.pk] = candidate.translation_key
        if candidate.locale.language_code == active:
            chosen[candidate.translation_key] = candidate
    return [chosen[by_key[pk]] for pk in ids if pk in by_key]


@register.simple_tag(takes_context=True)
def brand_text(context):
    """The footer's tagline, address and legal notice in the active language (BrandText); read
    once per request, the head's structured data and the footer sharing it."""
    request = context.get("request")
    if request is None:
        return BrandText.for_active_locale()
    if not hasattr(request, "_bridgework_brand_text"):
        request._bridgework_brand_text = BrandText.for_active_locale()
    return request._bridgework_brand_text


@register.simple_tag(takes_context=True)
def language_links(context):
    """Every language's version of this page (or its fallback), for the switcher; see
    brand.translations. A page's are kept with the site's chrome (core.page_cache) and read once
    per request; other views' (search) depend on the query string, so they are not."""
    request, page = context["request"], context.get("page")
    if isinstance(page, Page) and page.pk:
        read = getattr(request, "_bridgework_language_links", {})  # the head's and the switcher's
        if page.pk not in read:
            read[page.pk] = page_cache.remember(
                f"language-links:{page.pk}",
                request,
                lambda: translations.language_links(request, page),
            )
            request._bridgework_language_links = read
        return read[page.pk]
    return translations.language_links(request, page)


@register.simple_tag
def alternate_links(links):
    """``hreflang`` alternates for the page head: real translations and ``x-default``."""
    return translations.alternate_links(links)


@register.filter
def with_brand(title, brand_name):
    """The ``<title>``: the page's title and the brand once (brand.seo.page_title)."""
    return seo.page_title(str(title).strip(), brand_name)


@register.inclusion_tag("brand/includes/page_head.html", takes_context=True)
def page_head(context):
    """Description, canonical address, Open Graph, Twitter and JSON-LD of a Wagtail page; empty
    for other views (search, errors). A product's page adds its type, image and ``Product``
    from its context (``product_seo``). Two queries: the page's ancestors and, where the page has
    an image, its share-sized rendition. The same for every visitor of a page, so kept with
    the site's chrome (core.page_cache)."""
    page, request = context.get("page"), context["request"]
    if not isinstance(page, Page):
        return {}
    return page_cache.remember(
        f"page-head:{page.pk}", request, lambda: _page_head(context, page, request)
    )


def _page_head(context, page: Page, request) -> dict:
    brand = context["settings"]["brand"]["BrandSettings"]
    language = active_language()
    trail = list(page.get_ancestors(inclusive=True).filter(depth__gte=2).specific(defer=True))
    canonical = page.get_full_url(request)
    image = seo.share_image(page)
    head = seo.PageHead(
        title=page.seo_title or page.title,
        description=seo.description(page),
        canonical=canonical,
        kind="article" if isinstance(page, StoryPage) else "website",
        locale=seo.OG_LOCALES.get(language, language),
        image=request.build_absolute_uri(image.get_rendition(seo.SHARE_IMAGE).url) if image else "",
    )
    home_url = trail[0].get_full_url(request) if trail else canonical
    publisher = seo.organization(
        brand,
        brand_text(context) if isinstance(page, HomePage) else None,
        home_url,
        request.build_absolute_uri(static("brand/icons/icon-512.png")),
    )
    if isinstance(page, HomePage):
        head.structured.append(publisher)
    if isinstance(page, StoryPage):
        head.structured.append(seo.article(page, head, publisher, language))
    if product := context.get("product_seo"):  # catalogue.products.detail
        head.kind = product["kind"]
        head.image = product["image"] or head.image
        head.structured.append(seo.product(product["structured"], publisher))
    if len(trail) > 1:
        head.structured.append(
            seo.breadcrumbs([(crumb.title, crumb.get_full_url(request)) for crumb in trail])
        )
    return {"head": head, "brand_name": brand.brand_name}


@register.simple_tag
def admin_site_name():
    """The back office's name (``WAGTAIL_SITE_NAME``): the brand, never "Wagtail"."""
    return settings.WAGTAIL_SITE_NAME
