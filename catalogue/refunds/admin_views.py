"""The refund screens of the back office, all returning to the order's page
(``catalogue.orders.admin_views.InspectView``), where ``refund_panel`` shows the order's refunds,
their credit notes, what remains refundable and the refund form:

- ``RefundView`` (POST): the form's refund, through ``operations.refund_order``;
- ``PaidBackView`` (POST): a refund on invoice transferred, through
  ``operations.record_refund_paid_back``;
- ``CreditNotePdfView``: a credit note's PDF, the same stored bytes on every download.

A refusal comes back as a message on the order's page and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from catalogue.models import CreditNote, Order, Refund
from catalogue.orders.steps import StepPolicy
from catalogue.refunds.documents import credit_note_pdf
from catalogue.refunds.forms import PaidBackForm, RefundForm
from catalogue.refunds.operations import record_refund_paid_back, refund_order
from catalogue.refunds.splitting import remaining
from core.formatting import format_money
from core.views import private_file_response
from workshops.views import PermissionCheckedView

ORDER_PAGE = "catalogue_order:inspect"
refund_policy = StepPolicy(Refund)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class RefundView(PermissionCheckedView):
    permission_policy = refund_policy
    permission_required = "refund_order"

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        order = get_object_or_404(Order, pk=pk)
        form = RefundForm(request.POST, left=remaining(order), currency=order.currency)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(ORDER_PAGE, order.pk)
        data = form.cleaned_data
        try:
            refund = refund_order(
                order,
                user=request.user,
                key=data["key"],
                reason=data["reason"],
                lines=form.lines(),
                amount=form.money(),
            )
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("%(amount)s of order %(number)s refunded: credit note %(credit_note)s.")
                % {
                    "amount": format_money(refund.amount),
                    "number": order.number,
                    "credit_note": refund.credit_note.number,
                },
            )
        return redirect(ORDER_PAGE, order.pk)


class PaidBackView(PermissionCheckedView):
    permission_policy = refund_policy
    permission_required = "pay_back_refund"

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        refund = get_object_or_404(Refund.objects.select_related("order"), pk=pk)
        form = PaidBackForm(request.POST, prefix="paid-back")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(ORDER_PAGE, refund.order_id)
        try:
            record_refund_paid_back(refund, user=request.user, on=form.cleaned_data["on"])
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("The transfer of %(amount)s to the buyer is recorded.")
                % {"amount": format_money(refund.amount)},
            )
        return redirect(ORDER_PAGE, refund.order_id)


class CreditNotePdfView(PermissionCheckedView):
    model = CreditNote
    permission_required = "view"

    def handle(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        found = get_object_or_404(
            CreditNote.objects.select_related("refund__order", "invoice"), pk=pk
        )
        return private_file_response(credit_note_pdf(found))
