"""The buyer's return form: how many of each line of the order (0 to what may still be returned),
why (a choice, and words), and the form's key."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import ReturnRequest


class ReturnForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.ChoiceField(
        label=_("Why you return them"),
        choices=ReturnRequest.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed for another reason. At most 1,000 characters."),
    )

    def __init__(self, *args, lines, left: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for line in lines:
            most = left.get(line.pk, 0)
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=line.description,
                min_value=0,
                max_value=most,
                initial=0,
                disabled=most == 0,
                help_text=_("Bought: %(bought)s. You can return up to %(most)s.")
                % {"bought": line.quantity, "most": most},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.lines.append((line, name))
        self.order_fields(["key", *(name for _line, name in self.lines), "reason", "details"])

    def line_fields(self):
        return [self[name] for _line, name in self.lines]

    def asked(self) -> list[tuple[int, int]]:
        return [(line.pk, self.cleaned_data.get(name) or 0) for line, name in self.lines]
