from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Domain-free infrastructure: PDF rendering, money, test helpers. Imports none of our apps."""

    name = "core"
    verbose_name = _("Core")
