"""Recording a training session's attendance: a supervisor picks one of their workshops' workers'
enrolments; the operation (``record_attendance``) does every check."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput

from workshops.models import Enrolment, Workshop
from workshops.production import supervised_workshops
from workshops.production_views import may_record
from workshops.training import record_attendance


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


def record(request):
    if not may_record(request.user):
        return permission_denied(request)
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
