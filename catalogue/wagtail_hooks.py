"""The shop in the back office: what each area registers, collected. Tax classes are
``catalogue.taxes.admin``'s, shipping zones and rates ``catalogue.shipping.admin``'s, grouped under
one *Shop* menu; the orders and invoices (*Orders*) are ``catalogue.orders.admin``'s and
``catalogue.invoices.admin``'s; the orders' log actions and invoice file access are
``catalogue.orders``'."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSetGroup

from catalogue.checkout import log_actions as checkout_log
from catalogue.orders import admin as order_admin
from catalogue.orders import admin_actions
from catalogue.products import freshness
from catalogue.refunds import admin_actions as refund_actions
from catalogue.shipping import admin as shipping_admin
from catalogue.taxes import admin as taxes_admin
from core.private_files import ACCESS_HOOK
from workshops.inventory.stock import STOCK_AVAILABLE_CHANGED


class ShopGroup(ModelViewSetGroup):
    menu_label = _("Shop")
    menu_icon = "cogs"
    menu_order = 206
    items = (*taxes_admin.VIEWSETS, *shipping_admin.VIEWSETS)


viewsets.register(ShopGroup())
viewsets.register(order_admin.OrdersGroup())

hooks.register("register_log_actions", admin_actions.register_log_actions)
hooks.register("register_log_actions", checkout_log.register_log_actions)
hooks.register(ACCESS_HOOK, admin_actions.invoice_file_access)
hooks.register(STOCK_AVAILABLE_CHANGED, freshness.stock_available_changed)
hooks.register("register_log_actions", refund_actions.register_log_actions)
hooks.register(ACCESS_HOOK, refund_actions.credit_note_file_access)
