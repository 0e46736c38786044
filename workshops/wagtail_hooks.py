"""Back-office screens of the work programme's register, registered with Wagtail.

Every model is a snippet, so each change is in Wagtail's audit log and history. Creating an
assignment or a contract runs the same checks as the operations; withdrawing a consent through
the edit form goes through ``withdraw_consent`` (which takes a story offline at once).
"""

from django.db import IntegrityError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from core.audit_log import VISIBLE_LOG_ENTRIES
from workshops import admin_views, inventory_views, production_views, training_views
from workshops.admin_forms import AssignmentForm, ConsentForm, ContractForm, WorkerForm
from workshops.certificate_admin import CertificateViewSet
from workshops.consents import withdraw_consent
from workshops.inventory_admin import (
    BatchViewSet,
    ReservationViewSet,
    StockMovementViewSet,
    StockViewSet,
)
from workshops.log_scope import narrow_log_entries
from workshops.models import (
    SKU,
    Assignment,
    Batch,
    Certificate,
    Consent,
    Contract,
    DeductionCategory,
    FitnessClearance,
    Partner,
    Prison,
    Region,
    Reservation,
    Stay,
    Stock,
    StockMovement,
    Trade,
    TrainingAttendance,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.production.grid import sees_every_workshop
from workshops.production_admin import (
    PRODUCTION_MODELS,
    ProductionAdjustmentViewSet,
    ProductionImportViewSet,
    ProductionLockViewSet,
    ProductionRecordViewSet,
    SafetyIncidentViewSet,
)
from workshops.training_admin import (
    AssessmentViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    TrainingAttendanceViewSet,
)

IDENTITY = "workshops.view_worker_identity"


class RegisterViewSet(SnippetViewSet):
    """Auditors read the register: every record has an inspect view besides the edit form."""

    inspect_view_enabled = True


class TradeViewSet(RegisterViewSet):
    model = Trade
    icon = "tag"
    menu_label = _("Trades")
    list_display = ["name", "occupation_code", "slug"]
    search_fields = ["name", "occupation_code"]
    list_export = ["name", "slug", "occupation_code"]


class RegionViewSet(RegisterViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    list_export = ["name", "slug"]


class PrisonViewSet(RegisterViewSet):
    model = Prison
    icon = "home"
    list_display = ["name", "region", "population"]
    list_filter = ["region", "population"]
    search_fields = ["name"]
    list_export = ["name", "slug", "region", "population"]


class WorkshopViewSet(RegisterViewSet):
    model = Workshop
    icon = "cogs"
    list_display = ["name", "public_name", "prison", "trade", "kind", "makes_products", "is_active"]
    list_filter = ["prison", "trade", "kind", "makes_products", "is_active"]
    search_fields = ["name", "public_name"]
    list_export = ["name", "slug", "public_name", "prison", "trade", "kind", "makes_products"]


class WorkshopSupervisorViewSet(RegisterViewSet):
    model = WorkshopSupervisor
    icon = "user"
    list_display = ["workshop", "user", "start", "end"]
    list_filter = ["workshop"]
    list_export = ["workshop", "user", "start", "end"]


class WorkerEditView(EditView):
    """A reference that a record started using between the form's check and the save is refused
    by the database (``workshops.references``): told in the form, not as an error page."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            form.add_error(
                "reference",
                _("A record now uses this worker's reference: it can no longer change."),
            )
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class WorkerViewSet(RegisterViewSet):
    """Legal name and prison number: only for those with ``view_worker_identity``; never listed,
    searched or exported. The reference is fixed once a record uses it
    (``workshops.references``)."""

    model = Worker
    icon = "group"
    edit_view_class = WorkerEditView
    inspect_view_fields = ["reference", "sex", "language", "release_date"]
    list_display = ["reference", "sex", "language", "release_date"]
    list_filter = ["sex", "language"]
    search_fields = ["reference"]
    list_export = ["reference", "sex", "language", "release_date"]
    edit_handler = ObjectList(
        [
            FieldPanel("reference"),
            MultiFieldPanel(
                [
                    FieldPanel("legal_name", permission=IDENTITY),
                    FieldPanel("prison_number", permission=IDENTITY),
                ],
                heading=_("Identity"),
                permission=IDENTITY,
            ),
            FieldRowPanel([FieldPanel("sex"), FieldPanel("language")]),
            FieldPanel("release_date"),
        ],
        base_form_class=WorkerForm,
    )


class StayViewSet(RegisterViewSet):
    model = Stay
    icon = "home"
    list_display = ["worker", "prison", "start", "end"]
    list_filter = ["prison"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "prison", "start", "end"]


class FitnessClearanceViewSet(RegisterViewSet):
    model = FitnessClearance
    icon = "success"
    list_display = ["worker", "cleared_on", "valid_until"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "cleared_on", "valid_until"]


class AssignmentViewSet(RegisterViewSet):
    model = Assignment
    icon = "link"
    list_display = ["worker", "workshop", "start", "end"]
    list_filter = ["workshop"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "workshop", "start", "end"]
    edit_handler = ObjectList(
        [
            FieldPanel("worker"),
            FieldPanel("workshop"),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        ],
        base_form_class=AssignmentForm,
    )


class PartnerViewSet(RegisterViewSet):
    model = Partner
    icon = "openquote"
    list_display = ["name", "sector", "fairness"]
    list_filter = ["fairness", "sector"]
    search_fields = ["name", "legal_name"]
    list_export = ["name", "slug", "legal_name", "sector", "fairness"]


class ContractViewSet(RegisterViewSet):
    model = Contract
    icon = "doc-full"
    list_display = ["reference", "partner", "workshop", "start", "end"]
    list_filter = ["partner", "workshop"]
    search_fields = ["reference"]
    list_export = [
        "reference",
        "partner",
        "workshop",
        "hourly_rate",
        "piece_rate",
        "labour_charge_per_hour",
        "awarded_on",
        "start",
        "end",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("reference"),
            FieldPanel("partner"),
            FieldPanel("workshop"),
            FieldRowPanel([FieldPanel("hourly_rate"), FieldPanel("piece_rate")]),
            FieldRowPanel(
                [FieldPanel("agreed_hours_per_week"), FieldPanel("labour_charge_per_hour")]
            ),
            FieldRowPanel([FieldPanel("awarded_on"), FieldPanel("start"), FieldPanel("end")]),
        ],
        base_form_class=ContractForm,
    )


class DeductionCategoryViewSet(RegisterViewSet):
    model = DeductionCategory
    icon = "list-ul"
    list_display = ["name", "code", "credited_to_worker"]
    list_filter = ["credited_to_worker"]
    list_export = ["code", "name", "credited_to_worker"]


class ConsentEditView(EditView):
    """A withdrawal entered in the form goes through ``withdraw_consent``."""

    def save_instance(self):
        withdrawn_before = Consent.objects.get(pk=self.object.pk).withdrawn_on
        withdrawn_now = self.form.cleaned_data.get("withdrawn_on")
        if withdrawn_before is None and withdrawn_now:
            consent = self.form.save(commit=False)
            consent.withdrawn_on = None
            consent.save()
            self.form.save_m2m()
            return withdraw_consent(consent=consent, on=withdrawn_now, user=self.request.user)
        return super().save_instance()


class ConsentViewSet(RegisterViewSet):
    model = Consent
    icon = "form"
    edit_view_class = ConsentEditView
    list_display = ["worker", "kind", "partner", "signed_on", "recorded_on", "withdrawn_on"]
    list_filter = ["kind", "partner"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "kind", "partner", "signed_on", "recorded_on", "withdrawn_on"]
    edit_handler = ObjectList(
        [
            FieldPanel("worker"),
            FieldPanel("kind"),
            FieldPanel("partner"),
            FieldPanel("deduction_categories"),
            FieldPanel("chosen_name"),
            FieldPanel("signed_on"),
            FieldPanel("signed_document"),
            FieldPanel("withdrawn_on"),
        ],
        base_form_class=ConsentForm,
    )


class WorkingTimePolicyViewSet(RegisterViewSet):
    model = WorkingTimePolicy
    icon = "time"
    list_display = [
        "effective_from",
        "max_hours_per_day",
        "max_hours_per_week",
        "rest_days_per_week",
    ]
    list_export = [
        "effective_from",
        "max_hours_per_day",
        "max_hours_per_week",
        "rest_days_per_week",
        "fitness_clearance_required",
        "consent_notice_days",
    ]


class SKUViewSet(RegisterViewSet):
    model = SKU
    icon = "pick"
    list_display = ["code", "name", "unit", "workshop"]
    list_filter = ["workshop", "unit"]
    search_fields = ["code", "name"]
    list_export = ["code", "name", "unit", "workshop"]


class WorkProgrammeGroup(SnippetViewSetGroup):
    menu_label = _("Work programme")
    menu_icon = "cogs"
    menu_order = 200
    items = (
        WorkerViewSet,
        AssignmentViewSet,
        ConsentViewSet,
        StayViewSet,
        FitnessClearanceViewSet,
        WorkshopViewSet,
        WorkshopSupervisorViewSet,
        SKUViewSet,
        PartnerViewSet,
        ContractViewSet,
        PrisonViewSet,
        RegionViewSet,
        TradeViewSet,
        DeductionCategoryViewSet,
        WorkingTimePolicyViewSet,
    )


register_snippet(WorkProgrammeGroup)


class ProductionGroup(SnippetViewSetGroup):
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


register_snippet(ProductionGroup)


class TrainingGroup(SnippetViewSetGroup):
    menu_label = _("Training")
    menu_icon = "doc-full-inverse"
    menu_order = 195
    items = (
        CourseViewSet,
        EnrolmentViewSet,
        AssessmentViewSet,
        CertificateViewSet,
        TrainingAttendanceViewSet,
    )


register_snippet(TrainingGroup)


class StockGroup(SnippetViewSetGroup):
    menu_label = _("Stock records")
    menu_icon = "box"
    menu_order = 193
    items = (BatchViewSet, StockViewSet, StockMovementViewSet, ReservationViewSet)


register_snippet(StockGroup)


INVENTORY_MODELS = (Batch, Reservation, Stock, StockMovement)


@hooks.register("bridgework_snippet_chooser_refused")
def production_choosers_for_every_workshop_only(user, model):
    """The choosers of production rows list every workshop's: closed to supervisors, who see
    their own workshops' rows in the scoped listings. Certificates are chosen nowhere, and are
    made only by issuing: their chooser (and its create form) is closed to everyone, and so are
    the inventory's, which changes through its operations only."""
    if model in (Certificate, *INVENTORY_MODELS):
        return True
    return model in (*PRODUCTION_MODELS, TrainingAttendance) and not sees_every_workshop(user)


class DailyProductionMenuItem(MenuItem):
    def is_shown(self, request):
        return production_views.may_record(request.user)


@hooks.register("register_admin_menu_item")
def daily_production_menu_item():
    return DailyProductionMenuItem(
        _("Daily production"), reverse("production_choose"), icon_name="date", order=180
    )


@hooks.register("register_admin_menu_item")
def training_attendance_menu_item():
    return DailyProductionMenuItem(
        _("Record training"), reverse("training_attendance"), icon_name="time", order=185
    )


class StockMenuItem(MenuItem):
    def is_shown(self, request):
        return inventory_views.may_see_stock(request.user)


@hooks.register("register_admin_menu_item")
def stock_menu_item():
    return StockMenuItem(_("Stock"), reverse("stock_overview"), icon_name="box", order=187)


@hooks.register("register_admin_urls")
def register_production_urls():
    return [
        path("stock/", inventory_views.overview, name="stock_overview"),
        path("stock/batch/", inventory_views.record_batch, name="stock_batch"),
        path("stock/count/<int:workshop_id>/", inventory_views.stocktake, name="stock_count"),
        path("production/", production_views.choose, name="production_choose"),
        path(
            "production/<int:workshop_id>/<str:day>/",
            production_views.grid,
            name="production_grid",
        ),
        path("production/import/", production_views.upload, name="production_upload"),
        path("production/export/", production_views.export, name="production_export"),
        path(
            "production/records/<int:record_id>/adjust/",
            production_views.adjust,
            name="production_adjust",
        ),
        path("training/attendance/", training_views.record, name="training_attendance"),
    ]


@hooks.register("register_log_actions")
def register_register_log_actions(actions):
    actions.register_action(
        "bridgework.partner_fairness",
        _("Change a partner's fairness status"),
        _("Partner fairness status changed"),
    )
    actions.register_action(
        "bridgework.consent_withdrawn", _("Withdraw a consent"), _("Consent withdrawn")
    )
    for action, label, message in (
        ("certificate_issued", _("Issue a certificate"), _("Certificate issued")),
        ("certificate_revoked", _("Revoke a certificate"), _("Certificate revoked")),
        ("certificate_superseded", _("Reissue a certificate"), _("Certificate superseded")),
        ("batch_received", _("Receive a batch"), _("Batch received into stock")),
        ("stock_counted", _("Count stock"), _("Stocktake recorded")),
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
    ):
        actions.register_action(f"bridgework.{action}", label, message)


hooks.register(VISIBLE_LOG_ENTRIES, narrow_log_entries)


@hooks.register("bridgework_private_file_access")
def consent_documents(user):
    """Signed consents carry the person's legal name: only those who may see identities read
    them (programme managers, administrators)."""
    if user.has_perm("workshops.view_worker_identity"):
        return Q(purpose="consent")
    return None


@hooks.register("register_admin_urls")
def register_worker_moves():
    return [
        path(
            "register/workers/<int:worker_id>/transfer/",
            admin_views.transfer,
            name="worker_transfer",
        ),
        path(
            "register/workers/<int:worker_id>/release/", admin_views.release, name="worker_release"
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def worker_move_buttons(snippet, user, next_url=None):
    """ "Transfer" and "Release" in the workers list, for those who may change workers."""
    if not isinstance(snippet, Worker) or not user.has_perm("workshops.change_worker"):
        return []
    return [
        Button(
            _("Transfer"),
            reverse("worker_transfer", args=[snippet.pk]),
            icon_name="arrow-right",
            priority=60,
        ),
        Button(
            _("Release"),
            reverse("worker_release", args=[snippet.pk]),
            icon_name="logout",
            priority=70,
        ),
    ]
