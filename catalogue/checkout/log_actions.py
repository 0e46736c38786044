"""The audit log's words for what the checkout does."""

from django.utils.translation import gettext_lazy


def register_log_actions(actions):
    actions.register_action(
        "bridgework.order_placed", gettext_lazy("Place an order"), gettext_lazy("Order placed")
    )
