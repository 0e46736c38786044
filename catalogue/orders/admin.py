"""Orders in the back office (*Orders → Orders*): the listing, filtered by status, the day placed
and the payment method and searched by order number, e-mail or name; each order's page with its
steps and its packing slip (``catalogue.orders.admin_views``). Read-only: an order changes only through
``catalogue.orders.lifecycle``. ``catalogue.wagtail_hooks`` registers the group."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup

from catalogue.invoices.admin import InvoiceViewSet
from catalogue.models import Order
from catalogue.orders import admin_views
from catalogue.orders.display import PAYMENT_METHODS, payment_method_label
from catalogue.quotes.admin import QuoteViewSet
from catalogue.refunds.admin import CreditNoteViewSet
from catalogue.returns.admin import ReturnRequestViewSet
from catalogue.statements.admin import BankStatementViewSet
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import DateColumn, MoneyColumn


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Order.Status.choices, empty_label=_("All")
    )
    placed = django_filters.DateFromToRangeFilter(
        label=_("Placed"), method="placed_between", widget=DateRangePickerWidget
    )
    payment_method = django_filters.ChoiceFilter(
        label=_("Payment method"), choices=list(PAYMENT_METHODS.items()), empty_label=_("All")
    )
    # Orders the card provider's word disagreed with (catalogue.cards.fulfilment).
    review = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=[("flagged", _("Needs review")), ("clear", _("Nothing to review"))],
        empty_label=_("All"),
        method="flagged",
    )

    class Meta:
        model = Order
        fields = []

    def flagged(self, queryset, name, value):
        if value == "flagged":
            return queryset.exclude(review_reason="")
        return queryset.filter(review_reason="") if value == "clear" else queryset

    def placed_between(self, queryset, name, value):
        """Days in the site's time zone, both ends included."""
        if value.start is not None:
            queryset = queryset.filter(placed_at__date__gte=value.start.date())
        if value.stop is not None:
            queryset = queryset.filter(placed_at__date__lte=value.stop.date())
        return queryset


class OrderViewSet(CatalogueRecordViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Orders")
    inspect_view_class = admin_views.InspectView
    filterset_class = OrderFilterSet
    # Six columns fit a 1024 px tablet; the lines, address and invoice are on the order's page.
    list_display = [
        "number",
        DateColumn("placed_at", label=_("Placed")),
        "name",
        "status",
        Column("payment_method", label=_("Payment"), accessor=payment_method_label),
        MoneyColumn("total", label=_("Total")),
    ]
    list_export = [
        "number",
        "placed_at",
        "status",
        "payment_method",
        "name",
        "organisation",
        "email",
        "country",
        "net_total",
        "tax_total",
        "total",
        "paid_at",
        "shipped_at",
        "carrier",
        "tracking_number",
    ]
    search_fields = ["number", "email", "name"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/packing-slip/", admin_views.packing_slip, name="packing_slip"),
            path("<int:pk>/<slug:action>/", admin_views.step, name="step"),
        ]


class OrdersGroup(ModelViewSetGroup):
    menu_label = _("Orders")
    menu_icon = "list-ul"
    menu_order = 170  # first for order fulfilment, before the stock it sells
    items = (
        OrderViewSet,
        InvoiceViewSet,
        CreditNoteViewSet,
        QuoteViewSet,
        ReturnRequestViewSet,
        BankStatementViewSet,
    )
