"""The ledger in the back office: read-only listings of accounts, journals, checkpoints, period
closes and verifications (``wages.viewsets.WagesRecordViewSet``: every row is written by the
ledger's operations), the trial balance, closing a period and verifying the ledger (the screens
themselves are in ``wages.ledger.views``). ``wages.wagtail_hooks`` registers them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from wages.ledger import views
from wages.ledger.tasks import VERIFY
from wages.models import Account, Checkpoint, Journal, LedgerVerification, PeriodClose
from wages.viewsets import WagesRecordViewSet


class AccountViewSet(WagesRecordViewSet):
    model = Account
    icon = "folder-open-inverse"
    inspect_view_enabled = False
    list_display = ["code", "name", "kind", "currency", "balance"]
    list_filter = ["kind", "currency"]
    search_fields = ["code", "name"]


class JournalViewSet(WagesRecordViewSet):
    model = Journal
    icon = "list-ul"
    list_display = ["on", "memo", "key", "chain", "sequence", "reverses"]
    list_filter = ["on", "chain"]
    search_fields = ["key", "memo"]
    list_export = ["on", "key", "memo", "chain", "sequence", "previous", "hash", "reverses"]

    def get_queryset(self, request):
        return Journal.objects.select_related("chain", "reverses")


class CheckpointViewSet(WagesRecordViewSet):
    model = Checkpoint
    icon = "lock"
    list_display = ["sequence", "chain_name", "length", "created_at"]
    list_export = ["sequence", "chain_name", "length", "head", "previous", "hash", "created_at"]


class PeriodCloseViewSet(WagesRecordViewSet):
    model = PeriodClose
    icon = "lock"
    inspect_view_enabled = False
    list_display = ["up_to", "closed_by", "closed_at"]

    def get_queryset(self, request):
        return PeriodClose.objects.select_related("closed_by")


class LedgerVerificationViewSet(WagesRecordViewSet):
    model = LedgerVerification
    icon = "circle-check"
    list_display = ["run_at", "run_by", "journals", "checkpoints", "seconds"]

    def get_queryset(self, request):
        return LedgerVerification.objects.select_related("run_by")


class LedgerGroup(ModelViewSetGroup):
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
        icon_name="circle-check",
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
