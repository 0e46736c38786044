"""Credit notes in the back office (*Orders → Credit notes*), for finance officers, order
fulfilment and auditors: a read-only listing (an issued credit note never changes) with each
one's PDF; the refund and pay-back screens (``admin_views``) live at its addresses too.
``catalogue.orders.admin`` puts the viewset in the *Orders* group."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import TitleColumn

from catalogue.models import CreditNote
from catalogue.refunds import admin_views
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import MoneyColumn


def pdf_url(credit_note: CreditNote) -> str:
    return reverse("catalogue_creditnote:pdf", args=[credit_note.pk])


class CreditNoteViewSet(CatalogueRecordViewSet):
    model = CreditNote
    icon = "doc-empty"
    menu_label = _("Credit notes")
    inspect_view_enabled = False  # what a credit note says is on its order's page and PDF
    list_display = [
        TitleColumn("number", label=_("Credit note number"), get_url=pdf_url),
        TitleColumn(
            "order",
            label=_("Order"),
            url_name="catalogue_order:inspect",
            id_accessor="refund.order_id",
            accessor="refund.order.number",
        ),
        "invoice",
        "issued_on",
        MoneyColumn("refund.amount", label=_("Refunded")),
    ]
    list_filter = ["issued_on", "year"]
    search_fields = ["number", "refund__order__number", "invoice__number"]
    list_export = ["number", "invoice", "issued_on", "refund.amount"]

    def get_queryset(self, request):
        return CreditNote.objects.select_related("refund__order", "invoice")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", admin_views.CreditNotePdfView.as_view(), name="pdf"),
            path("order/<int:pk>/refund/", admin_views.RefundView.as_view(), name="refund"),
            path(
                "refund/<int:pk>/paid-back/", admin_views.PaidBackView.as_view(), name="paid_back"
            ),
        ]
