"""The brand site's page types.

Stories are about people; a story page shows only the name the person chose and consented to show
and never a worker reference, prison number or legal name (DESIGN.md, "Privacy and dignity").
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from brand.blocks import BodyBlock
from brand.forms import StoryPageForm
from core.pages import ServedPage

STORIES_PER_PAGE = 9


class HomePage(ServedPage):
    """The brand's front door: what the brand is, why it is fair, and the latest stories."""

    hero_heading = models.CharField(_("hero heading"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_text = models.CharField(_("hero link text"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_link"),
                FieldPanel("hero_link_text"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]  # one per language, each a child of the root

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = (
            StoryPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("image")
            .order_by("-date", "-pk")[:3]
        )
        return context


class StandardPage(ServedPage):
    """An ordinary content page: about the brand, how it works, legal notices."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class StoryIndexPage(ServedPage):
    """Lists the published stories, newest first."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["brand.StoryPage"]

    class Meta:
        verbose_name = _("story index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = (
            StoryPage.objects.live()
            .public()
            .child_of(self)
            .select_related("image")
            .order_by("-date", "-pk")
        )
        paginator = Paginator(stories, STORIES_PER_PAGE)
        try:
            context["stories"] = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            context["stories"] = paginator.page(1)
        except EmptyPage:
            context["stories"] = paginator.page(paginator.num_pages)
        return context


class StoryPage(ServedPage):
    """A story from the work programme, told with the consent of the person it is about.

    It names that person's story consent and cannot be published without a valid one; when the
    consent is withdrawn the story and all its translations and aliases are unpublished at once
    (``workshops.register.consents.withdraw_consent`` calls the hook that ``brand.wagtail_hooks`` handles).
    """

    date = models.DateField(_("date"))
    consent = models.ForeignKey(
        "workshops.Consent",
        verbose_name=_("story consent"),
        null=True,  # the database allows it so that unpublishing never fails; clean() requires it
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "story", "withdrawn_on__isnull": True},
        help_text=_("The signed consent of the person the story is about. Required to publish."),
    )
    teller_name = models.CharField(
        _("name shown"),
        max_length=80,
        blank=True,
        help_text=_(
            "The name the person chose and consented to show, or empty for an anonymous story. "
            "Never a legal name, prison number or worker reference."
        ),
    )
    teaser = models.TextField(_("teaser"), max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        # A plain choice of the valid story consents, each labelled by its chosen name, state and
        # dates (brand.forms): not the register's chooser, which shows whose consent it is.
        FieldPanel("consent", widget=forms.Select),
        FieldPanel("teller_name"),
        FieldPanel("teaser"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["brand.StoryIndexPage"]
    subpage_types = []
    base_form_class = StoryPageForm  # the consent chooser shows state and dates, not who
    # The person chose one name to be shown; it is the same in every language.
    override_translatable_fields = [SynchronizedField("teller_name")]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def clean(self):
        """A story names the valid story consent of the person it is about (not withdrawn), and
        shows only the name chosen in it. Checked on every save, so a story can be neither drafted
        nor published without it; unpublishing skips the check."""
        super().clean()
        errors = {}
        consent = self.consent
        if consent is None:
            errors["consent"] = _("A story names the story consent of the person it is about.")
        elif consent.kind != "story":
            errors["consent"] = _("Choose a story consent, not a work consent.")
        elif consent.withdrawn_on is not None:
            errors["consent"] = _(
                "This consent was withdrawn on %(day)s: the story cannot be saved or published."
            ) % {"day": consent.withdrawn_on}
        if consent is not None and self.teller_name and self.teller_name != consent.chosen_name:
            errors["teller_name"] = _(
                "Show only the name chosen in the consent (%(name)s), or none."
            ) % {"name": consent.chosen_name or _("no name")}
        if errors:
            raise ValidationError(errors)


class ImpactPage(ServedPage):
    """Live impact figures. Each later issue adds the figures its records make computable
    (hours worked, wages paid, certificates earned); counts under 5 are never published."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    max_count_per_parent = 1  # one under each language's home page

    def get_context(self, request, *args, **kwargs):
        """The figures come from the cache (``brand.impact``), computed only on a miss."""
        from brand.impact.figures import impact_figures
        from brand.impact.presentation import sections

        context = super().get_context(request, *args, **kwargs)
        context["impact_sections"] = sections(impact_figures())
        return context

    class Meta:
        verbose_name = _("impact page")
