"""The catalogue as Wagtail pages: the shop's front page, its categories and its products.

Pages are translated through wagtail-localize like the brand's pages (one page per language, linked
by ``translation_key``). A product's **variants** and **images** exist **once**, on the product page
in the default language: a variant is what the shop sells and what orders, stock and the ledger
point at, so it cannot exist once per language (``core.translated_text`` says why). Their few
words (a variant's options, an image's alternative text) are translated field by field beside
them. A page in another language shows the variants of its default-language page
(``ProductPage.source``); ``catalogue.products.selectors`` reads them in a fixed number of queries.

A variant has options (size, colour…), a price in the brand's currency and exactly one workshop
SKU, whose stock it shows; an SKU is sold by one variant only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from catalogue.models.money import money_field_options
from core.pages import ServedPage
from core.translated_text import TranslatedTextField, in_language


class ShopPage(ServedPage):
    """The shop's front: every product, with filters, sorting and pages of results."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["catalogue.CategoryPage"]
    max_count_per_parent = 1  # one under each language's home page

    class Meta:
        verbose_name = _("shop")

    def get_context(self, request, *args, **kwargs):
        from catalogue.products.listing import listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(request, shop=self, category=None))
        return context

    def route(self, request, path_components):
        """A category or product below the shop in one query (catalogue.products.routing)."""
        if not path_components:
            return super().route(request, path_components)
        from catalogue.products.routing import route_below

        return route_below(self, request, path_components)


class CategoryPage(ServedPage):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("image")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["catalogue.ShopPage"]
    subpage_types = ["catalogue.ProductPage"]

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def get_context(self, request, *args, **kwargs):
        from catalogue.products.listing import listing_context

        context = super().get_context(request, *args, **kwargs)
        shop = ShopPage.objects.parent_of(self).first()
        context.update(listing_context(request, shop=shop, category=self))
        return context


class ProductPage(ServedPage):
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences, shown in listings.")
    )
    description = RichTextField(_("description"), features=["bold", "italic", "link", "ol", "ul"])
    materials = models.TextField(_("materials"), max_length=600, blank=True)
    care = models.TextField(_("care"), max_length=600, blank=True)
    tax_class = models.ForeignKey(
        "catalogue.TaxClass", verbose_name=_("tax class"), on_delete=models.PROTECT
    )
    story = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("story of a maker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A published story, told with its teller's consent, about this work."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("materials"), FieldPanel("care")], heading=_("Details")),
        InlinePanel("variants", label=_("variants")),
        InlinePanel("images", label=_("images")),
        FieldPanel("tax_class"),
        # The brand says which page type tells stories (catalogue does not import brand).
        PageChooserPanel("story", settings.BRIDGEWORK_STORY_PAGE_TYPE),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("materials"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["catalogue.CategoryPage"]
    subpage_types = []
    # Variants and images belong to the default language's page only (see the module docstring):
    # neither copied with the page nor synchronised into its translations.
    exclude_fields_in_copy = ["variants", "images"]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("description"),
        TranslatableField("materials"),
        TranslatableField("care"),
        SynchronizedField("tax_class"),
        SynchronizedField("story"),
        SynchronizedField("show_in_menus"),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    @property
    def source(self) -> "ProductPage":
        """The default language's page of this product, which holds its variants and images."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        return ProductPage.objects.get(translation_key=self.translation_key, locale=default)

    def get_context(self, request, *args, **kwargs):
        """Wagtail's context with ``product``, the product's own
        (``catalogue.products.detail.product_context``), and its ``product_seo`` for the page's
        head: both computed only when read, which a cold render does not when the page's main
        part and head are kept with the site's chrome (``core.page_cache``)."""
        from catalogue.products.detail import product_context

        context = super().get_context(request, *args, **kwargs)
        product = SimpleLazyObject(lambda: product_context(request, self))
        context["product"] = product
        context["product_seo"] = SimpleLazyObject(lambda: product["product_seo"])
        return context


class ProductVariant(Orderable):
    product = ParentalKey(ProductPage, related_name="variants", on_delete=models.CASCADE)
    sku = models.OneToOneField(
        "workshops.SKU",
        verbose_name=_("SKU"),
        on_delete=models.PROTECT,
        related_name="variant",
        help_text=_("What the workshop makes; the variant shows and sells its stock."),
    )
    options = models.CharField(
        _("options"), max_length=120, blank=True, help_text=_("For example: blue, size M.")
    )
    options_translations = TranslatedTextField(_("options in other languages"), max_length=120)
    price = MoneyField(_("price"), **money_field_options())
    weight_grams = models.PositiveIntegerField(_("weight with packaging (grams)"))
    available = models.BooleanField(
        _("on sale"), default=True, help_text=_("Off: shown as unavailable and cannot be bought.")
    )

    panels = [
        FieldPanel("sku"),
        FieldPanel("options"),
        FieldPanel("options_translations"),
        FieldPanel("price"),
        FieldPanel("weight_grams"),
        FieldPanel("available"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
        ]

    def __str__(self):
        return f"{self.product.title} {self.options}".strip()

    def options_in(self, language: str | None = None) -> str:
        return in_language(self.options, self.options_translations, language)


class ProductImage(Orderable):
    product = ParentalKey(ProductPage, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(
        _("alternative text"),
        max_length=200,
        help_text=_("What the image shows, for screen readers."),
    )
    alt_translations = TranslatedTextField(_("alternative text in other languages"), max_length=200)

    panels = [FieldPanel("image"), FieldPanel("alt"), FieldPanel("alt_translations")]

    class Meta(Orderable.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def alt_in(self, language: str | None = None) -> str:
        return in_language(self.alt, self.alt_translations, language)
