"""Back-office listings of batches, stock, stock movements and reservations: read-only for
everyone (stock changes only through ``workshops.inventory``), scoped for supervisors to the
workshops they supervise."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from workshops.access import stock_workshops, workshop_policy
from workshops.inventory import reports, views
from workshops.inventory.provenance import SUPPRESS_BELOW, batch_provenance
from workshops.models import Batch, Reservation, Stock, StockMovement
from workshops.viewsets import WorkshopRecordViewSet


class ScopedByStock:
    workshop_path = "sku__workshop"

    def get_queryset(self, request):
        return self.model.objects.filter(
            **{f"{self.workshop_path}__in": stock_workshops(request.user)}
        )


class BatchInspectView(generic.InspectView):
    """One batch with its provenance, as the shop will show it; 404 outside the user's
    workshops, so its existence is not disclosed."""

    def get_object(self, *args, **kwargs):
        batch = super().get_object(*args, **kwargs)
        if not stock_workshops(self.request.user).filter(pk=batch.sku.workshop_id).exists():
            raise Http404
        return batch

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provenance = batch_provenance(self.object)
        fewer = _("fewer than %(n)s") % {"n": SUPPRESS_BELOW}
        rows = [
            (_("Worker-hours"), provenance.worker_hours),
            (_("People who made it"), fewer if provenance.people is None else provenance.people),
            (_("Trade"), provenance.trade),
            (_("Their training hours in these days"), provenance.training_hours),
            (
                _("Their certificates in the trade"),
                fewer if provenance.certificates is None else provenance.certificates,
            ),
            (
                _("Partner"),
                ", ".join(
                    f"{partner} ({partner.get_fairness_display()})"
                    for partner in provenance.partners
                )
                or _("None: the administration's own workshop"),
            ),
        ]
        context["fields"] += [
            {"label": label, "value": value, "component": None} for label, value in rows
        ]
        return context


class BatchViewSet(ScopedByStock, WorkshopRecordViewSet):
    model = Batch
    icon = "clipboard-list"
    menu_label = _("Batches")
    inspect_view_enabled = True
    inspect_view_class = BatchInspectView
    list_display = ["sku", "quantity", "made_from", "made_to", "received_on", "recorded_by"]
    list_filter = ["sku__workshop", "received_on"]
    search_fields = ["sku__code"]
    list_export = ["sku", "quantity", "made_from", "made_to", "received_on", "recorded_by"]


class StockViewSet(ScopedByStock, WorkshopRecordViewSet):
    model = Stock
    icon = "clipboard-list"
    menu_label = _("Stock by product")
    inspect_view_enabled = False
    list_display = [
        "sku",
        "on_hand",
        "reserved",
        Column("available", label=_("Available"), accessor="available"),
    ]
    list_filter = ["sku__workshop"]
    search_fields = ["sku__code"]
    list_export = ["sku", "on_hand", "reserved"]


class StockMovementViewSet(ScopedByStock, WorkshopRecordViewSet):
    model = StockMovement
    icon = "list-ul"
    workshop_path = "stock__sku__workshop"
    inspect_view_enabled = False
    list_display = [
        "at",
        "stock",
        "kind",
        "on_hand_change",
        "reserved_change",
        "source",
        "reason",
        "user",
    ]
    list_filter = ["kind", "stock__sku__workshop", "at"]
    search_fields = ["stock__sku__code", "key", "source"]
    list_export = [
        "at",
        "stock",
        "kind",
        "on_hand_change",
        "reserved_change",
        "counted",
        "key",
        "source",
        "reason",
        "user",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stock__sku", "user")


class ReservationViewSet(WorkshopRecordViewSet):
    model = Reservation
    icon = "time"
    inspect_view_enabled = True
    list_display = ["key", "state", "created_at", "expires_at", "closed_at"]
    list_filter = ["state"]
    search_fields = ["key"]


class StockGroup(ModelViewSetGroup):
    menu_label = _("Stock records")
    menu_icon = "clipboard-list"
    menu_order = 193
    items = (BatchViewSet, StockViewSet, StockMovementViewSet, ReservationViewSet)


class StockMenuItem(MenuItem):
    def is_shown(self, request):
        return workshop_policy.user_has_permission(request.user, "view_stock")


def menu_item():
    return StockMenuItem(
        _("Stock"), reverse("stock_overview"), icon_name="clipboard-list", order=187
    )


overview = reports.OverviewView.as_view()
overview_results = reports.OverviewView.as_view(results_only=True)


def urls():
    return [
        path("stock/", overview, name="stock_overview"),
        path("stock/results/", overview_results, name="stock_overview_results"),
        path("stock/batch/", views.record_batch, name="stock_batch"),
        path("stock/count/<int:workshop_id>/", views.stocktake, name="stock_count"),
    ]


LOG_ACTIONS = (
    ("batch_received", _("Receive a batch"), _("Batch received into stock")),
    ("stock_counted", _("Count stock"), _("Stocktake recorded")),
)
