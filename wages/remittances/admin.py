"""Family remittances in the back office (*Family remittances*): the menu opens the balances ready
to send (``batch_views.ready``), where finance produces a batch; the batches produced and the
payees are listed beside it. Batches and remittances change only through their operations;
payees are added and ended through ``wages.remittances.payees`` (``views``)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from wages.models import Payee, RemittanceBatch
from wages.remittances import batch_views, views
from wages.viewsets import WagesRecordViewSet


class RemittanceBatchViewSet(WagesRecordViewSet):
    model = RemittanceBatch
    icon = "mail"
    menu_label = _("Send to families")
    inspect_view_class = batch_views.InspectView
    list_display = ["reference", "execution_date", "count", "total", "created_by", "created_at"]
    list_filter = ["execution_date"]
    search_fields = ["reference", "message_id"]
    list_export = [
        "reference",
        "message_id",
        "execution_date",
        "count",
        "total",
        "currency",
        "created_by",
        "created_at",
    ]

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("ready"))

    def get_queryset(self, request):
        return RemittanceBatch.objects.select_related("created_by")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("ready/", batch_views.ready, name="ready"),
            path("produce/", batch_views.produce, name="produce"),
            path("<int:pk>/<slug:kind>/", batch_views.download, name="download"),
            path("remittance/<int:pk>/reject/", batch_views.reject, name="reject"),
        ]


class PayeeViewSet(WagesRecordViewSet):
    model = Payee
    icon = "user"
    also_allowed = ("add",)
    add_view_class = views.CreateView
    inspect_view_class = views.InspectView
    list_display = ["worker", "name", "relationship", "iban", "consented_on", "ended_on"]
    list_filter = ["relationship", "ended_on"]
    search_fields = ["worker__reference", "name", "iban"]

    def get_queryset(self, request):
        return Payee.objects.select_related("worker")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/consent/", views.record_consent, name="consent"),
            path("<int:pk>/end/", views.end, name="end"),
            path("<int:pk>/signed-consent/", views.consent_document, name="document"),
        ]


class RemittancesGroup(ModelViewSetGroup):
    menu_label = _("Family remittances")
    menu_icon = "mail"
    menu_order = 204
    items = (RemittanceBatchViewSet, PayeeViewSet)


def register_log_actions(actions):
    for action, label, message in (
        (
            "remittance_batch_produced",
            _("Produce a remittance batch"),
            _("Remittance batch produced and posted"),
        ),
        ("remittance_rejected", _("Record a returned remittance"), _("Remittance returned")),
        ("payee_consent_recorded", _("Record a payee's consent"), _("Payee's consent recorded")),
        ("payee_ended", _("End a payee"), _("Payee ended")),
    ):
        actions.register_action(f"bridgework.{action}", label, message)
