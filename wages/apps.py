from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagesConfig(AppConfig):
    """Pay policy, the double-entry ledger, pay runs. Imports workshops."""

    name = "wages"
    verbose_name = _("Wages")

    def ready(self):
        from wages.ledger import checks  # noqa: F401  (registers the system checks)
