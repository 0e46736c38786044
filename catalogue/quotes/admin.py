"""Quotes in the back office (*Orders → Quotes*): the listing, filtered by status and searched
by number, organisation, name or e-mail; each quote's page with its answer form
(``catalogue.quotes.admin_views``). Read-only otherwise: a quote changes only through
``catalogue.quotes``' operations."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from catalogue.models import Quote
from catalogue.quotes import admin_views
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import DateColumn, MoneyColumn


def status_label(quote: Quote) -> str:
    return quote.get_shown_status_display()


class QuoteFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Quote.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Quote
        fields = []


class QuoteViewSet(CatalogueRecordViewSet):
    model = Quote
    icon = "doc-empty"
    menu_label = _("Quotes")
    inspect_view_class = admin_views.InspectView
    filterset_class = QuoteFilterSet
    list_display = [
        "number",
        DateColumn("requested_at", label=_("Requested")),
        "organisation",
        Column("status", label=_("Status"), accessor=status_label),
        DateColumn("valid_until", label=_("Valid until")),
        MoneyColumn("total", label=_("Total")),
    ]
    list_export = [
        "number",
        "requested_at",
        "status",
        "organisation",
        "name",
        "email",
        "country",
        "net_total",
        "tax_total",
        "total",
        "valid_until",
        "quoted_at",
        "accepted_at",
        "order",
    ]
    search_fields = ["number", "organisation", "name", "email"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", admin_views.QuotePdfView.as_view(), name="pdf"),
            path("<int:pk>/answer/", admin_views.AnswerView.as_view(), name="answer"),
            path("<int:pk>/withdraw/", admin_views.WithdrawView.as_view(), name="withdraw"),
        ]
