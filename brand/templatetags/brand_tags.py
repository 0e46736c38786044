"""Template tags of the brand site: the main navigation and the footer's pages."""

from django import template
from django.db.models import Subquery
from wagtail.models import Page, Site

from brand import translations
from brand.models import BrandText
from core.i18n import active_language

register = template.Library()


@register.inclusion_tag("brand/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The home page's live children marked "show in menus", one query."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        home = site.root_page.localized  # this language's home page, else the default's
        items = list(Page.objects.child_of(home).live().public().in_menu().order_by("path"))
    current_path = current.path if isinstance(current, Page) else ""
    return {
        "request": request,
        "items": [
            {
                "page": item,
                "url": item.get_url(request),
                "current": current_path == item.path,
                "ancestor": bool(current_path) and current_path.startswith(item.path),
            }
            for item in items
        ],
    }


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


@register.simple_tag
def brand_text():
    """The footer's tagline and legal notice in the active language (BrandText)."""
    return BrandText.for_active_locale()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Every language's version of this page (or its fallback), for the switcher; see
    brand.translations."""
    return translations.language_links(context["request"], context.get("page"))


@register.simple_tag
def alternate_links(links):
    """``hreflang`` alternates for the page head: real translations and ``x-default``."""
    return translations.alternate_links(links)
