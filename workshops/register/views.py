"""Back-office screens for moving a worker: a transfer to another prison, and release. Both call
the operations (``transfer_worker``, ``release_worker``), which end the stay and the assignments
and keep the history."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from workshops.models import Prison, Worker
from workshops.register.assignments import release_worker, transfer_worker
from workshops.views import PermissionCheckedView


class TransferForm(forms.Form):
    to_prison = forms.ModelChoiceField(
        label=gettext_lazy("To prison"), queryset=Prison.objects.order_by("name")
    )
    on = forms.DateField(label=gettext_lazy("From"), widget=AdminDateInput)


class ReleaseForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Released on"), widget=AdminDateInput)


class MoveWorkerView(PermissionCheckedView):
    """Transfer or release a worker through its operation (``workshops.register.assignments``)."""

    model = Worker
    permission_required = "change"
    form_class = operation = heading = done = None

    def handle(self, request, worker_id):
        worker = get_object_or_404(Worker, pk=worker_id)
        form = self.form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.operation(worker=worker, user=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, self.done % {"worker": worker})
                return redirect("workshops_worker:index")
        return TemplateResponse(
            request,
            "workshops/move_worker.html",
            {"form": form, "worker": worker, "heading": self.heading % {"worker": worker}},
        )


transfer = MoveWorkerView.as_view(
    form_class=TransferForm,
    operation=transfer_worker,
    heading=gettext_lazy("Transfer %(worker)s to another prison"),
    done=gettext_lazy(
        "%(worker)s was transferred; their earlier stay and assignments ended the day before."
    ),
)
release = MoveWorkerView.as_view(
    form_class=ReleaseForm,
    operation=release_worker,
    heading=gettext_lazy("Record the release of %(worker)s"),
    done=gettext_lazy(
        "%(worker)s's release was recorded; their stay and assignments ended that day."
    ),
)
