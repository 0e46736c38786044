"""Release settlements in the back office (*Pay → Releases*): the listing (waiting for final pay,
ready, paid, filtered by status), each settlement's page and its steps (``wages.releases.views``).
Settlements are made by the release hook and change only through ``wages.releases.payouts``."""

from django.urls import path
from django.utils.translation import gettext_lazy

from wages.models import ReleaseSettlement
from wages.releases.views import BackWagesView, InspectView, PayOutView, ReceiptView
from wages.viewsets import WagesRecordViewSet


class ReleaseSettlementViewSet(WagesRecordViewSet):
    model = ReleaseSettlement
    icon = "logout"
    menu_label = gettext_lazy("Releases")
    also_allowed = ("pay_out_release",)
    inspect_view_class = InspectView
    list_display = ["worker", "released_on", "status", "method", "paid_at"]
    list_filter = ["status", "method"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "released_on", "status", "method", "amounts", "journal_key", "paid_at"]

    def get_queryset(self, request):
        return ReleaseSettlement.objects.select_related("worker")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pay-out/", PayOutView.as_view(), name="pay_out"),
            path("<int:pk>/back-wages/", BackWagesView.as_view(), name="pay_back_wages"),
            path("<int:pk>/receipt/", ReceiptView.as_view(), name="receipt"),
            path(
                "<int:pk>/back-wages-receipt/",
                ReceiptView.as_view(part="back_wages_receipt"),
                name="back_wages_receipt",
            ),
        ]


def register_log_actions(actions):
    for action, label, message in (
        (
            "release_paid_out",
            gettext_lazy("Pay out a released worker"),
            gettext_lazy("Released worker paid out"),
        ),
        (
            "release_back_wages_paid_out",
            gettext_lazy("Pay out back wages after release"),
            gettext_lazy("Back wages paid out after release"),
        ),
        (
            "balances_carried",
            gettext_lazy("Carry balances on transfer"),
            gettext_lazy("Balances carried to another prison"),
        ),
    ):
        actions.register_action(f"bridgework.{action}", label, message)
