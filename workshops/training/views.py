"""Screens of training: recording a session's attendance (a supervisor picks one of their
workshops' workers' enrolments; ``record_attendance`` does every check), and revoking, reissuing
and downloading a certificate (``workshops.training.certificates`` checks, signs and logs).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

from workshops.access import supervised_workshops, workshop_policy
from workshops.models import Certificate, Enrolment, Workshop
from workshops.training.attendance import record_attendance
from workshops.training.certificates import (
    Status,
    certificate_pdf,
    certificate_status,
    reissue_certificate,
    revoke_certificate,
)
from workshops.views import PermissionCheckedView

NAMESPACE = "workshops_certificate"
may_record = workshop_policy.may_record_anywhere


class AttendanceForm(forms.Form):
    workshop = forms.ModelChoiceField(label=gettext_lazy("Workshop"), queryset=Workshop.objects)
    enrolment = forms.ModelChoiceField(
        label=gettext_lazy("Worker and course"), queryset=Enrolment.objects
    )
    day = forms.DateField(label=gettext_lazy("Day"), widget=AdminDateInput)
    hours = forms.DecimalField(label=gettext_lazy("Hours"), max_digits=4, decimal_places=2)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), max_length=120)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("The reason, when the hours go over the working-time limits."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        workshops = supervised_workshops(user)
        self.fields["workshop"].queryset = workshops.order_by("name")
        self.fields["enrolment"].queryset = (
            Enrolment.objects.filter(
                withdrawn_on__isnull=True, worker__assignments__workshop__in=workshops
            )
            .select_related("worker", "course")
            .distinct()
            .order_by("worker__reference", "course__code")
        )


class RecordAttendanceView(PermissionCheckedView):
    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request):
        form = AttendanceForm(
            request.POST or None, user=request.user, initial={"day": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                attendance = record_attendance(user=request.user, **form.cleaned_data)
            except PermissionDenied:
                return permission_denied(request)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    _("Attendance recorded: %(attendance)s.") % {"attendance": attendance},
                )
                return redirect("training_attendance")
        return TemplateResponse(
            request,
            "workshops/training/attendance.html",
            {"form": form, "heading": _("Record training attendance")},
            status=400 if form.errors else 200,
        )


record = RecordAttendanceView.as_view()


STATUS_LABELS = {
    Status.VALID: gettext_lazy("Valid"),
    Status.REVOKED: gettext_lazy("Revoked"),
    Status.SUPERSEDED: gettext_lazy("Replaced"),
    Status.NOT_VALID: gettext_lazy("Not valid: the record does not match its signature"),
}


def status_label(certificate: Certificate) -> str:
    return STATUS_LABELS[certificate_status(certificate)]


CHANGE_POLICY = ModelPermissionPolicy(Certificate)


def may_change(user) -> bool:
    """Revokes and reissues certificates (the registered policy is read-only: no edit form)."""
    return CHANGE_POLICY.user_has_permission(user, "change")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("Kept in the record; the public page shows only the date."),
    )
    on = forms.DateField(label=gettext_lazy("Revoked on"), widget=AdminDateInput)


class ReissueForm(forms.Form):
    holder_name = forms.CharField(
        label=gettext_lazy("Name on the certificate"),
        max_length=120,
        help_text=gettext_lazy("The name the holder chose to have on it."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


class CertificateOperationView(PermissionCheckedView):
    """Revoking or reissuing: open to those who may change certificates (programme managers,
    administrators). The registered policy of ``Certificate`` is read-only, so that no edit form
    exists; these screens ask the model's own permission instead."""

    permission_policy = CHANGE_POLICY
    permission_required = "change"
    form_class: type[forms.Form]
    operation = None
    heading = ""
    message = ""

    def initial(self, certificate: Certificate) -> dict:
        return {}

    def handle(self, request, pk):
        certificate = get_object_or_404(Certificate.objects.select_related("enrolment"), pk=pk)
        form = self.form_class(request.POST or None, initial=self.initial(certificate))
        if request.method == "POST" and form.is_valid():
            try:
                done = self.operation(
                    certificate=certificate, user=request.user, **form.cleaned_data
                )
            except PermissionDenied:
                return permission_denied(request)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, self.message % {"name": done.holder_name})
                return redirect(f"{NAMESPACE}:inspect", done.pk)
        return TemplateResponse(
            request,
            "workshops/certificates/operation.html",
            {
                "form": form,
                "heading": self.heading,
                "certificate": certificate,
                "status": status_label(certificate),
            },
            status=400 if form.errors else 200,
        )


class RevokeView(CertificateOperationView):
    form_class = RevokeForm
    operation = staticmethod(revoke_certificate)
    heading = gettext_lazy("Revoke a certificate")
    message = gettext_lazy("The certificate of %(name)s is revoked.")

    def initial(self, certificate):
        return {"on": timezone.localdate()}


class ReissueView(CertificateOperationView):
    form_class = ReissueForm
    operation = staticmethod(reissue_certificate)
    heading = gettext_lazy("Reissue a certificate")
    message = gettext_lazy("A new certificate was issued to %(name)s; the old one is superseded.")

    def initial(self, certificate):
        return {"holder_name": certificate.holder_name, "language": certificate.language}


revoke = RevokeView.as_view()
reissue = ReissueView.as_view()


class CertificatePdfView(PermissionCheckedView):
    model = Certificate
    permission_required = "view"

    def handle(self, request, pk):
        certificate = get_object_or_404(
            Certificate.objects.select_related("enrolment__course"), pk=pk
        )
        status = certificate_status(certificate)
        if status != Status.VALID:
            # Never hand out a certificate that is no longer in force: its page says why.
            messages.error(
                request,
                _("This certificate is not in force (%(status)s): it cannot be downloaded.")
                % {"status": STATUS_LABELS[status]},
            )
            return redirect(f"{NAMESPACE}:inspect", certificate.pk)
        response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{certificate.public_id}.pdf"'
        )
        return response


pdf = CertificatePdfView.as_view()
