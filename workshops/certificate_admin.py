"""Back-office screens for certificates. Programme managers issue, revoke and reissue them, and
every screen goes through the operations in ``workshops.certificates``, which check the hours and
the assessment, sign and log. A certificate is never edited or deleted. *Add* is issuing, and
*change* allows revoking and reissuing. Whoever may view certificates can download one as a PDF
to hand to its holder.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateInput, Button
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from workshops.certificates import (
    Status,
    certificate_pdf,
    certificate_status,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
    verify_url,
)
from workshops.models import Certificate

NAMESPACE = "wagtailsnippets_workshops_certificate"

STATUS_LABELS = {
    Status.VALID: gettext_lazy("Valid"),
    Status.REVOKED: gettext_lazy("Revoked"),
    Status.SUPERSEDED: gettext_lazy("Replaced"),
    Status.NOT_VALID: gettext_lazy("Not valid: the record does not match its signature"),
}


def status_label(certificate: Certificate) -> str:
    return STATUS_LABELS[certificate_status(certificate)]


class CertificatePolicy(ModelPermissionPolicy):
    """Only view and add (issue) through the snippet screens: certificates change through their
    operations alone."""

    def user_has_permission(self, user, action):
        return action in ("view", "add") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Certificate, CertificatePolicy(Certificate), exact_class=True)


def may_change(user) -> bool:
    return user.has_perm("workshops.change_certificate")


def certificate_buttons(certificate: Certificate, user, *, button_class=Button) -> list:
    """Download, open the public page, and (for those who may) revoke and reissue."""
    buttons = [
        button_class(
            _("Verification page"), verify_url(certificate), icon_name="link-external", priority=45
        ),
    ]
    in_force = certificate.revoked_on is None and certificate.superseded_by_id is None
    if in_force:
        buttons.append(
            button_class(
                _("Download PDF"),
                reverse(f"{NAMESPACE}:pdf", args=[certificate.pk]),
                icon_name="download",
                priority=40,
            )
        )
    if in_force and may_change(user):
        buttons += [
            button_class(
                _("Reissue"),
                reverse(f"{NAMESPACE}:reissue", args=[certificate.pk]),
                icon_name="repeat",
                priority=50,
            ),
            button_class(
                _("Revoke"),
                reverse(f"{NAMESPACE}:revoke", args=[certificate.pk]),
                icon_name="cross",
                priority=60,
            ),
        ]
    return buttons


class IssueForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["enrolment", "holder_name", "language"]
        widgets = {"enrolment": forms.Select}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = self.fields["enrolment"].queryset.select_related(
            "worker", "course"
        )
        self.fields["language"].help_text = _("The language the certificate is printed in.")


class IssueView(snippet_views.CreateView):
    """Issuing: ``issue_certificate`` checks the hours and the assessment and signs."""

    def get_form_class(self):
        return IssueForm

    def form_valid(self, form):
        self.form = form
        try:
            self.object = issue_certificate(user=self.request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_buttons(self):
        return []  # certificates are never edited: the success page is the certificate itself

    def get_success_message(self, instance):
        return _("Certificate issued to %(name)s.") % {"name": instance.holder_name}


class CertificateIndexView(snippet_views.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *certificate_buttons(instance, self.request.user),
        ]


class CertificateInspectView(snippet_views.InspectView):
    def get_fields(self):
        return [
            "holder_name",
            "enrolment",
            "language",
            "issued_on",
            "issued_by",
            "public_id",
            "key_id",
            "revoked_on",
            "revocation_reason",
            "superseded_by",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"].insert(
            0,
            {"label": _("Status"), "value": status_label(self.object), "component": None},
        )
        return context

    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *certificate_buttons(self.object, self.request.user, button_class=HeaderButton),
        ]


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


def _operation_view(request, pk, *, form_class, initial, operation, heading, message):
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment"), pk=pk)
    if not may_change(request.user):
        return permission_denied(request)
    form = form_class(request.POST or None, initial=initial(certificate))
    if request.method == "POST" and form.is_valid():
        try:
            done = operation(certificate=certificate, user=request.user, **form.cleaned_data)
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, message % {"name": done.holder_name})
            return redirect(f"{NAMESPACE}:inspect", done.pk)
    return TemplateResponse(
        request,
        "workshops/certificates/operation.html",
        {
            "form": form,
            "heading": heading,
            "certificate": certificate,
            "status": status_label(certificate),
        },
        status=400 if form.errors else 200,
    )


def revoke(request, pk):
    return _operation_view(
        request,
        pk,
        form_class=RevokeForm,
        initial=lambda certificate: {"on": timezone.localdate()},
        operation=revoke_certificate,
        heading=_("Revoke a certificate"),
        message=_("The certificate of %(name)s is revoked."),
    )


def reissue(request, pk):
    return _operation_view(
        request,
        pk,
        form_class=ReissueForm,
        initial=lambda certificate: {
            "holder_name": certificate.holder_name,
            "language": certificate.language,
        },
        operation=reissue_certificate,
        heading=_("Reissue a certificate"),
        message=_("A new certificate was issued to %(name)s; the old one is superseded."),
    )


def pdf(request, pk):
    if not request.user.has_perm("workshops.view_certificate"):
        return permission_denied(request)
    certificate = get_object_or_404(Certificate.objects.select_related("enrolment__course"), pk=pk)
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


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = IssueView
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    list_display = [
        "holder_name",
        Column(
            "qualification",
            label=gettext_lazy("Qualification"),
            accessor=lambda certificate: certificate.content.get("qualification", ""),
        ),
        "issued_on",
        Column("status", label=gettext_lazy("Status"), accessor=status_label),
    ]
    list_filter = ["language", "issued_on", "revoked_on"]
    search_fields = ["holder_name", "public_id"]

    def get_queryset(self, request):
        return Certificate.objects.select_related("enrolment__course")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("pdf/<int:pk>/", pdf, name="pdf"),
            path("revoke/<int:pk>/", revoke, name="revoke"),
            path("reissue/<int:pk>/", reissue, name="reissue"),
        ]
