"""The shop in the back office: what each area registers, collected. Tax classes are
``catalogue.taxes.admin``'s, shipping zones and rates ``catalogue.shipping.admin``'s, grouped under
one *Shop* menu; the orders and invoices (*Orders*) are ``catalogue.orders.admin``'s and
``catalogue.invoices.admin``'s; the orders' log actions and invoice file access are
``catalogue.orders``'."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSetGroup

from catalogue.cards import log_actions as cards_log
from catalogue.checkout import log_actions as checkout_log
from catalogue.orders import admin as order_admin
from catalogue.orders import admin_actions
from catalogue.products import freshness
from catalogue.quotes import log_actions as quote_log
from catalogue.refunds import admin_actions as refund_actions
from catalogue.reminders import reports as reminder_reports
from catalogue.returns import admin as returns_admin
from catalogue.shipping import admin as shipping_admin
from catalogue.statements import log_actions as statement_log
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
hooks.register("register_log_actions", cards_log.register_log_actions)
hooks.register("register_log_actions", statement_log.register_log_actions)
hooks.register(ACCESS_HOOK, admin_actions.invoice_file_access)
hooks.register("register_log_actions", quote_log.register_log_actions)
hooks.register(ACCESS_HOOK, quote_log.quote_file_access)
hooks.register(STOCK_AVAILABLE_CHANGED, freshness.stock_available_changed)


@hooks.register("register_log_actions")
def register_aftersales_log_actions(actions):
    for action, label, message in (*reminder_reports.LOG_ACTIONS, *returns_admin.LOG_ACTIONS):
        actions.register_action(f"bridgework.{action}", label, message)


hooks.register("register_reports_menu_item", reminder_reports.menu_item)
hooks.register("register_admin_urls", reminder_reports.urls)
hooks.register("register_log_actions", refund_actions.register_log_actions)
hooks.register(ACCESS_HOOK, refund_actions.credit_note_file_access)
