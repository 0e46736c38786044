"""Which language versions of a page exist, for the language switcher, ``hreflang`` and the sitemap.

The fallback for an untranslated page (documented in the README): the switcher still offers every
language, and for a language the page has not been translated into it leads to the nearest ancestor
that has been (a story's index, else the home page) in that language, marked as "not translated
yet". ``hreflang`` alternates and the sitemap list only real translations.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Subquery
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page

from core.i18n import active_language, direction


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # the language's name in itself ("Français", "العربية"): a reader looks for their own
    url: str
    absolute_url: str
    current: bool
    translated: bool  # False: the link falls back to the nearest translated ancestor
    dir: str


def page_language_versions(page: Page) -> dict[str, Page]:
    """For each language, the page's own translation or its nearest translated ancestor; one query.

    The language trees mirror each other (wagtail-localize keeps them so), so the page and its
    ancestors are found by ``translation_key`` in every locale at once.
    """
    prefixes = [page.path[: Page.steplen * depth] for depth in range(2, page.depth + 1)]
    keys = Page.objects.filter(path__in=prefixes).values("translation_key")
    candidates = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=Subquery(keys))
        .select_related("locale")
        .order_by("-depth")
    )
    versions: dict[str, Page] = {}
    for candidate in candidates:  # deepest first: the page itself before its ancestors
        versions.setdefault(candidate.locale.language_code, candidate)
    return versions


def language_links(request, page: Page | None = None) -> list[LanguageLink]:
    current = active_language()
    versions = page_language_versions(page) if isinstance(page, Page) and page.depth > 1 else None
    links = []
    for code, _name in settings.LANGUAGES:
        translated = True
        if versions is None:
            url = translate_url(request.get_full_path(), code)
        elif code in versions:
            target = versions[code]
            translated = target.translation_key == page.translation_key
            url = target.get_url(request)
        else:
            continue  # not even the home page exists in this language yet
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                absolute_url=request.build_absolute_uri(url),
                current=code == current,
                translated=translated,
                dir=direction(code),
            )
        )
    return links


def alternate_links(links: list[LanguageLink]) -> list[tuple[str, str]]:
    """``(hreflang, absolute URL)`` for each real translation among ``links``, plus ``x-default``
    (the default language's version)."""
    alternates = [(link.code, link.absolute_url) for link in links if link.translated]
    default = dict(alternates).get(settings.LANGUAGE_CODE)
    if default and len(alternates) > 1:
        alternates.append(("x-default", default))
    return alternates
