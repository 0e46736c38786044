"""The buyer's quote pages, under the language prefix (``/<lang>/quotes/``):

- ``request/``: the request form (``catalogue.quotes.forms``). Its **key** is made when the form
  is shown and kept in the session, as the checkout's is: a form sent twice writes one request,
  and a key that is not the session's writes nothing. Sent requests are rate-limited per address
  (``QUOTE_REQUEST_RATE``, django-ratelimit, as certificate verification is). On success the
  buyer lands on their quote's page, which confirms the request.
- ``<token>/``: the quote's page, by its access token (the link in the e-mails): what was asked,
  the quoted prices and PDF once sent, and the accept and decline buttons while it holds.
- ``<token>/quote.pdf``, ``<token>/accept/``, ``<token>/decline/``.

Every page is personal: never cached and ``noindex``.
"""

import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from catalogue.models import Quote
from catalogue.quotes.accepting import accept_quote, decline_quote
from catalogue.quotes.documents import quote_pdf
from catalogue.quotes.forms import AcceptForm, QuoteRequestForm
from catalogue.quotes.requesting import request_quote
from catalogue.quotes.selectors import quotable_variants, quote_with_lines
from core.i18n import active_language
from core.views import private_file_response

SESSION = "quote_request"
ROBOTS = "noindex, nofollow, noarchive"
Status = Quote.Status


def personal(view):
    """Never cached and ``noindex``: what every quote page shares."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = ROBOTS
        return response

    return wrapped


def _see_other(*args):
    response = redirect(*args)
    response.status_code = 303
    return response


def _key(request) -> str:
    key = request.session.get(SESSION)
    if not key or Quote.objects.filter(key=key).exists():
        key = secrets.token_urlsafe(24)
        request.session[SESSION] = key
    return key


def _render_form(request, form, *, status=200, errors=()):
    key = _key(request)
    if form.is_bound:
        form.data = form.data.copy()
        form.data["key"] = key
    else:
        form.initial["key"] = key
    form.mark_errors()
    summary = [
        (form[name].auto_id, form[name].label, message)
        for name, messages_ in form.errors.items()
        if name in form.fields
        for message in messages_
    ]
    context = {
        "form": form,
        "errors": [*errors, *form.non_field_errors()],
        "field_errors": summary,
    }
    return render(request, "catalogue/quotes/request.html", context, status=status)


def _too_many(request):
    return is_ratelimited(
        request,
        group="quote-request",
        key="ip",
        rate=getattr(settings, "QUOTE_REQUEST_RATE", "10/h"),
        increment=True,
    )


@personal
@require_http_methods(["GET", "POST"])
def request_form(request):
    language = active_language()
    choices = quotable_variants(language)
    if request.method == "GET":
        return _render_form(request, QuoteRequestForm(choices=choices))
    key = request.POST.get("key", "")
    sent = Quote.objects.filter(key=key).first() if key == request.session.get(SESSION) else None
    if key and sent is not None:
        return _see_other("catalogue_quotes:quote", sent.access_token)  # sent again
    if _too_many(request):
        response = render(request, "catalogue/quotes/too_many.html", status=429)
        response["Retry-After"] = "3600"
        return response
    form = QuoteRequestForm(request.POST, choices=choices)
    if key != request.session.get(SESSION):
        form.is_valid()
        out_of_date = _(
            "This form is out of date or was changed. Check your request and send it again."
        )
        return _render_form(request, form, status=400, errors=[out_of_date])
    if not form.is_valid():
        return _render_form(request, form, status=400)
    try:
        quote = request_quote(
            key=key,
            contact=form.contact(),
            lines=[(variant, quantity) for variant, quantity in form.cleaned_data["lines"]],
            purchase_order_required=form.cleaned_data["purchase_order_required"],
            message=form.cleaned_data["message"],
            language=language,
        )
    except ValidationError as refused:
        return _render_form(request, form, status=400, errors=refused.messages)
    return _see_other("catalogue_quotes:quote", quote.access_token)


def _quote_or_404(token) -> Quote:
    quote = quote_with_lines(access_token=token)
    if quote is None:
        raise Http404
    return quote


def _render_quote(request, quote, *, form=None, status=200, errors=()):
    shown = quote.shown_status()
    answerable = shown == Status.QUOTED
    context = {
        "quote": quote,
        "lines": list(quote.lines.all()),
        "shown_status": shown,
        "status_label": quote.get_shown_status_display(),
        "answerable": answerable,
        "priced": quote.quoted_at is not None,
        "form": form
        or (AcceptForm(required=quote.purchase_order_required) if answerable else None),
        "errors": errors,
    }
    return render(request, "catalogue/quotes/quote.html", context, status=status)


@personal
@require_GET
def quote(request, token):
    return _render_quote(request, _quote_or_404(token))


@personal
@require_GET
def pdf(request, token):
    found = get_object_or_404(Quote, access_token=token, quoted_at__isnull=False)
    return private_file_response(quote_pdf(found))


@personal
@require_POST
def accept(request, token):
    found = _quote_or_404(token)
    form = AcceptForm(request.POST, required=found.purchase_order_required)
    if not form.is_valid():
        return _render_quote(request, found, form=form, status=400)
    try:
        accept_quote(found, purchase_order=form.cleaned_data["purchase_order"])
    except ValidationError as refused:
        return _render_quote(
            request, _quote_or_404(token), form=form, status=400, errors=refused.messages
        )
    messages.success(request, _("Thank you: the quote is accepted and your order placed."))
    return _see_other("catalogue_quotes:quote", token)


@personal
@require_POST
def decline(request, token):
    found = _quote_or_404(token)
    try:
        decline_quote(found)
    except ValidationError as refused:
        return _render_quote(request, _quote_or_404(token), status=400, errors=refused.messages)
    messages.info(request, _("The quote is declined. Thank you for telling us."))
    return _see_other("catalogue_quotes:quote", token)
