"""Invoices in the back office (*Orders → Invoices*), for finance officers, order fulfilment and
auditors: a read-only listing (an issued invoice never changes) and each invoice's PDF, the same
stored bytes on every download (``catalogue.invoices.documents.invoice_pdf``)."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from catalogue.invoices.documents import invoice_pdf
from catalogue.models import Invoice
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import MoneyColumn
from core.views import private_file_response
from workshops.views import PermissionCheckedView


def paid_label(invoice: Invoice) -> str:
    return str(_("Yes") if invoice.order.paid_at is not None else _("No"))


def pdf_url(invoice: Invoice) -> str:
    return reverse("catalogue_invoice:pdf", args=[invoice.pk])


class InvoicePdfView(PermissionCheckedView):
    model = Invoice
    permission_required = "view"

    def handle(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        invoice = get_object_or_404(Invoice.objects.select_related("order"), pk=pk)
        return private_file_response(invoice_pdf(invoice))


class InvoiceViewSet(CatalogueRecordViewSet):
    model = Invoice
    icon = "doc-full"
    menu_label = _("Invoices")
    inspect_view_enabled = False  # everything an invoice says is on its order's page and PDF
    list_display = [
        TitleColumn("number", label=_("Invoice number"), get_url=pdf_url),
        TitleColumn(
            "order", label=_("Order"), url_name="catalogue_order:inspect", id_accessor="order_id"
        ),
        "issued_on",
        "due_on",
        MoneyColumn("order.total", label=_("Total")),
        Column("paid", label=_("Paid"), accessor=paid_label),
    ]
    list_filter = ["issued_on", "year"]
    search_fields = ["number", "order__number"]
    list_export = ["number", "order", "issued_on", "due_on", "order.total"]

    def get_queryset(self, request):
        return Invoice.objects.select_related("order")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", InvoicePdfView.as_view(), name="pdf"),
        ]
