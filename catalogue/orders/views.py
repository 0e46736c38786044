"""The buyer's page of their order, found by its ``access_token`` (the link in their e-mails):
no account is needed, and the token is the only way to it. Never cached, ``noindex``."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.checkout import payments
from catalogue.invoices.documents import invoice_pdf
from catalogue.models import Invoice, Order
from core.views import private_file_response


@never_cache
@require_GET
def status(request, token):
    order = get_object_or_404(Order, access_token=token)
    method = payments.of_order(order)
    invoice_url = ""
    if Invoice.objects.filter(order=order).exists():
        invoice_url = reverse("catalogue_orders:invoice", args=[token])
    return render(
        request,
        "catalogue/orders/status.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "invoice_url": invoice_url,
            "awaiting_payment": order.status == Order.Status.AWAITING_PAYMENT,
            "instructions": method.instructions,
            **method.instructions_context(order),
        },
    )


@never_cache
@require_GET
def invoice(request, token):
    """The order's invoice as its buyer downloads it: the same stored bytes every time."""
    found = get_object_or_404(Invoice.objects.select_related("order"), order__access_token=token)
    return private_file_response(invoice_pdf(found))
