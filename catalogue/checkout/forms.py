"""The checkout form: contact, delivery address, shipping, payment method, on one page.

WCAG 2.2: every field has its ``autocomplete`` purpose (1.3.5) so browsers fill it in, nothing is
asked twice (one address serves delivery and the invoice, 3.3.7), pasting is never blocked, and a
field in error says so (``aria-invalid``) and names its message (``aria-describedby``) beside its
hint (3.3.1). Phone numbers are read by phonenumbers, countries listed by django-countries.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from catalogue.models import ShippingRate
from core.formatting import format_money


def _text(label, *, autocomplete, max_length, required=True, help_text="", **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


def rate_label(rate: ShippingRate) -> str:
    label = _("%(name)s, %(zone)s: %(price)s") % {
        "name": rate.name_in(),
        "zone": rate.zone.name,
        "price": format_money(rate.price),
    }
    if rate.kind == ShippingRate.Kind.COLLECTION:
        label += " — " + _("collect from %(address)s") % {
            "address": " ".join(rate.collection_address.split())
        }
    return label


class CheckoutForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        help_text=gettext_lazy("We send the confirmation and the invoice here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(
        label=gettext_lazy("Telephone (optional)"),
        required=False,
        help_text=gettext_lazy("With the country code, for example +33 6 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    name = _text(gettext_lazy("Full name"), autocomplete="name", max_length=120)
    organisation = _text(
        gettext_lazy("Organisation (optional)"),
        autocomplete="organization",
        max_length=160,
        required=False,
    )
    purchase_order = _text(
        gettext_lazy("Purchase-order number (optional)"),
        autocomplete="off",
        max_length=60,
        required=False,
        help_text=gettext_lazy("For businesses and public bodies: printed on the invoice."),
    )
    address = _text(
        gettext_lazy("Address"), autocomplete="address-line1", max_length=200, required=False
    )
    address_more = _text(
        gettext_lazy("Address, continued (optional)"),
        autocomplete="address-line2",
        max_length=200,
        required=False,
    )
    postcode = _text(
        gettext_lazy("Postcode"), autocomplete="postal-code", max_length=20, required=False
    )
    city = _text(
        gettext_lazy("Town or city"), autocomplete="address-level2", max_length=100, required=False
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), widget=forms.Select(attrs={"autocomplete": "country"})
    )
    shipping = forms.TypedChoiceField(
        label=gettext_lazy("Delivery"), coerce=int, widget=forms.RadioSelect
    )
    payment_method = forms.ChoiceField(label=gettext_lazy("Payment"), widget=forms.RadioSelect)
    accept_prices = forms.BooleanField(
        label=gettext_lazy("I have seen the new prices and want to order at them."),
        required=False,
    )

    def __init__(self, *args, rates, methods, prices_changed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rates = {rate.pk: rate for rate in rates}
        self.prices_changed = prices_changed
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["shipping"].choices = [(rate.pk, rate_label(rate)) for rate in rates]
        self.fields["payment_method"].choices = [(m.code, m.label) for m in methods]
        if len(rates) == 1:
            self.fields["shipping"].initial = rates[0].pk
        if methods:
            self.fields["payment_method"].initial = methods[0].code
        if not prices_changed:
            del self.fields["accept_prices"]
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = self[name].auto_id + "-hint"

    def clean(self):
        cleaned = super().clean()
        rate = self.rates.get(cleaned.get("shipping"))
        if rate is not None and rate.kind == ShippingRate.Kind.DELIVERY:
            for name in ("address", "city"):
                if not cleaned.get(name):
                    self.add_error(
                        name, _("Enter this part of the address, so that we can deliver.")
                    )
        if self.prices_changed and not cleaned.get("accept_prices"):
            self.add_error(
                "accept_prices",
                _("Prices changed since you added them: check them above, then tick this box."),
            )
        return cleaned

    def mark_errors(self):
        """Each field in error says so, and names its message and hint (WCAG 3.3.1, 4.1.2):
        called once every error is added, the view's own included."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                ids = [self[name].auto_id + "-error"]
                if self.fields[name].help_text:
                    ids.append(self[name].auto_id + "-hint")
                widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(ids)})

    @property
    def rate(self) -> ShippingRate | None:
        return self.rates.get(self.cleaned_data.get("shipping"))

    def contact(self) -> dict:
        return {
            name: self.cleaned_data.get(name, "")
            for name in (
                "email",
                "phone",
                "name",
                "organisation",
                "purchase_order",
                "address",
                "address_more",
                "postcode",
                "city",
                "country",
            )
        }
