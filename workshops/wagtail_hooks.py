"""Registers with Wagtail what each area's ``admin`` module exposes: its viewsets, menu items,
admin URLs and audit-log actions, and the choosers of ``workshops.choosers``. The screens
themselves live in the areas (``workshops/register/``, ``production/``, ``training/``,
``inventory/``)."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from core.audit_log import VISIBLE_LOG_ENTRIES
from workshops.choosers import CHOOSERS
from workshops.inventory import admin as inventory
from workshops.log_scope import narrow_log_entries
from workshops.production import admin as production
from workshops.register import admin as register
from workshops.training import admin as training

AREAS = (register, training, inventory, production)

for group in (
    register.WorkProgrammeGroup,
    production.ProductionGroup,
    training.TrainingGroup,
    inventory.StockGroup,
):
    viewsets.register(group())
for chooser in CHOOSERS:
    viewsets.register(chooser())


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
