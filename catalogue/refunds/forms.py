"""The back office's refund form of one order: per line still refundable, how many units and
whether they go back in stock; or an amount; and why. Its hidden ``key`` is made when the form is
shown, so a double submit makes one refund (``operations.refund_order`` is idempotent on it)."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from moneyed import Money
from wagtail.admin.widgets import AdminDateInput

from catalogue.refunds.splitting import SHIPPING, Left


class RefundForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = forms.DecimalField(
        label=_("Or an amount"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=3,
        max_digits=15,
        help_text=_("Leave empty to refund the units above. An amount is split over the order."),
    )
    reason = forms.CharField(
        label=_("Why it is refunded"),
        max_length=200,
        help_text=_("Printed on the credit note and shown to other staff."),
    )

    def __init__(self, data=None, *, left: dict[int | None, Left], currency: str, **kwargs):
        kwargs.setdefault("initial", {"key": uuid.uuid4().hex})
        super().__init__(data, prefix="refund", **kwargs)
        self.currency = currency
        self.line_fields = []
        for line_id, remains in left.items():
            if line_id is SHIPPING or remains.quantity < 1:
                continue
            quantity = forms.IntegerField(
                label=_("%(line)s: units to refund (up to %(left)s)")
                % {"line": remains.description, "left": remains.quantity},
                min_value=0,
                max_value=remains.quantity,
                initial=0,
                required=False,
            )
            restock = forms.BooleanField(
                label=_("Put them back in stock"), required=False, initial=True
            )
            self.fields[f"quantity_{line_id}"] = quantity
            self.fields[f"restock_{line_id}"] = restock
            self.line_fields.append((line_id, f"quantity_{line_id}", f"restock_{line_id}"))
        self.fields["amount"].label = _("Or an amount (%(currency)s)") % {"currency": currency}
        self.order_fields([*(name for row in self.line_fields for name in row[1:]), "amount"])

    def lines(self) -> list[tuple[int, int, bool]]:
        data = self.cleaned_data
        return [
            (line_id, data[quantity], bool(data.get(restock)))
            for line_id, quantity, restock in self.line_fields
            if data.get(quantity)
        ]

    def money(self) -> Money | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else Money(amount, self.currency)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if bool(self.lines()) == (cleaned.get("amount") is not None):
            raise forms.ValidationError(
                _("Give units to refund on some lines, or an amount, not both.")
            )
        return cleaned


class PaidBackForm(forms.Form):
    """The day finance transferred a refund on invoice to the buyer."""

    on = forms.DateField(label=_("Day the transfer left"), widget=AdminDateInput)
