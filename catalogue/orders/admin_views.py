"""Back-office screens of an order (*Orders → Orders*), for order fulfilment staff and finance
officers; auditors read them.

An order's page shows its buyer, where it goes, its lines with tax and totals, its invoice, its
timeline and its audit log, with a button for each next step the user may take
(``catalogue.orders.steps``). Every step is a POST to ``StepView``, which calls the step's
operation of ``catalogue.orders.lifecycle``: a refusal comes back as a message on the order's page
and changes nothing; success returns there with a message. Orders are never edited here.

The packing slip (``catalogue.orders.packing``) prints in the language of the member of staff who
packs, not the buyer's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.models import ModelLogEntry

from catalogue.invoices.documents import tax_rows
from catalogue.models import Invoice, Order, OrderLine
from catalogue.orders.display import (
    delivery_lines,
    is_collected,
    payment_method_label,
    timeline,
)
from catalogue.orders.packing import packing_slip_pdf
from catalogue.orders.steps import STEPS, next_steps, step_policy
from workshops.views import PermissionCheckedView

NAMESPACE = "catalogue_order"


class InspectView(generic.InspectView):
    template_name = "catalogue/admin/order_inspect.html"

    def get_object(self, queryset=None):
        lines = Prefetch("lines", queryset=OrderLine.objects.select_related("sku"))
        orders = Order.objects.select_related("shipping_rate").prefetch_related(lines)
        return get_object_or_404(orders, pk=self.pk)

    def get_page_subtitle(self):
        return self.object.number

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        invoice = Invoice.objects.filter(order=order).first()
        entries = ModelLogEntry.objects.for_instance(order).select_related("user")
        context |= {
            "order": order,
            "lines": list(order.lines.all()),
            "tax_rows": tax_rows(order),
            "payment_method": payment_method_label(order),
            "collected": is_collected(order),
            "delivery": delivery_lines(order),
            "invoice": invoice,
            "may_download_invoice": invoice is not None and user.has_perm("catalogue.view_invoice"),
            "timeline": timeline(order),
            "log_entries": entries.order_by("timestamp", "pk"),
            "steps": [(step, step.form()) for step in next_steps(order, user)],
        }
        return context


class StepView(PermissionCheckedView):
    """One step of an order's lifecycle (``STEPS[action]``), by POST only. The mixin lets in
    whoever may take some step; the step's own permission is checked next."""

    permission_policy = step_policy
    any_permission_required = sorted({step.permission for step in STEPS.values()})

    def handle(self, request, pk, action):
        step = STEPS.get(action)
        if step is None or not self.user_has_permission(step.permission):
            return permission_denied(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        order = get_object_or_404(Order, pk=pk)
        form = step.form(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(f"{NAMESPACE}:inspect", order.pk)
        try:
            order = step.run(order, user=request.user, data=form.cleaned_data)
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, step.message % {"number": order.number})
        return redirect(f"{NAMESPACE}:inspect", order.pk)


step = StepView.as_view()


class PackingSlipView(PermissionCheckedView):
    """The packing slip of one order, for those who pack orders or read them."""

    permission_policy = step_policy
    any_permission_required = ["fulfil_order", "view_order"]

    def handle(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        order = get_object_or_404(Order.objects.select_related("shipping_rate"), pk=pk)
        response = HttpResponse(packing_slip_pdf(order), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="packing-slip-{order.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


packing_slip = PackingSlipView.as_view()
