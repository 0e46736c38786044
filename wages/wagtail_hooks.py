"""Wages in the back office: what each area registers, collected. The ledger's screens are in
``wages.ledger.admin``, the pay policy's in ``wages.pay.admin``, the pay runs' in
``wages.payruns.admin``, the payslips' in ``wages.payslips.admin``; their viewsets are ``wages.viewsets``'."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from core.private_files import ACCESS_HOOK
from wages.ledger import admin as ledger_admin
from wages.pay import admin as pay_admin
from wages.payruns import admin as payrun_admin
from wages.payruns.posting import PAY_RUN_POSTED
from wages.payslips import admin as payslip_admin

viewsets.register(ledger_admin.LedgerGroup())
viewsets.register(pay_admin.PayGroup())

hooks.register("register_admin_menu_item", ledger_admin.trial_balance_menu_item)
hooks.register("register_admin_menu_item", ledger_admin.verify_ledger_menu_item)
hooks.register("register_admin_urls", ledger_admin.urls)
hooks.register("register_admin_menu_item", payslip_admin.menu_item)
hooks.register("register_admin_urls", payslip_admin.urls)
hooks.register(ACCESS_HOOK, payslip_admin.payslip_file_access)
hooks.register(PAY_RUN_POSTED, payslip_admin.after_posting)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    ledger_admin.register_log_actions(actions)
    payrun_admin.register_log_actions(actions)
    payslip_admin.register_log_actions(actions)
