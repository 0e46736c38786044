"""What a page tells search engines and link previews: its title, description, canonical address,
Open Graph and Twitter tags, and JSON-LD (``Organization`` on the home page, ``Article`` on a
story, ``Product`` with an ``Offer`` a variant on a product, ``BreadcrumbList`` on every page below the
home page).

Everything here is already public on the page itself: a story's teaser, image and the name its
teller chose. Nothing names a worker otherwise (no reference, prison number or legal name).
"""

import json
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from wagtail.models import Page

DESCRIPTION_LENGTH = 160  # what search engines show of a description
SHARE_IMAGE = "fill-1200x630"  # Open Graph's recommended size
# Open Graph names a locale by language and territory.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_AR"}
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def page_title(title: str, brand_name: str) -> str:
    """The ``<title>``: the page's title and the brand, once. A title that already names the
    brand (a home page called after it) is not followed by it again."""
    if not title:
        return brand_name
    if brand_name.casefold() in title.casefold():
        return title
    return f"{title} · {brand_name}"


def description(page: Page) -> str:
    """The page's search description, else its introduction (a story's teaser, a product's
    summary, a home page's hero text), as plain text cut at a word to ``DESCRIPTION_LENGTH`` characters."""
    for text in (
        page.search_description,
        getattr(page, "intro", ""),
        getattr(page, "teaser", ""),
        getattr(page, "summary", ""),
        getattr(page, "hero_text", ""),
    ):
        text = " ".join(strip_tags(text or "").split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def share_image(page: Page):
    """The page's own image (a story's, the home page's hero), or None."""
    return getattr(page, "image", None) or getattr(page, "hero_image", None)


def json_ld(data: dict | list) -> SafeString:
    """``data`` as the body of a ``<script type="application/ld+json">``: JSON in which ``<``,
    ``>`` and ``&`` are escaped, so no text can close the script element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308  # nosec B308 B703: escaped above


@dataclass
class PageHead:
    title: str
    description: str
    canonical: str
    kind: str  # Open Graph's type: "website", "article" or "product"
    locale: str
    image: str = ""
    structured: list = field(default_factory=list)

    @property
    def structured_json(self) -> list[SafeString]:
        return [json_ld(item) for item in self.structured]


def organization(brand, text, home_url: str, logo_url: str) -> dict:
    """``brand`` is the site's BrandSettings, ``text`` the active language's BrandText or None."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": brand.brand_name,
        "url": home_url,
        "logo": logo_url,
    }
    if brand.contact_email:
        data["email"] = brand.contact_email
    if brand.contact_phone:
        data["telephone"] = brand.contact_phone
    lines = [line.strip() for line in (text.postal_address if text else "").splitlines()]
    if any(lines):
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(filter(None, lines)),
        }
    return data


def article(story, head: PageHead, publisher: dict, language: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": head.description,
        "datePublished": story.date.isoformat(),
        "inLanguage": language,
        "mainEntityOfPage": head.canonical,
        "author": {"@type": "Organization", "name": publisher["name"], "url": publisher["url"]},
        "publisher": {
            "@type": "Organization",
            "name": publisher["name"],
            "logo": {"@type": "ImageObject", "url": publisher["logo"]},
        },
    }
    if story.last_published_at:
        data["dateModified"] = story.last_published_at.isoformat()
    if head.image:
        data["image"] = head.image
    return data


def product(data: dict, publisher: dict) -> dict:
    """A product's ``Product`` (catalogue.products.detail), made by the brand."""
    return {**data, "brand": {"@type": "Brand", "name": publisher["name"]}}


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """``trail`` is (name, address) from the home page to the page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
