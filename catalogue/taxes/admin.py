"""Tax classes with their rates inline (each in force from a day), kept by hand under *Shop*."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel

from catalogue.models import TaxClass
from catalogue.viewsets import CatalogueViewSet


class TaxClassViewSet(CatalogueViewSet):
    model = TaxClass
    icon = "table"
    menu_label = _("Tax classes")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_translations"),
        InlinePanel(
            "rates",
            heading=_("Rates"),
            label=_("Rate"),
            min_num=1,
            panels=[FieldPanel("effective_from"), FieldPanel("rate")],
        ),
    ]


VIEWSETS = (TaxClassViewSet,)
