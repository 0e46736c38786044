"""Translates the demo through wagtail-localize, the way a translator does in the back office.

Each object gets a translation source; every string segment with a translation in
``brand.demo.translations`` is translated, and the rest fall back to the source (English), as they
would while a translator is still working. The translated pages are then published, linked to their
source by ``translation_key`` and kept in sync by wagtail-localize.
"""

from django.conf import settings
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from brand.demo.translations import TRANSLATIONS
from brand.models import BrandText, HomePage, ImpactPage, StandardPage, StoryIndexPage, StoryPage
from workshops.models import Trade

TRANSLATED_STORIES = 3  # the newest live stories are translated; the older ones show the fallback


def translate(instance, locale: Locale, strings: dict[str, str]):
    """Translate ``instance`` into ``locale`` with ``strings`` (source text → translation); returns
    the translated instance."""
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = strings.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    # What ``translation.save_target(publish=True)`` does, but publishing the page at once: it
    # defers publishing to the end of the transaction, and a parent published then from its stale
    # revision would undo the children that the seed adds under it in the meantime.
    is_page = isinstance(instance, Page)
    source.create_or_update_translation(
        translation.target_locale, publish=not is_page, fallback=True, copy_parent_pages=True
    )
    translated = instance.get_translation(locale)
    if is_page:
        translated.get_latest_revision().publish()
    return translated


def demo_objects() -> list:
    """What the demo translates, parents before children. The home page comes first, so its
    translation exists before its children are copied under it, and again last, so its hero link
    points at the translated page."""
    default = Locale.get_default()
    home = HomePage.objects.get(locale=default)
    stories = StoryIndexPage.objects.child_of(home).get()
    objects = [
        home,
        *Trade.objects.filter(locale=default).order_by("pk"),
        *BrandText.objects.filter(locale=default),
        stories,
        *StoryPage.objects.child_of(stories).live().order_by("-date")[:TRANSLATED_STORIES],
        *StandardPage.objects.child_of(home).order_by("path"),
        *ImpactPage.objects.child_of(home),
        home,
    ]
    return [obj.specific if isinstance(obj, Page) else obj for obj in objects]


def translate_demo() -> None:
    objects = demo_objects()
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE or code not in TRANSLATIONS:
            continue
        locale = Locale.objects.get(language_code=code)
        for obj in objects:
            translate(obj, locale, TRANSLATIONS[code])
