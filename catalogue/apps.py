from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Products, cart, checkout, orders, payments. Imports workshops and wages."""

    name = "catalogue"
    verbose_name = _("Shop")
