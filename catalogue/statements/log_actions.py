"""The audit log's names for what happens to bank statements."""

from django.utils.translation import gettext_lazy as _


def register_log_actions(actions):
    actions.register_action(
        "bridgework.statement_imported", _("Import a bank statement"), _("Bank statement imported")
    )
    actions.register_action(
        "bridgework.statement_line_matched",
        _("Match a statement line by hand"),
        _("Statement line matched by hand"),
    )
    actions.register_action(
        "bridgework.order_transfer_matched",
        _("Match a bank transfer to an order"),
        _("Bank transfer matched"),
    )
