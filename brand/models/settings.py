"""Site settings an administrator edits in the admin (Settings → Brand).

Settings hold what is the same in every language; the words the public reads in the footer (tagline,
postal address, legal notice) are the translatable ``BrandText`` snippet.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from core import page_cache


@register_setting(icon="site")
class BrandSettings(BaseSiteSetting):
    brand_name = models.CharField(_("brand name"), max_length=80, default="Bridgework")
    country_name = models.CharField(_("country"), max_length=80, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notices page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("brand_name"), FieldPanel("country_name")],
            heading=_("Brand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Legal notices"),
        ),
    ]

    class Meta:
        verbose_name = _("brand settings")

    @classmethod
    def for_request(cls, request):
        """Wagtail's, read once per cache generation rather than once per request: every page
        shows the brand's name (core.page_cache; saving these settings starts a new generation,
        brand.cache_invalidation)."""
        attribute = cls.get_cache_attr_name()
        if not hasattr(request, attribute):
            site = Site.find_for_request(request)
            brand = page_cache.remember("brand-settings", request, lambda: cls.for_site(site))
            brand._request = request  # as Wagtail's: for its page_url
            setattr(request, attribute, brand)
        return getattr(request, attribute)
