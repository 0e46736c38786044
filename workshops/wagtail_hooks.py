"""Registers with Wagtail what each area's ``admin`` module exposes: its viewsets, menu items,
admin URLs and audit-log actions. The screens themselves live in the areas
(``workshops/register/``, ``production/``, ``training/``, ``inventory/``)."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets
from wagtail.snippets.models import register_snippet

from core.audit_log import VISIBLE_LOG_ENTRIES
from workshops.access import sees_every_workshop
from workshops.inventory import admin as inventory
from workshops.log_scope import narrow_log_entries
from workshops.models import Certificate, SafetyIncident
from workshops.production import admin as production
from workshops.register import admin as register
from workshops.training import admin as training

AREAS = (register, training, inventory, production)

register_snippet(register.WorkProgrammeGroup)
register_snippet(production.ProductionGroup)
register_snippet(training.TrainingGroup)
viewsets.register(inventory.StockGroup())


@hooks.register("bridgework_snippet_chooser_refused")
def incident_choosers_for_every_workshop_only(user, model):
    """The chooser of safety incidents lists every workshop's: closed to supervisors, who see
    their own workshops' incidents in the scoped listing. Certificates are chosen nowhere, and
    are made only by issuing: their chooser (and its create form) is closed to everyone."""
    if model is Certificate:
        return True
    return model is SafetyIncident and not sees_every_workshop(user)


for area in (production, training, inventory):
    hooks.register("register_admin_menu_item", area.menu_item)


@hooks.register("register_admin_urls")
def register_area_urls():
    return [url for area in AREAS for url in area.urls()]


@hooks.register("register_log_actions")
def register_area_log_actions(actions):
    for area in AREAS:
        for action, label, message in area.LOG_ACTIONS:
            actions.register_action(f"bridgework.{action}", label, message)


hooks.register(VISIBLE_LOG_ENTRIES, narrow_log_entries)
hooks.register("bridgework_private_file_access", register.private_files)
hooks.register("register_snippet_listing_buttons", register.listing_buttons)
