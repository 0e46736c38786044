"""Workers' accounts and purchases in the back office: the URLs of ``wages.accounts.views`` and
``wages.accounts.spending_views``, and their menu entries (each shown to those who may open it).
``wages.wagtail_hooks`` registers them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wages.accounts import spending_views, views
from wages.accounts.spending import RECORD, VIEW
from wages.ledger.admin import PermissionMenuItem


class AnyPermissionMenuItem(PermissionMenuItem):
    def is_shown(self, request):
        return any(request.user.has_perm(permission) for permission in self.permission)


def accounts_menu_item():
    return PermissionMenuItem(
        _("Workers' accounts"),
        reverse("worker_accounts"),
        icon_name="user",
        order=208,
        permission="wages.view_account",
    )


def purchases_menu_item():
    return AnyPermissionMenuItem(
        _("Purchases"),
        reverse("purchases"),
        icon_name="list-ul",
        order=209,
        permission=(VIEW, RECORD),
    )


def urls():
    return [
        path("accounts/", views.WorkersView.as_view(), name="worker_accounts"),
        path(
            "accounts/<int:worker_id>/", views.WorkerView.as_view(), name="worker_accounts_worker"
        ),
        path(
            "accounts/<int:worker_id>/<slug:kind>/",
            views.StatementView.as_view(),
            name="worker_account_statement",
        ),
        path(
            "accounts/<int:worker_id>/<slug:kind>/pdf/",
            views.StatementPdfView.as_view(),
            name="worker_account_statement_pdf",
        ),
        path("purchases/", spending_views.PurchasesView.as_view(), name="purchases"),
        path(
            "purchases/results/",
            spending_views.PurchasesView.as_view(results_only=True),
            name="purchases_results",
        ),
        path(
            "purchases/record/",
            spending_views.RecordPurchaseView.as_view(),
            name="purchase_record",
        ),
        path(
            "purchases/import/",
            spending_views.ImportPurchasesView.as_view(),
            name="purchase_import",
        ),
    ]
