"""The audit log's words for what card payment does to an order."""

from django.utils.translation import gettext_lazy as _


def register_log_actions(actions):
    actions.register_action(
        "bridgework.card_checkout_started", _("Open a card payment page"), _("Card payment started")
    )
    actions.register_action(
        "bridgework.order_payment_switched",
        _("Switch to paying on invoice"),
        _("Switched to paying on invoice"),
    )
    actions.register_action(
        "bridgework.order_flagged", _("Flag an order for review"), _("Flagged for review")
    )
