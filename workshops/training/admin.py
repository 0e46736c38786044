"""Back-office screens for training: programme managers keep courses, enrolments and
assessments; supervisors record attendance for their workshops (``workshops.training.views``),
which lists read-only, scoped like production.

Certificates: programme managers issue, revoke and reissue them, and every screen goes through the
operations in ``workshops.training.certificates``, which check the hours and the assessment, sign
and log. A certificate is never edited or deleted. *Add* is issuing, and *change* allows revoking
and reissuing. Whoever may view certificates can download one as a PDF to hand to its holder.

``workshops.wagtail_hooks`` registers what this module exposes: ``TrainingGroup``, ``menu_items``,
``urls`` and ``LOG_ACTIONS``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import HeaderButton

from core.formatting import format_number
from core.permissions import register_read_only
from core.viewsets import InspectView, SaveView, ScopedIndexView
from workshops.models import Assessment, Certificate, Course, Enrolment, TrainingAttendance
from workshops.production.admin import ReadOnlyViewSet, RecordingMenuItem, scoped
from workshops.training import views
from workshops.training.certificates import issue_certificate, verify_url
from workshops.training.progress import open_enrolments
from workshops.training.views import NAMESPACE, may_change, pdf, reissue, revoke, status_label
from workshops.viewsets import KeptViewSet


class CourseViewSet(KeptViewSet):
    model = Course
    icon = "doc-full-inverse"
    list_display = ["code", "qualification", "level", "trade", "required_hours", "is_active"]
    list_filter = ["trade", "is_active"]
    search_fields = ["code", "qualification"]
    list_export = [
        "code",
        "qualification",
        "level",
        "awarding_body",
        "trade",
        "required_hours",
        "assessment",
    ]


class EnrolmentViewSet(KeptViewSet):
    model = Enrolment
    icon = "user"
    list_display = ["worker", "course", "enrolled_on", "withdrawn_on"]
    list_filter = ["course"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "course", "enrolled_on", "withdrawn_on"]


class AssessmentViewSet(KeptViewSet):
    model = Assessment
    icon = "tick-inverse"
    list_display = ["enrolment", "assessed_on", "outcome", "assessor"]
    list_filter = ["outcome"]
    search_fields = ["enrolment__worker__reference"]
    list_export = ["enrolment", "assessed_on", "outcome", "assessor", "notes"]


class TrainingAttendanceViewSet(ReadOnlyViewSet):
    """With a session's own page, which compliance findings cite as evidence; 404 to a
    supervisor outside its workshop."""

    model = TrainingAttendance
    icon = "time"
    inspect_view_enabled = True
    list_display = ["day", "enrolment", "workshop", "hours", "trainer", "breaches", "lock"]
    list_filter = ["workshop", "day"]
    search_fields = ["enrolment__worker__reference"]
    list_export = ["day", "enrolment", "workshop", "hours", "trainer", "note", "breaches", "lock"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrolment__worker", "enrolment__course", "workshop", "lock")
        )


TrainingAttendanceViewSet.inspect_view_class = scoped(InspectView)


# Only view and add (issue) through the admin screens: certificates change through their
# operations alone (revoke, reissue).
register_read_only(Certificate, also=("add",))


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
                icon_name="rotate",
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
        field = self.fields["enrolment"]
        field.queryset = field.queryset.select_related("worker", "course")
        field.choices = enrolment_choices()
        field.help_text = _(
            "Enrolments ready for a certificate (the course's hours attended and an assessment "
            "passed) come first."
        )
        self.fields["language"].help_text = _("The language the certificate is printed in.")


def enrolment_choices() -> list:
    """The open enrolments in two groups, ready ones first, each saying where it stands."""
    enrolments = list(open_enrolments())
    ready = [enrolment for enrolment in enrolments if enrolment.ready]
    others = [enrolment for enrolment in enrolments if not enrolment.ready]

    def label(enrolment, state):
        return f"{enrolment.worker.reference} · {enrolment.course.qualification} — {state}"

    def not_yet(enrolment):
        hours = _("%(attended)s of %(required)s hours") % {
            "attended": format_number(enrolment.attended),
            "required": format_number(enrolment.course.required_hours),
        }
        if enrolment.passed:
            return _("%(hours)s, assessment passed") % {"hours": hours}
        return _("%(hours)s, no passed assessment") % {"hours": hours}

    return [
        ("", "---------"),
        (
            _("Ready for a certificate"),
            [
                (
                    e.pk,
                    label(
                        e,
                        _("ready: %(hours)s hours, assessment passed")
                        % {"hours": format_number(e.attended)},
                    ),
                )
                for e in ready
            ],
        ),
        (_("Not yet ready"), [(e.pk, label(e, not_yet(e))) for e in others]),
    ]


class IssueView(SaveView):
    """Issuing: ``issue_certificate`` checks the hours and the assessment and signs."""

    def get_form_class(self):
        return IssueForm

    def get_initial(self):
        return {**super().get_initial(), "enrolment": self.request.GET.get("enrolment")}

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


class CertificateIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *certificate_buttons(instance, self.request.user),
        ]


class CertificateInspectView(generic.InspectView):
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


class CertificateViewSet(KeptViewSet):
    model = Certificate
    icon = "doc-full"
    copy_view_enabled = False
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


class TrainingGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Training")
    menu_icon = "doc-full-inverse"
    menu_order = 195
    items = (
        CourseViewSet,
        EnrolmentViewSet,
        AssessmentViewSet,
        CertificateViewSet,
        TrainingAttendanceViewSet,
    )


def menu_item():
    return RecordingMenuItem(
        gettext_lazy("Record training"),
        reverse("training_attendance"),
        icon_name="time",
        order=185,
    )


def urls():
    return [path("training/attendance/", views.record, name="training_attendance")]


LOG_ACTIONS = (
    ("certificate_issued", gettext_lazy("Issue a certificate"), gettext_lazy("Certificate issued")),
    (
        "certificate_revoked",
        gettext_lazy("Revoke a certificate"),
        gettext_lazy("Certificate revoked"),
    ),
    (
        "certificate_superseded",
        gettext_lazy("Reissue a certificate"),
        gettext_lazy("Certificate superseded"),
    ),
)
