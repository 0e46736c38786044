"""Card payment's pages, found by the order's access token, never cached, ``noindex``; and
Stripe's webhook.

- ``pay`` (POST): open the secure payment page, a Checkout Session (``start_payment``), and send
  the buyer there (303). The "try again" button names the attempt it replaces, so a double click
  opens one new page. The card provider's refusal comes back in words on the ``choices`` page.
- ``paid``: where Stripe sends the buyer back after paying. It never marks anything paid (anyone
  can open it): it says the payment is being confirmed and reloads itself every
  ``REFRESH_SECONDS`` seconds, at most ``REFRESH_TIMES`` times (WCAG 2.2.1: the buyer is told,
  can check at once with a link, and the page stops on its own), until Stripe's event paid the
  order; then it shows the confirmation.
- ``choices``: where Stripe sends the buyer back without paying, and where a refusal is shown:
  try the card again (a new attempt) or pay on invoice instead (``switch``, POST).
- ``webhook``: ``POST /stripe/webhook/``, no language prefix, no CSRF token (Stripe's signature
  is the proof, ``catalogue.cards.webhooks``): 400 for a bad signature, 200 otherwise, 405 for
  any other method.
"""

import logging

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalogue.cards.sessions import CardPaymentRefused, refusal_for, start_payment
from catalogue.cards.switching import switch_to_invoice
from catalogue.cards.webhooks import BadEvent, receive
from catalogue.models import CardCheckout, Order

logger = logging.getLogger(__name__)
REFRESH_SECONDS = 5
REFRESH_TIMES = 24  # two minutes; then the buyer is told the e-mail will follow


def _see_other(to, *args):
    response = redirect(to, *args)
    response.status_code = 303
    return response


def begin(request, order: Order, *, replacing: int | None = None):
    """Send the buyer to the order's payment page, or to the choices with the refusal."""
    try:
        attempt = start_payment(
            order=order, site_url=request.build_absolute_uri("/"), replacing=replacing
        )
    except CardPaymentRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return _see_other("catalogue_cards:choices", order.access_token)
    return _see_other(attempt.url)


@never_cache
@require_POST
def pay(request, token):
    order = get_object_or_404(Order, access_token=token)
    attempt = request.POST.get("attempt", "")
    return begin(request, order, replacing=int(attempt) if attempt.isdigit() else None)


@never_cache
@require_GET
def paid(request, token):
    order = get_object_or_404(Order, access_token=token)
    check = request.GET.get("check", "0")
    check = int(check) if check.isdigit() else 0
    waiting = order.status == Order.Status.AWAITING_PAYMENT and order.payment_method == "card"
    return render(
        request,
        "catalogue/cards/paid.html",
        {
            "order": order,
            "lines": list(order.lines.all()) if not waiting else [],
            "waiting": waiting,
            "refresh": waiting and check < REFRESH_TIMES,
            "refresh_seconds": REFRESH_SECONDS,
            "next_check": check + 1,
        },
    )


@never_cache
@require_GET
def choices(request, token):
    order = get_object_or_404(Order, access_token=token)
    latest = CardCheckout.objects.filter(order=order).order_by("-attempt").first()
    return render(
        request,
        "catalogue/cards/choices.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "refusal": refusal_for(order),
            "attempt": latest.attempt if latest else 0,
        },
    )


@never_cache
@require_POST
def switch(request, token):
    order = get_object_or_404(Order, access_token=token)
    try:
        switch_to_invoice(order=order)
    except CardPaymentRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return _see_other("catalogue_cards:choices", order.access_token)
    return _see_other(reverse("catalogue_checkout:done", args=[order.access_token]))


@csrf_exempt
@require_POST
def webhook(request):
    try:
        receive(request.body, request.headers.get("Stripe-Signature"))
    except BadEvent as refused:
        logger.warning("Stripe webhook refused: %s", refused)
        return HttpResponseBadRequest("The event's signature could not be verified.")
    return HttpResponse("ok", content_type="text/plain")
