"""The stock overview, a Wagtail report: every visible SKU's stock, by workshop, with its latest
movements, filtered by workshop and availability and exported to CSV or XLSX. A supervisor sees
the workshops they supervise; order fulfilment and programme managers see every workshop's."""

import django_filters
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from workshops.access import stock_workshops, workshop_policy
from workshops.inventory import stock_levels
from workshops.models import SKU, Stock, StockMovement

RECENT_MOVEMENTS = 5


class StockFilterSet(WagtailFilterSet):
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop"),
        field_name="sku__workshop",
        queryset=lambda request: stock_workshops(request.user).order_by("name"),
    )
    availability = django_filters.ChoiceFilter(
        label=_("Availability"),
        choices=[("available", _("Available")), ("sold_out", _("Sold out"))],
        method="by_availability",
    )

    class Meta:
        model = Stock
        fields = []

    def by_availability(self, queryset, name, value):
        free = F("on_hand") - F("reserved")
        return queryset.alias(free=free).filter(
            **({"free__gt": 0} if value == "available" else {"free__lte": 0})
        )


class OverviewView(ReportView):
    permission_policy = workshop_policy
    permission_required = "view_stock"
    page_title = _("Stock")
    header_icon = "clipboard-list"
    template_name = "workshops/inventory/stock_report.html"
    results_template_name = "workshops/inventory/stock_report_results.html"
    index_url_name = "stock_overview"
    index_results_url_name = "stock_overview_results"
    filterset_class = StockFilterSet
    paginate_by = None
    list_export = ["sku.workshop", "sku", "on_hand", "reserved", "available"]
    export_headings = {
        "sku.workshop": _("Workshop"),
        "sku": _("Product (SKU)"),
        "on_hand": _("On hand"),
        "reserved": _("Reserved"),
        "available": _("Available"),
    }

    def get_filename(self):
        return "stock"

    def get_queryset(self):
        skus = SKU.objects.filter(workshop__in=stock_workshops(self.request.user))
        stock_levels(skus)  # releases what expired; makes the missing stock rows
        return (
            Stock.objects.filter(sku__in=skus)
            .select_related("sku__workshop")
            .order_by("sku__workshop__name", "sku__workshop", "sku__code")
        )

    def decorate_paginated_queryset(self, object_list):
        stocks = list(object_list)
        recent = (
            StockMovement.objects.filter(stock__in=stocks)
            .annotate(
                recency=Window(
                    RowNumber(), partition_by=F("stock"), order_by=[F("at").desc(), F("pk").desc()]
                )
            )
            .filter(recency__lte=RECENT_MOVEMENTS)
            .select_related("user")
            .order_by("-at", "-pk")
        )
        movements: dict[int, list] = {}
        for movement in recent:
            movements.setdefault(movement.stock_id, []).append(movement)
        for stock in stocks:
            stock.latest_movements = movements.get(stock.pk, [])
        return stocks

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["countable"] = set(
            workshop_policy.countable(self.request.user).values_list("pk", flat=True)
        )
        context["may_record"] = workshop_policy.may_record_anywhere(self.request.user)
        return context
