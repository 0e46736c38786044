from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Safeguard rules, assessments, findings. Imports workshops and wages."""

    name = "compliance"
    verbose_name = _("Compliance")
