"""The ledger in the back office: read-only listings of accounts, journals, checkpoints, period
closes and verifications, the trial balance, closing a period and verifying the ledger."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.permissions import register_read_only
from wages import admin_views
from wages.models import Account, Checkpoint, Journal, LedgerVerification, PayRun, PeriodClose
from wages.pay_admin import PayGroup

LEDGER_MODELS = (Account, Checkpoint, Journal, LedgerVerification, PeriodClose)
register_read_only(*LEDGER_MODELS)


class AccountViewSet(SnippetViewSet):
    model = Account
    icon = "folder-open-inverse"
    inspect_view_enabled = False
    list_display = ["code", "name", "kind", "currency", "balance"]
    list_filter = ["kind", "currency"]
    search_fields = ["code", "name"]
    list_export = ["code", "name", "kind", "currency", "balance"]


class JournalViewSet(SnippetViewSet):
    model = Journal
    icon = "list-ul"
    inspect_view_enabled = True
    list_display = ["on", "memo", "key", "chain", "sequence", "reverses"]
    list_filter = ["on", "chain"]
    search_fields = ["key", "memo"]
    list_export = ["on", "key", "memo", "chain", "sequence", "previous", "hash", "reverses"]


class CheckpointViewSet(SnippetViewSet):
    model = Checkpoint
    icon = "lock"
    inspect_view_enabled = True
    list_display = ["sequence", "chain_name", "length", "created_at"]
    list_export = ["sequence", "chain_name", "length", "head", "previous", "hash", "created_at"]


class PeriodCloseViewSet(SnippetViewSet):
    model = PeriodClose
    icon = "lock"
    inspect_view_enabled = False
    list_display = ["up_to", "closed_by", "closed_at"]


class LedgerVerificationViewSet(SnippetViewSet):
    model = LedgerVerification
    icon = "tick"
    inspect_view_enabled = True
    list_display = ["run_at", "run_by", "journals", "checkpoints", "seconds"]


class LedgerGroup(SnippetViewSetGroup):
    menu_label = _("Ledger")
    menu_icon = "table"
    menu_order = 205
    items = (
        AccountViewSet,
        JournalViewSet,
        CheckpointViewSet,
        PeriodCloseViewSet,
        LedgerVerificationViewSet,
    )


register_snippet(LedgerGroup)
register_snippet(PayGroup)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def trial_balance_menu_item():
    return PermissionMenuItem(
        _("Trial balance"),
        reverse("ledger_trial_balance"),
        icon_name="table",
        order=206,
        permission=admin_views.VIEW,
    )


@hooks.register("register_admin_menu_item")
def verify_ledger_menu_item():
    return PermissionMenuItem(
        _("Verify the ledger"),
        reverse("ledger_verify"),
        icon_name="tick",
        order=207,
        permission=admin_views.VERIFY,
    )


@hooks.register("register_admin_urls")
def register_ledger_urls():
    return [
        path("ledger/trial-balance/", admin_views.trial_balance_view, name="ledger_trial_balance"),
        path("ledger/close/", admin_views.close_period_view, name="ledger_close_period"),
        path("ledger/verify/", admin_views.verify_view, name="ledger_verify"),
        path("ledger/anchors/", admin_views.anchors_view, name="ledger_anchors"),
    ]


@hooks.register("register_log_actions")
def register_ledger_log_actions(actions):
    actions.register_action("bridgework.period_closed", _("Close a period"), _("Period closed"))
    for action, label, message in (
        ("pay_run_calculated", _("Calculate a pay run"), _("Pay run calculated")),
        ("pay_run_approved", _("Approve a pay run"), _("Pay run approved")),
        ("pay_run_posted", _("Post a pay run"), _("Pay run posted")),
        ("pay_run_cancelled", _("Cancel a pay run"), _("Pay run cancelled")),
    ):
        actions.register_action(f"bridgework.{action}", label, message)


@hooks.register("bridgework_snippet_chooser_refused")
def ledger_choosers_closed(user, model):
    """Nothing chooses ledger rows, and their choosers' create forms must not exist."""
    return model in (*LEDGER_MODELS, PayRun)
