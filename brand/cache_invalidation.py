"""What empties the full-page cache (core.page_cache): every change to what a public page shows
that the brand knows of. The brand composes, so it listens here for Wagtail's and its own models'
changes; apps below it (the shop's prices and availability) call ``page_cache.invalidate()``
from their own operations.

A page published, unpublished, moved or deleted can change the menu, the language links, the
site map, the sitemap and its parent's listing as well as itself, so each empties the whole cache
(one new generation) rather than purging addresses one by one. So does a change of the brand's
settings or texts (the footer is on every page), of an image or document (renditions and links
change), of a site, a locale or a page's view restrictions (a page turned private must not stay
served from the cache). Everything takes effect when the transaction commits."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from brand.models import BrandSettings, BrandText
from core import page_cache


def empty_the_page_cache(sender, **kwargs):
    page_cache.invalidate()


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(empty_the_page_cache, dispatch_uid=f"page_cache.{id(signal)}")
# Deleting a page of any type deletes its Page row too, which sends this (descendants included).
post_delete.connect(empty_the_page_cache, sender=Page, dispatch_uid="page_cache.page_deleted")

SHOWN_ON_PUBLIC_PAGES = (
    BrandSettings,
    BrandText,
    Site,
    Locale,
    PageViewRestriction,
    get_image_model(),
    get_document_model(),
)
for model in SHOWN_ON_PUBLIC_PAGES:
    for signal in (post_save, post_delete):
        signal.connect(
            empty_the_page_cache,
            sender=model,
            dispatch_uid=f"page_cache.{model._meta.label}.{id(signal)}",
        )
