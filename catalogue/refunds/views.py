"""A credit note as its buyer downloads it, by the order's access token and the credit note's
number: the same stored bytes every time. Never cached, ``noindex`` (a download carries it)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.models import CreditNote
from catalogue.refunds.documents import credit_note_pdf
from core.views import private_file_response


@never_cache
@require_GET
def credit_note(request, token, number):
    found = get_object_or_404(
        CreditNote.objects.select_related("refund__order", "invoice"),
        refund__order__access_token=token,
        number=number,
    )
    response = private_file_response(credit_note_pdf(found))
    response["X-Robots-Tag"] = "noindex"
    return response
