"""Back-office screens of the data the safeguard rules read besides the work programme's
records: safety inspections, injury insurance, declarations of interest, grievances and the
compliance thresholds. Programme managers keep them; auditors read them (each has an inspect
view, which findings cite as evidence). The add and edit forms save through the operations of
``compliance.register.operations``, which check, save and log; their refusals show on the form.

``compliance.wagtail_hooks`` registers ``ComplianceDataGroup``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from compliance.models import (
    ComplianceThresholds,
    Grievance,
    InsuranceCover,
    InterestDeclaration,
    SafetyInspection,
)
from compliance.register import operations
from compliance.viewsets import KeptViewSet
from core.viewsets import SaveView


class OperationFormMixin:
    """The form's record is saved by ``operation(user=..., <record>=...)``; a refusal in words
    shows on the form, and nothing is saved."""

    operation = None  # (function, keyword of the record)

    def form_valid(self, form):
        self.form = form
        function, keyword = self.operation
        try:
            self.object = function(user=self.request.user, **{keyword: form.save(commit=False)})
        except ValidationError as refused:
            if hasattr(refused, "error_dict") and set(refused.error_dict) <= set(form.fields):
                form.add_error(None, refused)
            else:
                form.add_error(None, refused.messages)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()


def operation_views(function, keyword):
    """The add, edit and copy view classes of a viewset whose saves are ``function``."""
    attrs = {"operation": (function, keyword)}
    return (
        type("CreateView", (OperationFormMixin, SaveView), attrs),
        type("EditView", (OperationFormMixin, generic.EditView), attrs),
        type("CopyView", (OperationFormMixin, generic.CopyView), attrs),
    )


class SafetyInspectionViewSet(KeptViewSet):
    add_view_class, edit_view_class, copy_view_class = operation_views(
        operations.save_inspection, "inspection"
    )
    model = SafetyInspection
    icon = "warning"
    menu_label = _("Safety inspections")
    list_display = ["inspected_on", "partner", "workshop", "inspector", "result"]
    list_filter = ["result", "partner"]
    list_export = [*list_display, "findings"]


class InsuranceCoverViewSet(KeptViewSet):
    add_view_class, edit_view_class, copy_view_class = operation_views(
        operations.save_insurance, "cover"
    )
    model = InsuranceCover
    icon = "doc-full"
    menu_label = _("Injury insurance")
    list_display = ["partner", "workshop", "insurer", "policy_number", "start", "end"]
    list_filter = ["partner"]
    list_export = list_display


class InterestDeclarationViewSet(KeptViewSet):
    add_view_class, edit_view_class, copy_view_class = operation_views(
        operations.save_declaration, "declaration"
    )
    model = InterestDeclaration
    icon = "user"
    menu_label = _("Declarations of interest")
    list_display = ["declared_on", "staff", "partner", "has_interest"]
    list_filter = ["partner", "has_interest"]
    list_export = [*list_display, "interest"]


class GrievanceViewSet(KeptViewSet):
    add_view_class, edit_view_class, copy_view_class = operation_views(
        operations.save_grievance, "grievance"
    )
    model = Grievance
    icon = "mail"
    menu_label = _("Grievances")
    list_display = ["received_on", "worker", "partner", "workshop", "category", "answered_on"]
    list_filter = ["category", "partner", "workshop"]
    search_fields = ["worker__reference", "subject"]
    list_export = [*list_display, "subject", "outcome"]


class ComplianceThresholdsViewSet(KeptViewSet):
    add_view_class, edit_view_class, copy_view_class = operation_views(
        operations.save_thresholds, "thresholds"
    )
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
