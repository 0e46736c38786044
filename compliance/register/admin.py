"""Back-office screens of the data the safeguard rules read besides the work programme's
records: safety inspections, injury insurance, declarations of interest, grievances and the
compliance thresholds. Programme managers keep them; auditors read them (each has an inspect
view, which findings cite as evidence). Wagtail's generic views log every change.

``compliance.wagtail_hooks`` registers ``ComplianceDataGroup``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.viewsets import KeptViewSet


class SafetyInspectionViewSet(KeptViewSet):
    model = SafetyInspection
    icon = "warning"
    menu_label = _("Safety inspections")
    list_display = ["inspected_on", "partner", "workshop", "inspector", "result"]
    list_filter = ["result", "partner"]
    list_export = [*list_display, "findings"]


class InsuranceCoverViewSet(KeptViewSet):
    model = InsuranceCover
    icon = "doc-full"
    menu_label = _("Injury insurance")
    list_display = ["partner", "workshop", "insurer", "policy_number", "start", "end"]
    list_filter = ["partner"]
    list_export = list_display


class InterestDeclarationViewSet(KeptViewSet):
    model = InterestDeclaration
    icon = "user"
    menu_label = _("Declarations of interest")
    list_display = ["declared_on", "staff", "partner", "has_interest"]
    list_filter = ["partner", "has_interest"]
    list_export = [*list_display, "interest"]


class GrievanceViewSet(KeptViewSet):
    model = Grievance
    icon = "mail"
    menu_label = _("Grievances")
    list_display = ["received_on", "worker", "partner", "workshop", "category", "answered_on"]
    list_filter = ["category", "partner", "workshop"]
    search_fields = ["worker__reference", "subject"]
    list_export = [*list_display, "subject", "outcome"]


class ComplianceThresholdsViewSet(KeptViewSet):
    model = ComplianceThresholds
    icon = "cog"
    menu_label = _("Compliance thresholds")
    list_display = [
        "effective_from",
        "training_share",
        "gender_gap",
        "grievance_answer_days",
        "victims_fund_min",
        "victims_fund_max",
        "inspection_valid_days",
    ]
    list_export = list_display


class ComplianceDataGroup(ModelViewSetGroup):
    menu_label = _("Compliance")
    menu_icon = "tick-inverse"
    menu_order = 500
    items = (
        SafetyInspectionViewSet,
        InsuranceCoverViewSet,
        InterestDeclarationViewSet,
        GrievanceViewSet,
        ComplianceThresholdsViewSet,
    )
