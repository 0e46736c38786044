"""Back-office screens of the ledger: the trial balance for any date (finance officers and
auditors), closing a period (finance officers), and verifying the ledger (auditors), whose result
is shown and kept in the audit log; auditors also download the checkpoint anchors, to keep outside
the database and check it against later. Posting happens only through ``wages.ledger``."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log

from core.money import decimal_places
from wages.ledger import close_period, export_anchors, record_verification, trial_balance
from wages.models import Checkpoint, Journal, LedgerVerification, PeriodClose

VIEW = "wages.view_journal"
VERIFY = "wages.verify_ledger"
CLOSE = "wages.add_periodclose"


class DateForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("On"), widget=AdminDateInput)


def trial_balance_view(request):
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    form = DateForm(request.GET or {"on": timezone.localdate()})
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    balance = trial_balance(on)
    return TemplateResponse(
        request,
        "wages/trial_balance.html",
        {
            "heading": _("Trial balance"),
            "form": form,
            "balance": balance,
            "totals": [
                (currency, sums, decimal_places(currency))
                for currency, sums in sorted(balance.totals().items())
            ],
            "closed": PeriodClose.objects.first(),
            "may_close": request.user.has_perm(CLOSE),
        },
    )


class ClosePeriodForm(forms.Form):
    up_to = forms.DateField(
        label=gettext_lazy("Close up to and including"),
        widget=AdminDateInput,
        help_text=gettext_lazy("No journal may then be dated on or before this day."),
    )


def close_period_view(request):
    if not request.user.has_perm(CLOSE):
        return permission_denied(request)
    form = ClosePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        up_to = form.cleaned_data["up_to"]
        try:
            closed = close_period(up_to, user=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            log(closed, "bridgework.period_closed", user=request.user)
            messages.success(request, _("The period up to %(day)s is closed.") % {"day": up_to})
            return redirect("ledger_trial_balance")
    return TemplateResponse(
        request,
        "wages/close_period.html",
        {"heading": _("Close a period"), "form": form, "closed": PeriodClose.objects.first()},
        status=400 if form.errors else 200,
    )


def verify_view(request):
    """GET shows the latest verifications; POST runs one now and keeps its result."""
    if not request.user.has_perm(VERIFY):
        return permission_denied(request)
    if request.method == "POST":
        run = record_verification(user=request.user)
        if run.intact:
            messages.success(request, _("The ledger is intact."))
        else:
            messages.error(
                request,
                _("The ledger is not intact: %(count)s problem(s) found.")
                % {"count": len(run.problems)},
            )
        return redirect("ledger_verify")
    return TemplateResponse(
        request,
        "wages/verify.html",
        {
            "heading": _("Verify the ledger"),
            "runs": LedgerVerification.objects.select_related("run_by")[:10],
            "journals": Journal.objects.count(),
            "checkpoints": Checkpoint.objects.count(),
        },
    )


def anchors_view(request):
    """The checkpoint heads as a JSON file, for an auditor to keep outside the database: a later
    ``verify_ledger --anchors FILE`` names any checkpoint missing or changed since."""
    if not request.user.has_perm(VERIFY):
        return permission_denied(request)
    anchors = export_anchors()
    response = HttpResponse(
        json.dumps(anchors, indent=1, ensure_ascii=False), content_type="application/json"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledger-anchors-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response
