"""Back-office screens of remittance batches (*Family remittances*), for finance officers;
auditors read them.

- ``ready``: the family balances ready to send (workers with an active, consented payee), and
  the form that produces a batch of all of them for an execution date (``produce``, POST);
- a batch's page (``InspectView``): its figures, its files and its remittances, each with the
  form that records a transfer the bank returned (``reject``, POST);
- ``download``: the batch's pain.001 or CSV, the same stored bytes on every download.

Every change goes through ``wages.remittances``; a refusal comes back as a message and changes
nothing.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from djmoney.money import Money
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminDateInput

from core.formatting import format_money
from core.views import private_file_response
from wages.models import Remittance, RemittanceBatch
from wages.remittances.producing import PRODUCE, ready_to_send, remittance_batch_produce
from wages.remittances.rejecting import REJECT, remittance_reject

NAMESPACE = "wages_remittancebatch"
VIEW = "wages.view_remittancebatch"


class ProduceForm(forms.Form):
    execution_date = forms.DateField(
        label=gettext_lazy("Requested execution date"), widget=AdminDateInput
    )


class RejectForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Returned on"), widget=AdminDateInput)
    reason = forms.CharField(label=gettext_lazy("Reason the bank gave"), max_length=300)


@require_GET
def ready(request):
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    rows = ready_to_send()
    currency = settings.BRIDGEWORK_CURRENCY
    total = Money(sum((row.balance for row in rows), Decimal(0)), currency)
    return TemplateResponse(
        request,
        "wages/remittances/ready.html",
        {
            "page_title": _("Family remittances"),
            "header_icon": "mail",
            "rows": [(row, Money(row.balance, currency)) for row in rows],
            "total": total,
            "may_produce": request.user.has_perm(PRODUCE),
            "form": ProduceForm(initial={"execution_date": timezone.localdate()}),
        },
    )


@require_POST
def produce(request):
    if not request.user.has_perm(PRODUCE):
        return permission_denied(request)
    form = ProduceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the bank should execute the transfers."))
        return redirect(f"{NAMESPACE}:ready")
    try:
        batch = remittance_batch_produce(
            execution_date=form.cleaned_data["execution_date"], user=request.user
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(f"{NAMESPACE}:ready")
    messages.success(
        request,
        _("Batch %(reference)s produced: %(count)s transfers, %(total)s, posted to the ledger.")
        % {
            "reference": batch.reference,
            "count": batch.count,
            "total": format_money(Money(batch.total, batch.currency)),
        },
    )
    return redirect(f"{NAMESPACE}:inspect", batch.pk)


class InspectView(generic.InspectView):
    template_name = "wages/remittances/batch.html"

    def get_page_subtitle(self):
        return self.object.reference

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context.update(
            batch=batch,
            remittances=batch.remittances.select_related("worker", "payee").order_by("pk"),
            may_reject=self.request.user.has_perm(REJECT),
            reject_form=RejectForm(initial={"on": timezone.localdate()}),
        )
        return context


@require_GET
def download(request, pk, kind):
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    batch = get_object_or_404(RemittanceBatch.objects.select_related("xml_file", "csv_file"), pk=pk)
    if kind not in ("xml", "csv"):
        raise Http404
    return private_file_response(batch.xml_file if kind == "xml" else batch.csv_file)


@require_POST
def reject(request, pk):
    if not request.user.has_perm(REJECT):
        return permission_denied(request)
    remittance = get_object_or_404(Remittance, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the bank returned it and its reason."))
        return redirect(f"{NAMESPACE}:inspect", remittance.batch_id)
    try:
        remittance_reject(remittance=remittance, user=request.user, **form.cleaned_data)
    except PermissionDenied:
        return permission_denied(request)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("%(id)s returned: %(amount)s is back in %(worker)s's family balance.")
            % {
                "id": remittance.end_to_end_id,
                "amount": format_money(Money(remittance.amount, remittance.currency)),
                "worker": remittance.worker.reference,
            },
        )
    return redirect(f"{NAMESPACE}:inspect", remittance.batch_id)
