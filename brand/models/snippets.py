"""Short texts the public reads on every page, one row per language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin

from core.i18n import active_and_default_language


class BrandText(TranslatableMixin, models.Model):
    """The footer's tagline, postal address and legal notice in one language.

    Translated like a page (wagtail-localize, "Translate" in the snippet's menu). A language without
    its own row shows the default language's (``for_active_locale``).
    """

    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    postal_address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("One line per line of the address, as it is written in this language."),
    )
    legal_notice = RichTextField(
        _("legal notice"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown in the footer of every page: the publisher, registration, VAT number."),
    )

    panels = [FieldPanel("tagline"), FieldPanel("postal_address"), FieldPanel("legal_notice")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("brand text")
        verbose_name_plural = _("brand texts")

    def __str__(self):
        return self.tagline or str(_("Brand text"))

    @classmethod
    def for_active_locale(cls):
        """The active language's text, else the default language's, else None; one query."""
        active, default = active_and_default_language()
        rows = cls.objects.filter(locale__language_code__in={active, default}).select_related(
            "locale"
        )
        by_language = {row.locale.language_code: row for row in rows}
        return by_language.get(active) or by_language.get(default)
