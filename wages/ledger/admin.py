"""The ledger in the back office: read-only listings of accounts, journals, checkpoints, period
closes and verifications, the trial balance, closing a period and verifying the ledger (the
screens themselves are in ``wages.ledger.views``). ``wages.wagtail_hooks`` registers them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.permissions import register_read_only
from wages.ledger import views
from wages.ledger.tasks import VERIFY
from wages.models import Account, Checkpoint, Journal, LedgerVerification, PeriodClose

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


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def trial_balance_menu_item():
    return PermissionMenuItem(
        _("Trial balance"),
        reverse("ledger_trial_balance"),
        icon_name="table",
        order=206,
        permission=views.VIEW,
    )


def verify_ledger_menu_item():
    return PermissionMenuItem(
        _("Verify the ledger"),
        reverse("ledger_verify"),
        icon_name="tick",
        order=207,
        permission=VERIFY,
    )


def urls():
    return [
        path(
            "ledger/trial-balance/",
            views.TrialBalanceView.as_view(),
            name="ledger_trial_balance",
        ),
        path(
            "ledger/trial-balance/results/",
            views.TrialBalanceView.as_view(results_only=True),
            name="ledger_trial_balance_results",
        ),
        path("ledger/close/", views.ClosePeriodView.as_view(), name="ledger_close_period"),
        path("ledger/verify/", views.VerifyView.as_view(), name="ledger_verify"),
        path("ledger/anchors/", views.AnchorsView.as_view(), name="ledger_anchors"),
    ]


def register_log_actions(actions):
    actions.register_action("bridgework.period_closed", _("Close a period"), _("Period closed"))
