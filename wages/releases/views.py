"""Back-office screens of release settlements (*Pay → Releases*), for finance officers; auditors
read them. A settlement's page shows the worker's balances, the work still unpaid (the final
pay) with what to do about it, the pay-out form (bank transfer to an IBAN, or cash) once nothing
is unpaid, and the receipts. Every step goes through ``wages.releases.payouts``; a refusal comes
back as a message on the page and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy

from core.formatting import format_money
from core.views import private_file_response
from wages.ledger.worker_accounts import balances
from wages.models import ReleaseSettlement
from wages.releases import back_wages
from wages.releases.payouts import (
    PAY_OUT,
    release_payout,
    release_payout_back_wages,
)
from wages.releases.unpaid import refresh_status, unpaid_work
from workshops.views import PermissionCheckedView

NAMESPACE = "wages_releasesettlement"
KIND_LABELS = {
    "release_savings": gettext_lazy("Release savings"),
    "own_spending": gettext_lazy("Own spending"),
    "family": gettext_lazy("Family (not remitted)"),
    "back_wages": gettext_lazy("Back wages owed"),
}


class SettlementPolicy(ModelPermissionPolicy):
    """Permissions named by codename: ``"pay_out_release"``, ``"view_releasesettlement"``."""

    def _get_permission_codename(self, action):
        return action


policy = SettlementPolicy(ReleaseSettlement)


class PayOutForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Pay by"),
        choices=ReleaseSettlement.Method.choices,
        widget=forms.RadioSelect,
    )
    iban = forms.CharField(
        label=gettext_lazy("IBAN"),
        required=False,
        max_length=42,
        help_text=gettext_lazy("The worker's own account, for a bank transfer."),
    )


class InspectView(generic.InspectView):
    template_name = "wages/releases/inspect.html"

    def get_page_subtitle(self):
        return self.object.worker.reference

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settlement = self.object
        refresh_status(settlement)
        currency = settlement.currency
        held = balances(settlement.worker, currency)
        owed = back_wages.owed_by_payer(settlement.worker, settlement)
        covered = back_wages.covered(owed, back_wages.available(owed))
        user = self.request.user
        context |= {
            "settlement": settlement,
            "balances": [
                (KIND_LABELS[kind], Money(amount, currency)) for kind, amount in held.items()
            ],
            "total": Money(sum(held.values()), currency),
            "unpaid": unpaid_work(settlement.worker),
            "back_wages_covered": Money(sum(covered.values(), 0), currency),
            "back_wages_owed": Money(held["back_wages"], currency),
            "paid_amounts": [
                (KIND_LABELS[kind], Money(amount, currency))
                for kind, amount in settlement.amounts.items()
            ],
            "may_pay_out": user.has_perm(PAY_OUT)
            and settlement.status == ReleaseSettlement.Status.READY,
            "may_pay_back_wages": user.has_perm(PAY_OUT)
            and settlement.is_paid
            and settlement.back_wages_paid_at is None
            and held["back_wages"] > 0,
            "form": PayOutForm(),
        }
        return context


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


class PayOutView(PermissionCheckedView):
    permission_policy = policy
    permission_required = "pay_out_release"

    def handle(self, request, pk):
        if refused := _post_only(request):
            return refused
        settlement = get_object_or_404(ReleaseSettlement, pk=pk)
        form = PayOutForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose how the worker is paid: bank transfer or cash."))
            return redirect(f"{NAMESPACE}:inspect", pk)
        try:
            settlement = release_payout(
                settlement=settlement,
                method=form.cleaned_data["method"],
                iban=form.cleaned_data["iban"],
                user=request.user,
            )
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            total = sum(
                (Money(amount, settlement.currency) for amount in settlement.amounts.values()),
                Money(0, settlement.currency),
            )
            messages.success(
                request,
                _("%(worker)s was paid out %(total)s; download the receipt below.")
                % {"worker": settlement.worker, "total": format_money(total)},
            )
        return redirect(f"{NAMESPACE}:inspect", pk)


class BackWagesView(PermissionCheckedView):
    permission_policy = policy
    permission_required = "pay_out_release"

    def handle(self, request, pk):
        if refused := _post_only(request):
            return refused
        settlement = get_object_or_404(ReleaseSettlement, pk=pk)
        try:
            release_payout_back_wages(settlement=settlement, user=request.user)
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("%(worker)s's back wages were paid out.") % {"worker": settlement.worker},
            )
        return redirect(f"{NAMESPACE}:inspect", pk)


class ReceiptView(PermissionCheckedView):
    """A receipt's stored bytes (``part``: the payout's, or the later back wages')."""

    permission_policy = policy
    permission_required = "view_releasesettlement"
    part = "receipt"

    def handle(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        settlement = get_object_or_404(ReleaseSettlement.objects.select_related(self.part), pk=pk)
        document = getattr(settlement, self.part)
        if document is None:
            raise Http404(_("This settlement has no such receipt yet."))
        return private_file_response(document)
