"""Template tags of the brand site: the main navigation and the footer's pages."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("brand/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The home page's live children marked "show in menus", one query."""
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        items = list(
            Page.objects.child_of(site.root_page).live().public().in_menu().order_by("path")
        )
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
    """The legal, privacy and accessibility pages that are set and live, in that order, one query."""
    ids = [
        brand_settings.legal_page_id,
        brand_settings.privacy_page_id,
        brand_settings.accessibility_page_id,
    ]
    pages = Page.objects.live().in_bulk([pk for pk in ids if pk])
    return [pages[pk] for pk in ids if pk in pages]
