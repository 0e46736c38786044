"""Back-office screens for moving a worker: a transfer to another prison, and release. Both call
the operations (``transfer_worker``, ``release_worker``), which end the stay and the assignments
and keep the history."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput

from workshops.models import Prison, Worker
from workshops.register.assignments import release_worker, transfer_worker


class TransferForm(forms.Form):
    to_prison = forms.ModelChoiceField(
        label=gettext_lazy("To prison"), queryset=Prison.objects.order_by("name")
    )
    on = forms.DateField(label=gettext_lazy("From"), widget=AdminDateInput)


class ReleaseForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Released on"), widget=AdminDateInput)


def _move(request, worker_id, form_class, operation, heading, done):
    if not request.user.has_perm("workshops.change_worker"):
        return permission_denied(request)
    worker = get_object_or_404(Worker, pk=worker_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operation(worker=worker, user=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done % {"worker": worker})
            return redirect("wagtailsnippets_workshops_worker:list")
    return TemplateResponse(
        request,
        "workshops/move_worker.html",
        {"form": form, "worker": worker, "heading": heading % {"worker": worker}},
    )


def transfer(request, worker_id):
    return _move(
        request,
        worker_id,
        TransferForm,
        transfer_worker,
        _("Transfer %(worker)s to another prison"),
        _("%(worker)s was transferred; their earlier stay and assignments ended the day before."),
    )


def release(request, worker_id):
    return _move(
        request,
        worker_id,
        ReleaseForm,
        release_worker,
        _("Record the release of %(worker)s"),
        _("%(worker)s's release was recorded; their stay and assignments ended that day."),
    )
