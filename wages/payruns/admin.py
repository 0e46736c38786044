"""Pay runs in the back office (*Pay → Pay runs*): the listing, and the screens of
``wages.payruns.views`` for adding a draft, a run's page and its steps."""

from django.urls import path
from django.utils.translation import gettext_lazy

from wages.models import PayRun
from wages.payruns.line_views import LineView
from wages.payruns.views import CreateView, InspectView, step
from wages.viewsets import WagesRecordViewSet


class PayRunViewSet(WagesRecordViewSet):
    """View and add (create a draft) through the screens; every other step is an operation of
    ``wages.payruns``, never an edit or a delete."""

    model = PayRun
    icon = "list-ol"
    also_allowed = ("add",)
    add_view_class = CreateView
    inspect_view_class = InspectView
    # Seven columns fit a 1024 px tablet; the back wages and who did what are on the run's page
    # and in the export.
    list_display = ["reference", "prison", "period", "status", "workers", "gross", "warnings"]
    list_filter = ["status", "prison"]
    search_fields = ["reference"]
    list_export = [
        "reference",
        "prison",
        "period_start",
        "period_end",
        "status",
        "workers",
        "gross",
        "deductions",
        "back_wages",
        "sales_share",
        "back_wages_paid",
        "warnings",
        "calculated_by",
        "approved_by",
        "posted_by",
        "posted_at",
    ]

    def get_queryset(self, request):
        return PayRun.objects.select_related("prison")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/<slug:action>/", step, name="step"),
            path("lines/<int:pk>/", LineView.as_view(), name="line"),
        ]


def register_log_actions(actions):
    for action, label, message in (
        (
            "pay_run_calculated",
            gettext_lazy("Calculate a pay run"),
            gettext_lazy("Pay run calculated"),
        ),
        ("pay_run_approved", gettext_lazy("Approve a pay run"), gettext_lazy("Pay run approved")),
        ("pay_run_posted", gettext_lazy("Post a pay run"), gettext_lazy("Pay run posted")),
        ("pay_run_cancelled", gettext_lazy("Cancel a pay run"), gettext_lazy("Pay run cancelled")),
    ):
        actions.register_action(f"bridgework.{action}", label, message)
