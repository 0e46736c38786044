"""Wages in the back office: what each area registers, collected. The ledger's screens are in
``wages.ledger.admin``, the pay policy's in ``wages.pay.admin``, the pay runs' in
``wages.payruns.admin``, the release settlements' in ``wages.releases.admin`` (with the handlers of
a worker's transfer and release, ``wages.releases.handlers``); their viewsets are
``wages.viewsets``'."""

from wagtail import hooks
from wagtail.admin.viewsets import viewsets

from wages.ledger import admin as ledger_admin
from wages.pay import admin as pay_admin
from wages.payruns import admin as payrun_admin
from wages.payruns.posting import PAY_RUN_POSTED
from wages.releases import admin as release_admin
from wages.releases import handlers as release_handlers
from workshops.register.assignments import WORKER_RELEASED, WORKER_TRANSFERRED

viewsets.register(ledger_admin.LedgerGroup())
viewsets.register(pay_admin.PayGroup())

hooks.register("register_admin_menu_item", ledger_admin.trial_balance_menu_item)
hooks.register("register_admin_menu_item", ledger_admin.verify_ledger_menu_item)
hooks.register("register_admin_urls", ledger_admin.urls)
hooks.register(WORKER_RELEASED, release_handlers.worker_released)
hooks.register(WORKER_TRANSFERRED, release_handlers.worker_transferred)
hooks.register(PAY_RUN_POSTED, release_handlers.pay_run_posted)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    ledger_admin.register_log_actions(actions)
    payrun_admin.register_log_actions(actions)
    release_admin.register_log_actions(actions)
