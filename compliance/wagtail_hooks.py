"""Registers with Wagtail what each compliance area exposes: the data the rules read
(``compliance.register.admin``) and the checks run from the back office
(``compliance.checks.admin``), under one *Compliance* menu; and the audit log's actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from compliance.checks import admin as checks_admin
from compliance.register import admin as register_admin


class ComplianceGroup(register_admin.ComplianceDataGroup):
    items = (checks_admin.ComplianceCheckViewSet, *register_admin.ComplianceDataGroup.items)


viewsets.register(ComplianceGroup())

LOG_ACTIONS = (
    ("compliance_check_started", _("Compliance check started"), _("Compliance check started")),
    ("grievance_answered", _("Grievance answered"), _("Grievance answered")),
    ("action_closed", _("Corrective action closed"), _("Corrective action closed")),
    ("assessment_signed", _("Assessment signed"), _("Assessment signed")),
    ("assessment_superseded", _("Assessment superseded"), _("Assessment superseded")),
)


@hooks.register("register_log_actions")
def register_compliance_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(f"bridgework.{action}", label, message)
