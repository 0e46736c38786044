"""The back office's forms for answering a quote: a unit price per line (the list price to start
with), the shipping rate among those offered to the buyer's country for the lines' weight, and
the valid-until day; and the reason a quote is withdrawn."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from catalogue.checkout.forms import rate_label
from catalogue.models import Quote, ShippingRate
from catalogue.shipping.pricing import rates_for

VALID_FOR_DAYS = 30


def offered_rates(quote: Quote, lines) -> list[ShippingRate]:
    """The rates offered to the quote's country for its lines' weight; none when it has none."""
    weight = sum(line.variant.weight_grams * line.quantity for line in lines if line.variant)
    try:
        return rates_for(quote.country, weight)
    except ValidationError:
        return []


class AnswerForm(forms.Form):
    shipping_rate = forms.TypedChoiceField(label=_("Shipping"), coerce=int)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=AdminDateInput,
        help_text=_("The last day the buyer may accept these prices."),
    )

    def __init__(self, *args, quote: Quote, lines, rates, **kwargs):
        initial = {
            "shipping_rate": quote.shipping_rate_id or (rates[0].pk if len(rates) == 1 else None),
            "valid_until": quote.valid_until
            or timezone.localdate() + datetime.timedelta(days=VALID_FOR_DAYS),
        }
        super().__init__(*args, initial=initial, prefix="answer", **kwargs)
        self.lines, self.rates = lines, {rate.pk: rate for rate in rates}
        self.fields["shipping_rate"].choices = [("", _("Choose the shipping"))] + [
            (rate.pk, rate_label(rate)) for rate in rates
        ]
        for line in lines:
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                label=_("Unit price of %(line)s") % {"line": line.description},
                min_value=0,
                max_digits=15,
                decimal_places=3,
                initial=line.unit_price.amount,
                help_text=_("List price %(price)s") % {"price": line.list_price},
            )

    def price_fields(self):
        return [(line, self[f"price_{line.pk}"]) for line in self.lines]

    @property
    def rate(self) -> ShippingRate | None:
        return self.rates.get(self.cleaned_data.get("shipping_rate"))

    def unit_prices(self) -> dict:
        return {line.pk: self.cleaned_data[f"price_{line.pk}"] for line in self.lines}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=200,
        help_text=_("Kept with the quote and shown to other staff."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="withdraw", **kwargs)
