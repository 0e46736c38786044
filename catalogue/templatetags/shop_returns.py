"""Returns on the buyer's order page and in their e-mails: ``{% order_returns order %}`` (the
link to ask for a return while it may be asked, and the returns asked so far, with their state)
and ``{% return_url order %}`` (the return page's absolute address, for e-mails)."""

from django import template
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from catalogue.returns.operations import refusal, returnable

register = template.Library()


@register.inclusion_tag("catalogue/returns/order_returns.html")
def order_returns(order):
    returns = list(order.returns.prefetch_related("lines__order_line").order_by("requested_at"))
    open_ = refusal(order) is None and any(returnable(order).values())
    return {"order": order, "returns": returns, "may_ask": open_}


@register.simple_tag
def return_url(order) -> str:
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    with translation.override(order.language):
        return root + reverse("catalogue_returns:ask", args=[order.access_token])
