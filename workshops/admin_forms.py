"""Back-office forms of the register. They hold no rules of their own: they call the same checks
as the operations (``check_assignment``, ``check_contract``), so a refusal reads the same
wherever it happens."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from workshops.assignments import check_assignment
from workshops.contracts import check_contract
from workshops.models import Contract


class AssignmentForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if not self.errors and data.get("worker") and data.get("workshop") and data.get("start"):
            check_assignment(
                worker=data["worker"],
                workshop=data["workshop"],
                start=data["start"],
                end=data.get("end"),
                exclude_pk=self.instance.pk,
            )
        return data


class ContractForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if not self.errors and data.get("workshop") and data.get("start"):
            probe = Contract(
                pk=self.instance.pk,
                workshop=data["workshop"],
                start=data["start"],
                end=data.get("end"),
            )
            check_contract(probe)
        return data


class ConsentForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.withdrawn_on and not data.get("withdrawn_on"):
            raise ValidationError(
                _("A withdrawal cannot be undone: record a new consent if the person agrees again.")
            )
        return data
