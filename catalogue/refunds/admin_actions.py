"""The audit log's names for refunds, and who reads credit notes' PDFs."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.refunds.documents import PURPOSE


def register_log_actions(actions):
    actions.register_action("bridgework.order_refunded", _("Refund an order"), _("Order refunded"))
    actions.register_action(
        "bridgework.refund_failed", _("A refund failed"), _("Refund failed at the card provider")
    )
    actions.register_action(
        "bridgework.refund_paid_back", _("Pay back a refund"), _("Refund paid back by transfer")
    )


def credit_note_file_access(user) -> Q | None:
    """Staff who read orders read their credit notes' PDFs (core.private_files)."""
    if user.has_perm("catalogue.view_order"):
        return Q(purpose=PURPOSE)
    return None
