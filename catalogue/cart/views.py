"""The cart's pages: the cart itself, and the forms that add, change and remove its lines.

Each change is a POST that redirects back to the cart (303), so it works without JavaScript;
``catalogue/js/cart.js`` sends the same forms in the background and swaps the cart in place. A
refused change answers 400 with the cart as it was and the reason beside the line. The cart is
never cached and is not for search engines (``noindex`` in its template).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalogue.cart.operations import (
    CartRefused,
    add_to_cart,
    change_quantity,
    parse_variant_id,
    remove_from_cart,
)
from catalogue.cart.selectors import MAX_QUANTITY, cart_lines, cart_total
from core.i18n import active_language

NEXT = "cart_next"  # where "Continue shopping" leads: the page the last product was added from


def back_to_cart():
    """303 See Other: the browser shows the cart with GET, and a reload sends nothing again."""
    response = redirect("catalogue_cart:detail")
    response.status_code = 303
    return response


def render_cart(request, *, status=200, errors=(), line_errors=None):
    lines = cart_lines(request.session, language=active_language(), request=request)
    for line in lines:
        line.error = (line_errors or {}).get(line.variant_id, "")
    context = {
        "lines": lines,
        "total": cart_total(lines),
        "count": sum(line.quantity for line in lines),
        "can_check_out": bool(lines) and not any(line.problem for line in lines),
        "prices_changed": any(line.price_changed for line in lines),
        "errors": list(errors),
        "max_quantity": MAX_QUANTITY,
        "continue_url": request.session.get(NEXT, ""),
    }
    return render(request, "catalogue/cart/detail.html", context, status=status)


@never_cache
@require_GET
def detail(request):
    return render_cart(request)


def is_same_origin(request) -> bool:
    """The request was sent by a page of this site: its ``Origin`` header (else its
    ``Referer``'s scheme and host) is this site's, or one of ``CSRF_TRUSTED_ORIGINS``."""
    ours = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin in ours
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" in ours


@csrf_exempt
@never_cache
@require_POST
def add(request):
    """Add a variant to the cart (POST ``variant``, ``quantity``, ``next``).

    Why no CSRF token: product pages are served whole from the page cache to visitors without a
    session (``core.page_cache``), so they cannot carry a token, which is per visitor. Instead
    the request must come from this site's own pages: its ``Origin`` header, or failing that its
    ``Referer``, must be this site (browsers send ``Origin`` on every cross-site POST, and a
    page cannot forge either). A request with neither is refused, 403. What a forged request
    could do is small anyway: put an item in a cart, which the visitor sees and can remove;
    nothing is bought or reserved without the checkout, which has a token and a key of its own.
    """
    if not is_same_origin(request):
        return HttpResponseForbidden(_("This form must be sent from the shop's own pages."))
    try:
        _variant, title = add_to_cart(
            request.session,
            variant_id=request.POST.get("variant"),
            quantity=request.POST.get("quantity", "1"),
            language=active_language(),
        )
    except CartRefused as refused:
        return render_cart(request, status=400, errors=refused.messages)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = next_url
    messages.success(request, _("Added to your cart: %(product)s.") % {"product": title})
    return back_to_cart()


def _variant_id(request):
    try:
        return parse_variant_id(request.POST.get("variant"))
    except CartRefused:
        return None


@never_cache
@require_POST
def update(request):
    """Change a line's quantity (POST ``variant``, ``quantity``)."""
    lines = cart_lines(request.session, language=active_language(), request=request)
    try:
        line = change_quantity(
            request.session,
            variant_id=request.POST.get("variant"),
            quantity=request.POST.get("quantity"),
            lines=lines,
        )
    except CartRefused as refused:
        return _refused(request, refused)
    messages.success(
        request,
        _("%(product)s: quantity changed to %(quantity)s.")
        % {"product": line.title, "quantity": request.POST.get("quantity", "").strip()},
    )
    return back_to_cart()


@never_cache
@require_POST
def remove(request):
    """Take a line out of the cart (POST ``variant``)."""
    lines = cart_lines(request.session, language=active_language(), request=request)
    try:
        line = remove_from_cart(
            request.session, variant_id=request.POST.get("variant"), lines=lines
        )
    except CartRefused as refused:
        return _refused(request, refused)
    messages.success(request, _("Removed from your cart: %(product)s.") % {"product": line.title})
    return back_to_cart()


def _refused(request, refused: CartRefused):
    variant_id = _variant_id(request)
    if variant_id is None:
        return render_cart(request, status=400, errors=refused.messages)
    message = " ".join(refused.messages)
    return render_cart(request, status=400, errors=[message], line_errors={variant_id: message})
