"""Shipping zones (their countries) and rates (per zone, weight and kind), kept by hand under
*Shop*."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column

from catalogue.models import ShippingRate, ShippingZone
from catalogue.viewsets import CatalogueViewSet
from core.viewsets import InspectView


def country_names(zone: ShippingZone) -> str:
    return ", ".join(str(country.name) for country in zone.countries)


class ZoneInspectView(InspectView):
    """A zone's countries by name (Django's choice display does not read a list of them)."""

    def get_field_display_value(self, field_name, field):
        if field_name == "countries":
            return country_names(self.object)
        return super().get_field_display_value(field_name, field)


class ShippingZoneViewSet(CatalogueViewSet):
    model = ShippingZone
    icon = "site"
    menu_label = _("Shipping zones")
    inspect_view_class = ZoneInspectView
    list_display = ["name", Column("countries", label=_("countries"), accessor=country_names)]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("countries", widget=forms.SelectMultiple)]


class ShippingRateViewSet(CatalogueViewSet):
    model = ShippingRate
    icon = "pick"
    menu_label = _("Shipping rates")
    list_display = ["name", "zone", "kind", "max_weight_grams", "price", "active"]
    list_filter = ["zone", "kind", "active"]
    panels = [
        FieldPanel("zone", widget=forms.Select),
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("name_translations"),
        FieldPanel("max_weight_grams"),
        FieldPanel("price"),
        FieldPanel("tax_class", widget=forms.Select),
        FieldPanel("collection_address"),
        FieldPanel("active"),
    ]

    def get_queryset(self, request):
        return ShippingRate.objects.select_related("zone", "tax_class")


VIEWSETS = (ShippingZoneViewSet, ShippingRateViewSet)
