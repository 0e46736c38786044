"""Where the shop delivers and for how much.

A country is delivered to when a shipping **zone** lists it; a country in no zone is refused in
words, before anything is reserved. Within a zone, each rate carries parcels up to its weight:
for an order's total weight the offer is, per rate name, the lightest bracket that carries it
(standard up to 2 kg, else standard up to 10 kg). Collection from a shop is a rate like the
others, of its own kind. The price of a rate is taxed like a product line
(``catalogue.taxes.pricing``), with the rate's tax class.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import ShippingRate, ShippingZone
from catalogue.taxes.pricing import Amounts, line_amounts, rate_in_force
from core.formatting import format_number


def country_name(country) -> str:
    from django_countries import countries

    return str(countries.name(str(country))) or str(country)


def zone_for(country) -> ShippingZone:
    """The zone that lists ``country`` (an ISO 3166 code); refused in words when none does."""
    code = str(country or "").upper()
    for zone in ShippingZone.objects.order_by("name"):
        if code and code in [str(c) for c in zone.countries]:
            return zone
    raise ValidationError(
        _(
            "We do not deliver to %(country)s yet. Choose a delivery address in another "
            "country, or contact us to ask."
        )
        % {"country": country_name(code) if code else _("this country")},
        code="country_not_delivered",
    )


def lightest_brackets(rates, weight_grams: int) -> list[ShippingRate]:
    """Per zone, kind and name, the rate with the lightest bracket that carries ``weight_grams``."""
    chosen: dict[tuple, ShippingRate] = {}
    for rate in rates:
        if not rate.active or rate.max_weight_grams < weight_grams:
            continue
        name = (rate.zone_id, rate.kind, rate.name)
        if name not in chosen or rate.max_weight_grams < chosen[name].max_weight_grams:
            chosen[name] = rate
    return sorted(chosen.values(), key=lambda r: (r.zone.name, r.kind, r.price.amount, r.pk))


def offered_rates(weight_grams: int) -> list[ShippingRate]:
    """Every zone's rates for an order of ``weight_grams``, for the checkout form to offer."""
    rates = ShippingRate.objects.filter(active=True).select_related("zone", "tax_class")
    return lightest_brackets(rates, weight_grams)


def rates_for(country, weight_grams: int) -> list[ShippingRate]:
    """The rates offered to ``country`` for an order of ``weight_grams``: refused in words for a
    country in no zone, or an order heavier than any rate of its zone carries."""
    zone = zone_for(country)
    rates = lightest_brackets(zone.rates.select_related("zone", "tax_class"), weight_grams)
    if not rates:
        raise ValidationError(
            _(
                "Your order weighs %(weight)s kg, more than we send to %(country)s in one "
                "parcel. Split it into smaller orders, or contact us."
            )
            % {
                "weight": format_number(Decimal(weight_grams) / 1000, places=1),
                "country": country_name(country),
            },
            code="too_heavy",
        )
    return rates


def check_rate(rate: ShippingRate, *, country, weight_grams: int) -> ShippingRate:
    """``rate`` if it is offered for ``country`` and ``weight_grams``, else refused in words."""
    offered = rates_for(country, weight_grams)
    if rate.pk not in {r.pk for r in offered}:
        raise ValidationError(
            _("%(rate)s is not offered for this order to %(country)s. Choose one of: %(offered)s.")
            % {
                "rate": rate.name_in(),
                "country": country_name(country),
                "offered": ", ".join(r.name_in() for r in offered),
            },
            code="rate_not_offered",
        )
    return rate


def shipping_amounts(
    rate: ShippingRate, *, on: datetime.date, prices_include_tax: bool
) -> tuple[Decimal, Amounts]:
    """The tax rate in force for ``rate``'s tax class on ``on``, and its amounts."""
    tax_rate = rate_in_force(rate.tax_class, on)
    return tax_rate, line_amounts(rate.price, 1, tax_rate, prices_include_tax=prices_include_tax)
