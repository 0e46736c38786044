"""Shipping zones (their countries) and rates (per zone, weight and kind), kept by hand under
*Shop*."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from catalogue.models import ShippingRate, ShippingZone
from catalogue.viewsets import CatalogueViewSet


class ShippingZoneViewSet(CatalogueViewSet):
    model = ShippingZone
    icon = "site"
    menu_label = _("Shipping zones")
    list_display = ["name", "countries"]
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
