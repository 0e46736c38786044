"""The buyer's e-mails about a quote, in the quote's language, sent through a task
(``core.mail``): that the request arrived, and that the quote is ready (with the link to its page,
where the PDF is and where it is accepted or declined). Nothing in them names a maker."""

from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from catalogue.models import Quote, ShopSettings
from core.formatting import format_day
from core.mail import send_templated_email

KINDS = ("requested", "sent")


def quote_url(quote: Quote) -> str:
    """The absolute address of ``quote``'s page for its buyer, in the quote's language."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    with translation.override(quote.language):
        return root + reverse("catalogue_quotes:quote", args=[quote.access_token])


def send_quote_email(quote: Quote, *, kind: str):
    """Queue ``quote``'s e-mail of ``kind`` (one of ``KINDS``) to its buyer."""
    if kind not in KINDS:
        raise ValueError(f"Unknown quote e-mail: {kind}")
    context = {
        "quote": quote,
        "lines": list(quote.lines.all()),
        "shop": ShopSettings.load(),
        "quote_url": quote_url(quote),
        "valid_until": format_day(quote.valid_until, quote.language) if quote.valid_until else "",
    }
    return send_templated_email(
        template=f"catalogue/email/quote_{kind}",
        context=context,
        to=[quote.email],
        language=quote.language,
    )
