"""Wages in the back office: what each area registers, collected. The ledger's screens are in
``wages.ledger.admin``, workers' accounts and purchases in ``wages.accounts.admin``, the
general-ledger export in ``wages.general_ledger.admin``, the pay policy's in ``wages.pay.admin``,
the pay runs' in ``wages.payruns.admin``, the payslips' in ``wages.payslips.admin``, the family
remittances' in ``wages.remittances.admin``, the partner labour invoices' in
``wages.invoices.admin``, the release settlements' in ``wages.releases.admin`` (with the handlers
of a worker's transfer and release, ``wages.releases.handlers``); their viewsets are
``wages.viewsets``'."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from core.private_files import ACCESS_HOOK
from wages.accounts import admin as accounts_admin
from wages.general_ledger import admin as general_ledger_admin
from wages.invoices import admin as invoice_admin
from wages.invoices.documents import labour_invoice_file_access
from wages.ledger import admin as ledger_admin
from wages.pay import admin as pay_admin
from wages.payruns import admin as payrun_admin
from wages.payruns.posting import PAY_RUN_POSTED
from wages.payslips import admin as payslip_admin
from wages.releases import admin as release_admin
from wages.releases import handlers as release_handlers
from wages.remittances import admin as remittance_admin
from workshops.register.assignments import WORKER_RELEASED, WORKER_TRANSFERRED

viewsets.register(ledger_admin.LedgerGroup())
viewsets.register(pay_admin.PayGroup())
viewsets.register(remittance_admin.RemittancesGroup())

hooks.register("register_admin_menu_item", ledger_admin.trial_balance_menu_item)
hooks.register("register_admin_menu_item", ledger_admin.verify_ledger_menu_item)
hooks.register("register_admin_urls", ledger_admin.urls)
hooks.register("register_admin_menu_item", accounts_admin.accounts_menu_item)
hooks.register("register_admin_menu_item", accounts_admin.purchases_menu_item)
hooks.register("register_admin_urls", accounts_admin.urls)
hooks.register("register_admin_menu_item", general_ledger_admin.general_ledger_menu_item)
hooks.register("register_admin_urls", general_ledger_admin.urls)
hooks.register("register_admin_urls", invoice_admin.urls)
hooks.register("register_reports_menu_item", invoice_admin.overdue_menu_item)
hooks.register(ACCESS_HOOK, labour_invoice_file_access)
hooks.register(WORKER_RELEASED, release_handlers.worker_released)
hooks.register(WORKER_TRANSFERRED, release_handlers.worker_transferred)
hooks.register(PAY_RUN_POSTED, release_handlers.pay_run_posted)
hooks.register("register_admin_menu_item", payslip_admin.menu_item)
hooks.register("register_admin_urls", payslip_admin.urls)
hooks.register(ACCESS_HOOK, payslip_admin.payslip_file_access)
hooks.register(PAY_RUN_POSTED, payslip_admin.after_posting)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    ledger_admin.register_log_actions(actions)
    payrun_admin.register_log_actions(actions)
    remittance_admin.register_log_actions(actions)
    invoice_admin.register_log_actions(actions)
    release_admin.register_log_actions(actions)
    payslip_admin.register_log_actions(actions)
