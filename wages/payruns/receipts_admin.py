"""Money received for back wages in the back office (*Pay → Back wages receipts*): the listing
(with CSV/XLSX export) and each receipt's page, read by finance officers and auditors; *Add* lets
a finance officer record money the administration released to pay the back wages it owes
(``record_back_wages_receipt``). A partner's receipts are recorded by paying its labour invoice,
never here. Receipts are never edited or deleted: the next pay run pays out of them."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from core.viewsets import OperationCreateView
from wages.models import BackWagesReceipt
from wages.payruns.amounts import OWN, money_text
from wages.payruns.back_wages_receipts import record_back_wages_receipt
from wages.viewsets import WagesRecordViewSet

NAMESPACE = "wages_backwagesreceipt"


class ReceiptForm(forms.ModelForm):
    class Meta:
        model = BackWagesReceipt
        fields = ["amount", "received_on", "source"]
        widgets = {"received_on": AdminDateInput}
        help_texts = {
            "source": gettext_lazy(
                "Where the money came from, e.g. the budget release's number. The same source on "
                "the same day is one receipt, however often it is saved."
            )
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReceiptCreateView(OperationCreateView):
    submit_button_label = gettext_lazy("Record")
    submit_button_active_label = gettext_lazy("Recording…")

    def get_form_class(self):
        return ReceiptForm

    def run_operation(self, data):
        return record_back_wages_receipt(
            payer=OWN,
            amount=data["amount"],
            on=data["received_on"],
            source=data["source"],
            key=f"admin:{OWN}:{data['received_on']:%Y-%m-%d}:{data['source'].strip()}"[:180],
            user=self.request.user,
        )

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:index")

    def get_success_message(self, instance):
        return _(
            "%(amount)s received for back wages owed by the administration: the next pay run "
            "pays it out."
        ) % {"amount": money_text(instance.amount, instance.currency)}


class BackWagesReceiptViewSet(WagesRecordViewSet):
    """View and add (through ``record_back_wages_receipt``); never edited or deleted."""

    model = BackWagesReceipt
    icon = "download"
    also_allowed = ("add",)
    add_view_class = ReceiptCreateView
    list_display = ["received_on", "payer", "amount", "currency", "source", "recorded_by"]
    list_filter = ["payer"]
    search_fields = ["source", "key"]
