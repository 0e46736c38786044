"""Back-office screens of the work programme's register, Wagtail ``ModelViewSet``s
(``workshops.viewsets.KeptViewSet``): every record has an inspect view besides its edit form, and
each change is in Wagtail's audit log and history. Creating an assignment or a contract runs the
same checks as the operations; withdrawing a consent through the edit form goes through
``withdraw_consent`` (which takes a story offline at once). Workers are transferred and
released from their own screens (``workshops.register.views``).

``workshops.wagtail_hooks`` registers what this module exposes: ``WorkProgrammeGroup``, ``urls``,
``LOG_ACTIONS`` and ``private_files``.
"""

from django.db import IntegrityError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import Button

from core.viewsets import ScopedIndexView
from workshops.models import (
    SKU,
    Assignment,
    Consent,
    Contract,
    DeductionCategory,
    FitnessClearance,
    Partner,
    Prison,
    Region,
    Stay,
    Trade,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.register import views
from workshops.register.consents import withdraw_consent
from workshops.register.forms import AssignmentForm, ConsentForm, ContractForm, WorkerForm
from workshops.viewsets import KeptViewSet

IDENTITY = "workshops.view_worker_identity"


class TradeViewSet(KeptViewSet):
    model = Trade
    icon = "tag"
    menu_label = _("Trades")
    list_display = ["name", "occupation_code", "slug"]
    search_fields = ["name", "occupation_code"]
    list_export = ["name", "slug", "occupation_code"]


class RegionViewSet(KeptViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    list_export = ["name", "slug"]


class PrisonViewSet(KeptViewSet):
    model = Prison
    icon = "home"
    list_display = ["name", "region", "population"]
    list_filter = ["region", "population"]
    search_fields = ["name"]
    list_export = ["name", "slug", "region", "population"]


class WorkshopViewSet(KeptViewSet):
    model = Workshop
    icon = "cogs"
    list_display = ["name", "public_name", "prison", "trade", "kind", "makes_products", "is_active"]
    list_filter = ["prison", "trade", "kind", "makes_products", "is_active", "fairness"]
    search_fields = ["name", "public_name"]
    list_export = [
        "name",
        "slug",
        "public_name",
        "prison",
        "trade",
        "kind",
        "makes_products",
        "fairness",
        "fairness_since",
        "fairness_assessment",
    ]


class WorkshopSupervisorViewSet(KeptViewSet):
    model = WorkshopSupervisor
    icon = "user"
    list_display = ["workshop", "user", "start", "end"]
    list_filter = ["workshop"]
    list_export = ["workshop", "user", "start", "end"]


class WorkerEditView(generic.EditView):
    """A reference that a record started using between the form's check and the save is refused
    by the database (``workshops.register.references``): told in the form, not as an error page."""

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


class WorkerIndexView(ScopedIndexView):
    """ "Transfer" and "Release" on each worker, for those who may change workers."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.request.user.has_perm("workshops.change_worker"):
            return buttons
        return [
            *buttons,
            Button(
                _("Transfer"),
                reverse("worker_transfer", args=[instance.pk]),
                icon_name="arrow-right",
                priority=60,
            ),
            Button(
                _("Release"),
                reverse("worker_release", args=[instance.pk]),
                icon_name="logout",
                priority=70,
            ),
        ]


class WorkerViewSet(KeptViewSet):
    """Legal name and prison number: only for those with ``view_worker_identity``; never listed,
    searched or exported. The reference is fixed once a record uses it
    (``workshops.register.references``)."""

    model = Worker
    icon = "group"
    index_view_class = WorkerIndexView
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
                    FieldPanel("known_as"),
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


class StayViewSet(KeptViewSet):
    model = Stay
    icon = "home"
    list_display = ["worker", "prison", "start", "end"]
    list_filter = ["prison"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "prison", "start", "end"]


class FitnessClearanceViewSet(KeptViewSet):
    model = FitnessClearance
    icon = "success"
    list_display = ["worker", "cleared_on", "valid_until"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "cleared_on", "valid_until"]


class AssignmentViewSet(KeptViewSet):
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


class PartnerViewSet(KeptViewSet):
    model = Partner
    icon = "openquote"
    list_display = ["name", "sector", "fairness"]
    list_filter = ["fairness", "sector"]
    search_fields = ["name", "legal_name"]
    list_export = [
        "name",
        "slug",
        "legal_name",
        "sector",
        "fairness",
        "fairness_since",
        "fairness_assessment",
    ]


class ContractViewSet(KeptViewSet):
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


class DeductionCategoryViewSet(KeptViewSet):
    model = DeductionCategory
    icon = "list-ul"
    list_display = ["name", "code", "credited_to_worker"]
    list_filter = ["credited_to_worker"]
    list_export = ["code", "name", "credited_to_worker"]


class ConsentEditView(generic.EditView):
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


class ConsentViewSet(KeptViewSet):
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


class WorkingTimePolicyViewSet(KeptViewSet):
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
        "suspension_notice_days",
    ]


class SKUViewSet(KeptViewSet):
    model = SKU
    icon = "pick"
    list_display = ["code", "name", "unit", "workshop"]
    list_filter = ["workshop", "unit"]
    search_fields = ["code", "name"]
    list_export = ["code", "name", "unit", "workshop"]


class WorkProgrammeGroup(ModelViewSetGroup):
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


LOG_ACTIONS = (
    (
        "partner_fairness",
        _("Change a partner's fairness status"),
        _("Partner fairness status changed"),
    ),
    (
        "workshop_fairness",
        _("Change a workshop's fairness status"),
        _("Workshop fairness status changed"),
    ),
    ("consent_withdrawn", _("Withdraw a consent"), _("Consent withdrawn")),
)


def urls():
    return [
        path("register/workers/<int:worker_id>/transfer/", views.transfer, name="worker_transfer"),
        path("register/workers/<int:worker_id>/release/", views.release, name="worker_release"),
    ]


def private_files(user):
    """Signed consents carry the person's legal name: only those who may see identities read
    them (programme managers, administrators)."""
    if user.has_perm(IDENTITY):
        return Q(purpose="consent")
    return None
