"""The shop in the back office: what each area registers, collected."""

from wagtail import hooks

from catalogue.orders import admin_actions
from core.private_files import ACCESS_HOOK

hooks.register("register_log_actions", admin_actions.register_log_actions)
hooks.register(ACCESS_HOOK, admin_actions.invoice_file_access)
