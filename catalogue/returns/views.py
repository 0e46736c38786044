"""The buyer's return page, ``/<lang>/orders/<token>/return/``: found by the order's access token
like the order's own page, never cached, ``noindex``. It says in words why no return can be asked
(not sent yet, the window passed, everything asked already); otherwise the form, whose refusals
come back in an error summary. A request made returns to the order's page, which lists it."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from catalogue.models import Order
from catalogue.returns.forms import ReturnForm
from catalogue.returns.operations import refusal, request_return, returnable, window_closes


def _anchor(form, name: str) -> str:
    """The id an error summary links to: a radio group's first choice, or the field."""
    if isinstance(form.fields[name].widget, forms.RadioSelect):
        return f"{form[name].auto_id}_0"
    return form[name].auto_id


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, token):
    order = get_object_or_404(Order, access_token=token)
    lines = list(order.lines.all())
    left = returnable(order)
    closed = refusal(order)
    closes = window_closes(order)
    if closed is None and not any(left.values()):
        closed = _("Every item of order %(number)s has been asked back already.") % {
            "number": order.number
        }
    errors: list[str] = []
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        left=left,
        initial={"key": secrets.token_urlsafe(24)},
    )
    if closed is None and request.method == "POST" and form.is_valid():
        try:
            request_return(
                order,
                key=form.cleaned_data["key"],
                lines=form.asked(),
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as refused:
            errors = refused.messages
        else:
            response = redirect(reverse("catalogue_orders:status", args=[token]) + "#returns")
            response.status_code = 303
            return response
    field_errors = [
        (_anchor(form, name), form[name].label, message)
        for name, messages in form.errors.items()
        if name in form.fields
        for message in messages
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/returns/ask.html",
        {
            "order": order,
            "closed": closed,
            "closes": closes and timezone.localtime(closes).date(),
            "form": form,
            "errors": errors,
            "field_errors": field_errors,
        },
        status=status,
    )
