"""The shop in the back office: what each area registers, collected. The orders' screens are in
``catalogue.orders.admin``, the invoices' in ``catalogue.invoices.admin``."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from catalogue.orders import admin as order_admin
from catalogue.orders import admin_actions
from core.private_files import ACCESS_HOOK

viewsets.register(order_admin.OrdersGroup())

hooks.register("register_log_actions", admin_actions.register_log_actions)
hooks.register(ACCESS_HOOK, admin_actions.invoice_file_access)
