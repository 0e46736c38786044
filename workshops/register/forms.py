"""Back-office forms of the register. They hold no rules of their own: they call the same checks
as the operations (``check_assignment``, ``check_contract``), so a refusal reads the same
wherever it happens."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from core.private_files import store_private_file
from core.uploads import JPEG, PDF, PNG, UploadRefused, check_upload
from workshops.models import Contract
from workshops.register.assignments import check_assignment
from workshops.register.contracts import check_contract
from workshops.register.references import check_reference_change


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


class WorkerForm(WagtailAdminModelForm):
    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        check_reference_change(self.instance, reference)
        return reference


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
    """The signed document is uploaded here and stored privately (core.private_files): checked
    by content (a PDF or a scan), served later only through the permission-checked view."""

    signed_document = forms.FileField(
        label=gettext_lazy("Signed document (PDF, PNG or JPEG)"),
        required=False,
        help_text=gettext_lazy("Replaces the document on file, if any."),
    )

    def clean_signed_document(self):
        uploaded = self.cleaned_data.get("signed_document")
        if uploaded:
            try:
                check_upload(
                    uploaded, allowed=(PDF, PNG, JPEG), max_bytes=settings.PRIVATE_FILE_MAX_BYTES
                )
            except UploadRefused as refused:
                raise ValidationError(str(refused)) from None
        return uploaded

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.withdrawn_on and not data.get("withdrawn_on"):
            raise ValidationError(
                _("A withdrawal cannot be undone: record a new consent if the person agrees again.")
            )
        return data

    def save(self, commit=True):
        uploaded = self.cleaned_data.get("signed_document")
        if uploaded:
            self.instance.document = store_private_file(
                uploaded, purpose="consent", allowed=(PDF, PNG, JPEG), user=self.for_user
            )
        return super().save(commit=commit)
