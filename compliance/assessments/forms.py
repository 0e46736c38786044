"""The forms of the assessments' back-office screens (``compliance.assessments.admin``). They only
collect and type what the operations take; every rule (who, when, what a file is) is the
operations' own, and their refusals come back onto these forms."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from compliance.models import Assessment, CorrectiveAction, Observation, Outcome
from workshops.models import Partner, Workshop

# What the upload controls offer; the operation checks each file by its content.
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none when not required), as a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class StartAssessmentForm(forms.ModelForm):
    """What ``start_assessment`` takes: a partner or a workshop, chosen by slug, and a period."""

    partner = forms.ModelChoiceField(
        Partner.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Partner"),
    )
    workshop = forms.ModelChoiceField(
        Workshop.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Workshop"),
    )

    class Meta:
        model = Assessment
        fields = ["kind", "start", "end"]
        widgets = {"start": AdminDateInput, "end": AdminDateInput}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and not data.get(kind):
            self.add_error(
                kind,
                _("Choose the %(kind)s to assess.") % {"kind": Assessment.Kind(kind).label},
            )
        return data


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The auditor's conclusion in a few sentences; the report opens with it."
        ),
    )


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Observation.Kind.choices)
    observed_on = forms.DateField(label=gettext_lazy("Observed on"), widget=AdminDateInput)
    text = forms.CharField(
        label=gettext_lazy("Observation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=gettext_lazy("Attachments"),
        help_text=gettext_lazy("PDF documents or photos (PNG, JPEG)."),
    )


class CorrectiveActionForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("What must be done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label=gettext_lazy("Owner"),
        max_length=160,
        help_text=gettext_lazy("Who is answerable: a role or a named contact."),
    )
    set_on = forms.DateField(
        label=gettext_lazy("Set on"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy("Today when left empty."),
    )
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=AdminDateInput)


class CloseActionForm(forms.Form):
    closed_on = forms.DateField(label=gettext_lazy("Closed on"), widget=AdminDateInput)
    note = forms.CharField(
        label=gettext_lazy("How it was closed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What changed, and what shows it."),
    )
    files = MultipleFileField(
        label=gettext_lazy("Evidence"),
        help_text=gettext_lazy("PDF documents or photos (PNG, JPEG)."),
    )


class ResponseForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=AdminDateInput)
    responder = forms.CharField(label=gettext_lazy("From"), max_length=160)
    text = forms.CharField(label=gettext_lazy("Response"), widget=forms.Textarea(attrs={"rows": 3}))
    action = forms.ModelChoiceField(
        CorrectiveAction.objects.none(),
        label=gettext_lazy("About the corrective action"),
        required=False,
    )
    document = forms.FileField(
        label=gettext_lazy("Document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=gettext_lazy("A PDF document or a photo (PNG, JPEG)."),
    )

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        field.queryset = actions if actions is not None else CorrectiveAction.objects.none()
        field.label_from_instance = lambda action: f"{action.finding.code}: {action.what[:60]}"


class SignForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason for another outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required when the outcome is not the one the open findings give; the report prints it."
        ),
    )
