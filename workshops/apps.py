from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """The work programme's register and records. Imports none of our other apps."""

    name = "workshops"
    verbose_name = _("Work programme")
