"""The quote request form: the organisation and its contact, the delivery address, whether a
purchase order is required, a message, and rows of a product and its quantity (``ROWS`` of them;
empty rows are ignored). Quantities may be larger than a cart's line allows: this is for bulk.

WCAG 2.2 as the checkout form (``catalogue.checkout.forms``): ``autocomplete`` purposes, every
field labelled, a field in error marked (``aria-invalid``) and naming its message. Each row is a
fieldset whose legend numbers it, so a screen reader hears "Product 2" before its two fields.

The **spam guard** is a field people do not see (``website``, hidden from sight and from
assistive technology, skipped by the keyboard): a robot filling every field fills it, and its
request is refused without being stored. Requests are also rate-limited per address
(``catalogue.quotes.views``).
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from catalogue.quotes.requesting import MAX_QUANTITY

ROWS = 6


def _text(label, *, autocomplete, max_length, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class QuoteRequestForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    organisation = _text(gettext_lazy("Organisation"), autocomplete="organization", max_length=160)
    name = _text(gettext_lazy("Contact name"), autocomplete="name", max_length=120)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        help_text=gettext_lazy("We send the quote here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(
        label=gettext_lazy("Telephone (optional)"),
        required=False,
        help_text=gettext_lazy("With the country code, for example +33 6 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    address = _text(gettext_lazy("Delivery address"), autocomplete="address-line1", max_length=200)
    address_more = _text(
        gettext_lazy("Address, continued (optional)"),
        autocomplete="address-line2",
        max_length=200,
        required=False,
    )
    postcode = _text(
        gettext_lazy("Postcode"), autocomplete="postal-code", max_length=20, required=False
    )
    city = _text(gettext_lazy("Town or city"), autocomplete="address-level2", max_length=100)
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), widget=forms.Select(attrs={"autocomplete": "country"})
    )
    purchase_order_required = forms.BooleanField(
        label=gettext_lazy("We need a purchase-order number on the invoice"),
        required=False,
        help_text=gettext_lazy("You enter it when you accept the quote."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Delivery dates, packaging or anything else we should know."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.variants = {choice.variant.pk: choice.variant for choice in choices}
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        options = [("", _("Choose a product")), *((c.variant.pk, c.label) for c in choices)]
        for row in range(1, ROWS + 1):
            self.fields[f"product_{row}"] = forms.TypedChoiceField(
                label=_("Product"), choices=options, coerce=int, required=False, empty_value=None
            )
            self.fields[f"quantity_{row}"] = forms.IntegerField(
                label=_("Quantity"),
                min_value=1,
                max_value=MAX_QUANTITY,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = self[name].auto_id + "-hint"

    def rows(self):
        """``(number, product field, quantity field)`` for the template."""
        return [
            (row, self[f"product_{row}"], self[f"quantity_{row}"]) for row in range(1, ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This request looks automated and was not sent."), code="spam"
            )
        lines = []
        for row in range(1, ROWS + 1):
            product, quantity = cleaned.get(f"product_{row}"), cleaned.get(f"quantity_{row}")
            if f"quantity_{row}" in self.errors or f"product_{row}" in self.errors:
                continue
            if product is None and quantity is None:
                continue
            if product is None:
                self.add_error(f"product_{row}", _("Choose the product for this quantity."))
            elif quantity is None:
                self.add_error(f"quantity_{row}", _("Enter how many you need."))
            else:
                lines.append((self.variants[product], quantity))
        if not lines and not any(
            name.startswith(("product_", "quantity_")) for name in self.errors
        ):
            self.add_error("product_1", _("Choose at least one product and its quantity."))
        cleaned["lines"] = lines
        return cleaned

    def mark_errors(self):
        """Each field in error says so, and names its message and hint (WCAG 3.3.1, 4.1.2)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                ids = [self[name].auto_id + "-error"]
                if self.fields[name].help_text:
                    ids.append(self[name].auto_id + "-hint")
                widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(ids)})

    def contact(self) -> dict:
        names = ("organisation", "name", "email", "phone", "address", "address_more")
        names += ("postcode", "city", "country")
        return {name: self.cleaned_data.get(name) or "" for name in names}


class AcceptForm(forms.Form):
    purchase_order = forms.CharField(
        label=gettext_lazy("Your purchase-order number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purchase_order"].required = required
        if not required:
            self.fields["purchase_order"].label = _("Your purchase-order number (optional)")
