"""Wages in the back office: what each area registers, collected. The ledger's screens are in
``wages.ledger.admin``, the pay policy's in ``wages.pay.admin``, the pay runs' in
``wages.payruns.admin``, the labour invoices' in ``wages.invoices.admin``; their viewsets are ``wages.viewsets``'."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from core.private_files import ACCESS_HOOK
from wages.invoices import admin as invoice_admin
from wages.invoices.documents import labour_invoice_file_access
from wages.ledger import admin as ledger_admin
from wages.pay import admin as pay_admin
from wages.payruns import admin as payrun_admin

viewsets.register(ledger_admin.LedgerGroup())
viewsets.register(pay_admin.PayGroup())

hooks.register("register_admin_menu_item", ledger_admin.trial_balance_menu_item)
hooks.register("register_admin_menu_item", ledger_admin.verify_ledger_menu_item)
hooks.register("register_admin_urls", ledger_admin.urls)
hooks.register("register_admin_urls", invoice_admin.urls)
hooks.register("register_reports_menu_item", invoice_admin.overdue_menu_item)
hooks.register(ACCESS_HOOK, labour_invoice_file_access)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    ledger_admin.register_log_actions(actions)
    payrun_admin.register_log_actions(actions)
    invoice_admin.register_log_actions(actions)
