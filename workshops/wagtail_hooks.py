"""Back-office screens of the work programme, registered with Wagtail."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Trade


class TradeViewSet(SnippetViewSet):
    model = Trade
    icon = "tag"
    menu_label = _("Trades")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "occupation_code", "slug"]
    search_fields = ["name", "occupation_code"]
    list_export = ["name", "slug", "occupation_code"]


register_snippet(TradeViewSet)


@hooks.register("register_log_actions")
def register_register_log_actions(actions):
    actions.register_action(
        "bridgework.partner_fairness",
        _("Change a partner's fairness status"),
        _("Partner fairness status changed"),
    )
    actions.register_action(
        "bridgework.consent_withdrawn", _("Withdraw a consent"), _("Consent withdrawn")
    )
