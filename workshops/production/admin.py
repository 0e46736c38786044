"""Back-office listings of production records, imports, locks, adjustments and safety incidents
(Wagtail ``ModelViewSet``s).

Records change only through the operations in ``workshops.production`` (the grid, the importer,
adjustments), so their listings are read-only for everyone, the superuser included. A supervisor
sees only the workshops they supervise; the scope is applied to every listing and, for safety
incidents (which supervisors record), to every view of a single incident as well.
"""

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSetGroup

from core.viewsets import InspectView
from workshops.access import (
    sees_every_workshop,
    supervised_workshops,
    visible_workshops,
    workshop_policy,
)
from workshops.models import (
    ProductionAdjustment,
    ProductionImport,
    ProductionLock,
    ProductionRecord,
    SafetyIncident,
    Worker,
)
from workshops.production import grid_views, views
from workshops.viewsets import KeptViewSet, WorkshopRecordViewSet


class ScopedByWorkshop:
    """A listing of rows with a ``workshop``: only the workshops the user may see."""

    workshop_path = "workshop"

    def get_queryset(self, request):
        return self.model.objects.filter(
            **{f"{self.workshop_path}__in": visible_workshops(request.user)}
        )


class ReadOnlyViewSet(ScopedByWorkshop, WorkshopRecordViewSet):
    inspect_view_enabled = False


class ProductionRecordViewSet(ReadOnlyViewSet):
    """With a record's own page, which compliance findings cite as evidence; 404 to a supervisor
    outside the record's workshops."""

    model = ProductionRecord
    icon = "table"
    inspect_view_enabled = True
    menu_label = _("Production records")
    list_display = [
        "day",
        "workshop",
        "worker",
        "sku",
        "hours",
        "pieces",
        "rejects",
        "breaches",
        "legacy",
        "lock",
    ]
    list_filter = ["workshop", "legacy", "day"]
    search_fields = ["worker__reference"]
    list_export = [
        "day",
        "workshop",
        "worker",
        "sku",
        "hours",
        "pieces",
        "rejects",
        "supervisor",
        "supervisor_note",
        "breaches",
        "legacy",
        "lock",
    ]
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("workshop", "worker", "sku", "locked__lock")
            .order_by("-day", "workshop__name", "worker__reference", "sku__code")
        )


class ProductionAdjustmentViewSet(ReadOnlyViewSet):
    model = ProductionAdjustment
    workshop_path = "record__workshop"
    icon = "edit"
    list_display = [
        "record",
        "old_hours",
        "new_hours",
        "old_pieces",
        "new_pieces",
        "reason",
        "made_by",
        "made_at",
        "settled_by",
    ]
    list_export = [*list_display, "old_rejects", "new_rejects"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("record__worker", "record__workshop", "record__sku", "made_by")
        )


class ProductionImportViewSet(ReadOnlyViewSet):
    """Every imported file with its SHA-256, as evidence of what came in and when."""

    model = ProductionImport
    icon = "upload"
    list_display = ["file_name", "rows", "legacy", "imported_by", "imported_at", "sha256"]
    list_export = list_display

    def get_queryset(self, request):
        imports = self.model.objects.select_related("imported_by")
        if sees_every_workshop(request.user):
            return imports
        return imports.filter(records__workshop__in=visible_workshops(request.user)).distinct()


class ProductionLockViewSet(ReadOnlyViewSet):
    model = ProductionLock
    icon = "lock"
    list_display = ["reference", "locked_at", "finalised_at", "released_at"]
    list_export = list_display

    def get_queryset(self, request):
        if sees_every_workshop(request.user):
            return self.model.objects.all()  # released locks, with no records left, included
        return self.model.objects.filter(
            entries__record__workshop__in=visible_workshops(request.user)
        ).distinct()


READ_ONLY_MODELS = (ProductionRecord, ProductionAdjustment, ProductionImport, ProductionLock)


class SafetyIncidentForm(WagtailAdminModelForm):
    """A supervisor picks among their workshops and those workshops' workers only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        workshops = supervised_workshops(self.for_user)
        # Plain selects of these rows: the workshop and worker choosers list every row, and are
        # closed to supervisors.
        self.fields["workshop"].queryset = workshops.order_by("name")
        self.fields["workshop"].widget = forms.Select(choices=self.fields["workshop"].choices)
        self.fields["worker"].queryset = (
            Worker.objects.filter(assignments__workshop__in=workshops).distinct()
        ).order_by("reference")
        self.fields["worker"].widget = forms.Select(choices=self.fields["worker"].choices)

    def save(self, commit=True):
        incident = super().save(commit=False)
        if incident._state.adding and self.for_user is not None:
            incident.reported_by = self.for_user
        if commit:
            incident.save()
        return incident


class ScopedObjectMixin:
    """One incident: 404 outside the user's workshops, so its existence is not disclosed."""

    def get_object(self, *args, **kwargs):
        incident = super().get_object(*args, **kwargs)
        if not visible_workshops(self.request.user).filter(pk=incident.workshop_id).exists():
            raise Http404
        return incident


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    """Finds the incident before the permission check, as the delete, inspect, history and usage
    views do: a role with no permission on incidents is told that one outside its workshops is
    not found."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()


def scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (ScopedObjectMixin, view_class), {})


ProductionRecordViewSet.inspect_view_class = scoped(InspectView)


class SafetyIncidentViewSet(ScopedByWorkshop, KeptViewSet):
    model = SafetyIncident
    icon = "warning"
    edit_view_class = ScopedEditView
    delete_view_class = scoped(generic.DeleteView)
    inspect_view_class = scoped(generic.InspectView)
    history_view_class = scoped(history.HistoryView)
    usage_view_class = scoped(usage.UsageView)
    copy_view_class = scoped(generic.CopyView)
    list_display = ["occurred_on", "workshop", "severity", "worker", "followed_up_on"]
    list_filter = ["workshop", "severity"]
    list_export = [
        "occurred_on",
        "workshop",
        "severity",
        "worker",
        "description",
        "follow_up",
        "followed_up_on",
        "reported_by",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("workshop"), FieldPanel("occurred_on")]),
            FieldRowPanel([FieldPanel("severity"), FieldPanel("worker")]),
            FieldPanel("description"),
            FieldPanel("follow_up"),
            FieldPanel("followed_up_on"),
        ],
        base_form_class=SafetyIncidentForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workshop", "worker")


class ProductionGroup(ModelViewSetGroup):
    menu_label = _("Production")
    menu_icon = "table"
    menu_order = 190
    items = (
        ProductionRecordViewSet,
        SafetyIncidentViewSet,
        ProductionAdjustmentViewSet,
        ProductionImportViewSet,
        ProductionLockViewSet,
    )


class RecordingMenuItem(MenuItem):
    """Shown to those who record for some workshop (``workshop_policy.may_record_anywhere``)."""

    def is_shown(self, request):
        return workshop_policy.may_record_anywhere(request.user)


def menu_item():
    return RecordingMenuItem(
        _("Daily production"), reverse("production_choose"), icon_name="date", order=180
    )


def urls():
    return [
        path("production/", views.choose, name="production_choose"),
        path("production/<int:workshop_id>/<str:day>/", grid_views.grid, name="production_grid"),
        path("production/import/", views.upload, name="production_upload"),
        path("production/export/", views.export, name="production_export"),
        path("production/records/<int:record_id>/adjust/", views.adjust, name="production_adjust"),
    ]


LOG_ACTIONS = (
    ("production_saved", _("Save a day of production"), _("Day of production saved")),
    ("production_imported", _("Import production"), _("Production file imported")),
    ("production_corrected", _("Correct production"), _("Production record corrected")),
    ("production_removed", _("Remove production"), _("Production record removed")),
    ("production_adjusted", _("Adjust production"), _("Locked production record adjusted")),
    ("production_locked", _("Lock production"), _("Production locked for a pay run")),
    ("production_unlocked", _("Unlock production"), _("Production unlocked")),
    (
        "production_lock_finalised",
        _("Make a production lock final"),
        _("Production lock made final: its pay run is posted"),
    ),
)
