"""The audit log's names for what happens to orders."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.invoices.documents import PURPOSE as INVOICE_PURPOSE


def register_log_actions(actions):
    actions.register_action("bridgework.order_paid", _("Record a payment"), _("Payment recorded"))
    actions.register_action("bridgework.order_packed", _("Pack an order"), _("Order packed"))
    actions.register_action("bridgework.order_shipped", _("Ship an order"), _("Order shipped"))
    actions.register_action(
        "bridgework.order_delivered", _("Mark an order delivered"), _("Order delivered")
    )
    actions.register_action(
        "bridgework.order_cancelled", _("Cancel an order"), _("Order cancelled")
    )


def invoice_file_access(user) -> Q | None:
    """Staff who read orders read their invoices' PDFs (core.private_files)."""
    if user.has_perm("catalogue.view_order"):
        return Q(purpose=INVOICE_PURPOSE)
    return None
