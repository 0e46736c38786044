"""The sitemap: every live public page in every language, each with its ``hreflang`` alternates."""

from collections import defaultdict

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page


class LocalizedSitemap(Sitemap):
    """Wagtail's sitemap lists the site's root page tree only; with one home page per language the
    other languages' trees are its root page's translations, so they are listed too."""

    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True).values_list("path", flat=True)
        in_any_tree = Page.objects.none()
        for path in roots:
            in_any_tree = in_any_tree | Page.objects.filter(path__startswith=path)
        return in_any_tree.live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        language_of = dict(Locale.objects.values_list("pk", "language_code"))
        entries = [
            (item, info)
            for item in self.paginator.page(page).object_list
            for info in item.get_sitemap_urls(self.request)
        ]
        versions = defaultdict(list)
        for item, info in entries:
            versions[item.translation_key].append((language_of[item.locale_id], info["location"]))
        for item, info in entries:
            translations = versions[item.translation_key]
            if len(translations) > 1:
                default = dict(translations).get(settings.LANGUAGE_CODE)
                info["alternates"] = [
                    {"lang_code": code, "location": location} for code, location in translations
                ] + ([{"lang_code": "x-default", "location": default}] if default else [])
        last_mods = {info.get("lastmod") for _item, info in entries}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return [info for _item, info in entries]
