"""Site settings an administrator edits in the admin (Settings → Brand)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


@register_setting(icon="site")
class BrandSettings(BaseSiteSetting):
    brand_name = models.CharField(_("brand name"), max_length=80, default="Bridgework")
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    country_name = models.CharField(_("country"), max_length=80, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    legal_notice = RichTextField(
        _("legal notice"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown in the footer of every page: the publisher, registration, VAT number."),
    )
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
            [FieldPanel("brand_name"), FieldPanel("tagline"), FieldPanel("country_name")],
            heading=_("Brand"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("postal_address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_notice"),
                FieldPanel("legal_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Legal notices"),
        ),
    ]

    class Meta:
        verbose_name = _("brand settings")
