"""Back-office screens of payees (*Family remittances → Payees*): programme managers add a
worker's payee with the signed consent, record a consent later, and end a payee; finance officers
and auditors read them. The signed consent opens only to those who may see workers' identities
(the form carries the worker's name). Every change goes through ``wages.remittances.payees``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminDateInput

from core.views import private_file_response
from wages.models import Payee
from wages.remittances.payees import END, KEEP, payee_add, payee_end, payee_record_consent
from workshops.models import Worker

NAMESPACE = "wages_payee"
IDENTITY = "workshops.view_worker_identity"


class ConsentForm(forms.Form):
    consented_on = forms.DateField(label=gettext_lazy("Consent signed on"), widget=AdminDateInput)
    document = forms.FileField(
        label=gettext_lazy("Signed consent (PDF, PNG or JPEG)"),
        help_text=gettext_lazy("The worker's written consent to send money to this payee."),
    )


class PayeeForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=gettext_lazy("Worker"), queryset=Worker.objects.order_by("reference")
    )
    name = forms.CharField(label=gettext_lazy("Account holder's name"), max_length=70)
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship"), choices=Payee.Relationship.choices
    )
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=50)
    bic = forms.CharField(
        label=gettext_lazy("BIC"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Leave empty to derive it from the IBAN."),
    )
    consented_on = forms.DateField(
        label=gettext_lazy("Consent signed on"), widget=AdminDateInput, required=False
    )
    document = forms.FileField(
        label=gettext_lazy("Signed consent (PDF, PNG or JPEG)"),
        required=False,
        help_text=gettext_lazy("Without it the payee is kept but receives nothing."),
    )


class CreateView(generic.CreateView):
    submit_button_label = gettext_lazy("Save")

    def get_form_class(self):
        return PayeeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("for_user", None)
        return kwargs

    def form_valid(self, form):
        self.form = form
        try:
            self.object = payee_add(user=self.request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_buttons(self):
        return []

    def get_success_message(self, instance):
        return _("Payee %(name)s recorded for %(worker)s.") % {
            "name": instance.name,
            "worker": instance.worker.reference,
        }


class InspectView(generic.InspectView):
    template_name = "wages/remittances/payee.html"

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payee, user = self.object, self.request.user
        context.update(
            payee=payee,
            may_keep=payee.active and user.has_perm(KEEP),
            may_end=payee.active and user.has_perm(END),
            may_read_consent=payee.consent_document_id and user.has_perm(IDENTITY),
            consent_form=ConsentForm(prefix="consent"),
            today=timezone.localdate(),
            remittances=payee.remittances.select_related("batch").order_by("-pk")[:50],
        )
        return context


def _refused(request, refused: ValidationError):
    messages.error(request, " ".join(refused.messages))


@require_POST
def record_consent(request, pk):
    if not request.user.has_perm(KEEP):
        return permission_denied(request)
    payee = get_object_or_404(Payee, pk=pk)
    form = ConsentForm(request.POST, request.FILES, prefix="consent")
    if not form.is_valid():
        messages.error(request, _("Give the day the consent was signed and its document."))
        return redirect(f"{NAMESPACE}:inspect", payee.pk)
    try:
        payee_record_consent(payee=payee, user=request.user, **form.cleaned_data)
    except PermissionDenied:
        return permission_denied(request)
    except ValidationError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            _("The consent is on file: %(name)s can receive remittances.") % {"name": payee.name},
        )
    return redirect(f"{NAMESPACE}:inspect", payee.pk)


@require_POST
def end(request, pk):
    if not request.user.has_perm(END):
        return permission_denied(request)
    payee = get_object_or_404(Payee, pk=pk)
    try:
        payee_end(payee=payee, on=timezone.localdate(), user=request.user)
    except ValidationError as refused:
        _refused(request, refused)
    else:
        messages.success(
            request, _("Payee %(name)s ended: nothing more is sent to them.") % {"name": payee.name}
        )
    return redirect(f"{NAMESPACE}:inspect", payee.pk)


@require_GET
def consent_document(request, pk):
    if not request.user.has_perm(IDENTITY):
        return permission_denied(request)
    payee = get_object_or_404(Payee.objects.select_related("consent_document"), pk=pk)
    if payee.consent_document is None:
        return redirect(f"{NAMESPACE}:inspect", payee.pk)
    return private_file_response(payee.consent_document)
