"""The choosers of workshop records, for the admin forms that pick them (``core.choosers``: open
only to users with some permission on the model).

Safety incidents list only the workshops a user may see (``workshop_policy``), as their listing
does. Certificates are chosen nowhere and made only by issuing: their chooser is closed to
everyone. A story page picks its consent from a plain list that shows the consent's state and
dates rather than whose it is (``brand.forms``), so brand editors never open the consent chooser.
Small lookup tables (regions, trades, deduction categories) stay plain selects.
"""

from django.utils.translation import gettext_lazy as _

from core.choosers import RecordChooserViewSet
from workshops.access import visible_workshops
from workshops.models import (
    Certificate,
    Consent,
    Course,
    Enrolment,
    Partner,
    Prison,
    SafetyIncident,
    Worker,
    Workshop,
)


class WorkerChooser(RecordChooserViewSet):
    model = Worker
    icon = "group"
    choose_one_text = _("Choose a worker")
    choose_another_text = _("Choose another worker")


class PrisonChooser(RecordChooserViewSet):
    model = Prison
    icon = "home"
    choose_one_text = _("Choose a prison")
    choose_another_text = _("Choose another prison")


class WorkshopChooser(RecordChooserViewSet):
    model = Workshop
    icon = "cogs"
    choose_one_text = _("Choose a workshop")
    choose_another_text = _("Choose another workshop")


class PartnerChooser(RecordChooserViewSet):
    model = Partner
    icon = "openquote"
    choose_one_text = _("Choose a partner")
    choose_another_text = _("Choose another partner")


class ConsentChooser(RecordChooserViewSet):
    model = Consent
    icon = "form"
    choose_one_text = _("Choose a consent")
    choose_another_text = _("Choose another consent")

    def get_queryset(self, request):
        return Consent.objects.select_related("worker")


class CourseChooser(RecordChooserViewSet):
    model = Course
    icon = "doc-full-inverse"
    choose_one_text = _("Choose a course")
    choose_another_text = _("Choose another course")


class EnrolmentChooser(RecordChooserViewSet):
    model = Enrolment
    icon = "user"
    choose_one_text = _("Choose an enrolment")
    choose_another_text = _("Choose another enrolment")

    def get_queryset(self, request):
        return Enrolment.objects.select_related("worker", "course")


class SafetyIncidentChooser(RecordChooserViewSet):
    model = SafetyIncident
    icon = "warning"
    choose_one_text = _("Choose a safety incident")
    choose_another_text = _("Choose another safety incident")

    def get_queryset(self, request):
        return SafetyIncident.objects.filter(
            workshop__in=visible_workshops(request.user)
        ).select_related("workshop")


class CertificateChooser(RecordChooserViewSet):
    model = Certificate
    icon = "doc-full"
    closed = True


CHOOSERS = (
    WorkerChooser,
    PrisonChooser,
    WorkshopChooser,
    PartnerChooser,
    ConsentChooser,
    CourseChooser,
    EnrolmentChooser,
    SafetyIncidentChooser,
    CertificateChooser,
)
