"""The content blocks editors build pages from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("attribution"),
        required=False,
        help_text=_("Only a name the person chose and consented to show."),
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=30)
    label = blocks.CharBlock(label=_("what it counts"), max_length=120)


class FiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(FigureBlock(), label=_("figures"))

    class Meta:
        icon = "list-ul"
        template = "blocks/figures.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=120)
    page = blocks.PageChooserBlock(label=_("page"))

    class Meta:
        icon = "link"
        template = "blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"], template="blocks/paragraph.html"
    )
    image = ImageBlock(template="blocks/image.html")
    quote = QuoteBlock()
    figures = FiguresBlock()
    call_to_action = CallToActionBlock()
