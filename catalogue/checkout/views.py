"""The checkout page and the confirmation page.

The form carries a **key** (``secrets.token_urlsafe``) made when the form is first shown and kept
in the session with the prices the form showed. ``place_order`` is idempotent on that key: a
form sent twice places one order, and sending it again once placed leads to that order's
confirmation. A key that is not the session's (a form changed by hand, or one from another
visit) places nothing: the form is shown again, with a fresh key, to be checked and sent.

Never cached; ``noindex`` in the templates.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from moneyed import Money

from catalogue.cart.selectors import cart_lines, cart_total
from catalogue.cart.session import empty
from catalogue.checkout import payments
from catalogue.checkout.forms import CheckoutForm
from catalogue.checkout.placing import PriceChanged, place_order
from catalogue.models import Order
from catalogue.shipping.pricing import offered_rates
from core.i18n import active_language
from core.money import fixed_text

SESSION = "checkout"
FIELD_OF_CODE = {  # place_order's refusals that belong to one field of the form
    "country_not_delivered": "country",
    "too_heavy": "shipping",
    "rate_not_offered": "shipping",
    "shipping": "shipping",
    "payment_method": "payment_method",
}


def _see_other(*args):
    response = redirect(*args)
    response.status_code = 303
    return response


def _shown(request, lines) -> str:
    """Keep (or make) the checkout's key, and the prices this rendering shows."""
    state = request.session.get(SESSION) or {}
    key = state.get("key")
    if not key or Order.objects.filter(key=key).exists():
        key = secrets.token_urlsafe(24)
    request.session[SESSION] = {
        "key": key,
        "prices": {
            str(line.variant_id): fixed_text(line.price.amount, line.price.currency.code)
            for line in lines
        },
    }
    return key


def _render(request, form, lines, *, status=200, errors=()):
    key = _shown(request, lines)
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["key"] = key
    else:
        form.initial["key"] = key
    form.mark_errors()
    summary = [  # each error names its field, since the summary is read away from the form
        (form[name].auto_id, form[name].label, message)
        for name, messages_ in form.errors.items()
        if name in form.fields
        for message in messages_
    ]
    context = {
        "form": form,
        "lines": lines,
        "total": cart_total(lines),
        "prices_changed": any(line.price_changed for line in lines),
        "errors": [*errors, *form.non_field_errors()],
        "field_errors": summary,
    }
    return render(request, "catalogue/checkout/start.html", context, status=status)


def _form(request, lines, data=None):
    weight = sum(line.weight_grams for line in lines)
    return CheckoutForm(
        data,
        rates=offered_rates(weight),
        methods=payments.available_methods(),
        prices_changed=any(line.price_changed for line in lines),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    language = active_language()
    key = request.POST.get("key", "")
    placed = Order.objects.filter(key=key).first() if request.method == "POST" and key else None
    if placed is not None:
        return _see_other("catalogue_checkout:done", placed.access_token)  # sent again
    lines = cart_lines(request.session, language=language, request=request)
    if not lines:
        messages.info(request, _("Your cart is empty: add a product before checking out."))
        return _see_other("catalogue_cart:detail")
    if any(line.problem or line.variant is None for line in lines):
        messages.error(request, _("Some products in your cart cannot be bought as they are."))
        return _see_other("catalogue_cart:detail")
    if request.method == "GET":
        return _render(request, _form(request, lines), lines)
    form = _form(request, lines, request.POST)
    state = request.session.get(SESSION) or {}
    if key != state.get("key"):
        form.is_valid()
        return _render(
            request,
            form,
            lines,
            status=400,
            errors=[
                _(
                    "This checkout form is out of date or was changed. Check your order and "
                    "send it again."
                )
            ],
        )
    if not form.is_valid():
        return _render(request, form, lines, status=400)
    shown = state.get("prices", {})
    try:
        order = place_order(
            key=key,
            lines=[
                (
                    line.variant,
                    line.quantity,
                    Money(Decimal(shown[str(line.variant_id)]), settings.BRIDGEWORK_CURRENCY)
                    if str(line.variant_id) in shown
                    else line.seen_price,
                )
                for line in lines
            ],
            contact=form.contact(),
            shipping_rate=form.rate,
            payment_method=form.cleaned_data["payment_method"],
            language=language,
            user=request.user if request.user.is_authenticated else None,
        )
    except PriceChanged as refused:
        data = request.POST.copy()
        data.pop("accept_prices", None)  # the new prices are to be confirmed again
        return _render(
            request, _form(request, lines, data), lines, status=400, errors=refused.messages
        )
    except ValidationError as refused:
        others = []
        for error in refused.error_list:
            if (field := FIELD_OF_CODE.get(error.code)) in form.fields:
                form.add_error(field, error)
            else:
                others.extend(error.messages)
        return _render(request, form, lines, status=400, errors=others)
    empty(request.session)
    request.session.pop(SESSION, None)
    if order.payment_method == "card":  # the order is committed: now Stripe's payment page
        from catalogue.cards.views import begin

        return begin(request, order)
    return _see_other("catalogue_checkout:done", order.access_token)


@never_cache
def done(request, token):
    order = get_object_or_404(Order, access_token=token)
    method = payments.of_order(order)
    return render(
        request,
        "catalogue/checkout/done.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "instructions": method.instructions,
            **method.instructions_context(order),
        },
    )
