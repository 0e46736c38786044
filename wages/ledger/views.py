"""Back-office screens of the ledger: the trial balance for any date (finance officers and
auditors), closing a period (finance officers), and verifying the ledger (auditors): in the
background (``wages.ledger.tasks``), its progress shown while it runs and its result kept;
auditors also download the checkpoint anchors, to keep outside the database and check it against
later. Posting happens only through ``wages.ledger``."""

import json
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput, HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from core.formatting import format_day, format_moment
from core.jobs import Job
from core.money import decimal_places
from wages.ledger.periods import close_period
from wages.ledger.tasks import LEDGER, VERIFY_KIND, latest_job, start_verification
from wages.ledger.trial_balances import trial_balance
from wages.ledger.verification import export_anchors
from wages.models import Account, Checkpoint, Journal, LedgerVerification, PeriodClose

VIEW = "wages.view_journal"
VIEW_CODENAME = "view_journal"
CLOSE_CODENAME = "add_periodclose"
VERIFY_CODENAME = "verify_ledger"


class CodenamePolicy(ModelPermissionPolicy):
    """The ledger's screens ask for a permission by its codename in the ``wages`` app
    (``view_journal``, ``add_periodclose``, ``verify_ledger``), not for an action on one model."""

    def _get_permission_name(self, action):
        return f"{self.app_label}.{action}"


LEDGER_POLICY = CodenamePolicy(Journal)
REFRESH_SECONDS = 5  # how often the page reloads while a verification is queued or running


class TrialBalanceFilters(WagtailFilterSet):
    on = django_filters.DateFilter(label=gettext_lazy("On"), widget=AdminDateInput, method="keep")
    currency = django_filters.ChoiceFilter(
        label=gettext_lazy("Currency"), choices=(), method="keep"
    )

    class Meta:
        model = Account
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = sorted(set(Account.objects.values_list("currency", flat=True)))
        if len(currencies) > 1:
            self.filters["currency"].extra["choices"] = [(code, code) for code in currencies]
        else:
            del self.filters["currency"]

    def keep(self, queryset, name, value):
        return queryset


@dataclass(frozen=True)
class TrialBalanceLine:
    """One line of the exported trial balance: an account, a kind's subtotal or a total."""

    kind: str
    code: str
    account: str
    currency: str
    debit: Decimal
    credit: Decimal


class TrialBalanceView(ReportView):
    """Every account's balance on a day (today unless the filter names one), grouped by kind
    with a subtotal per kind and currency and the totals per currency; exported as CSV or XLSX
    line by line in the same order."""

    permission_policy = LEDGER_POLICY
    permission_required = VIEW_CODENAME
    page_title = gettext_lazy("Trial balance")
    header_icon = "table"
    index_url_name = "ledger_trial_balance"
    index_results_url_name = "ledger_trial_balance_results"
    results_template_name = "wages/trial_balance_results.html"
    filterset_class = TrialBalanceFilters
    paginate_by = None
    export_filename = "trial-balance"
    list_export = ["kind", "code", "account", "currency", "debit", "credit"]
    export_headings = {
        "kind": gettext_lazy("Kind"),
        "code": gettext_lazy("Code"),
        "account": gettext_lazy("Account"),
        "currency": gettext_lazy("Currency"),
        "debit": gettext_lazy("Debit"),
        "credit": gettext_lazy("Credit"),
    }

    @cached_property
    def balance(self):
        on, currency = timezone.localdate(), None
        if self.filters and self.filters.is_valid():
            on = self.filters.form.cleaned_data.get("on") or on
            currency = self.filters.form.cleaned_data.get("currency") or None
        balance = trial_balance(on)
        return balance.in_currency(currency) if currency else balance

    def get_filtered_queryset(self):
        return self.balance.rows

    def decorate_paginated_queryset(self, object_list):
        if not self.is_export:
            return object_list
        lines = []
        for group in self.balance.by_kind():
            lines += [
                TrialBalanceLine(
                    group.label,
                    row.account.code,
                    row.account.name,
                    row.account.currency,
                    row.debit,
                    row.credit,
                )
                for row in group.rows
            ]
            lines += [
                TrialBalanceLine(group.label, "", _("Subtotal"), currency, debit, credit)
                for currency, (debit, credit) in sorted(group.subtotals().items())
            ]
        lines += [
            TrialBalanceLine(
                "", "", _("Total %(currency)s") % {"currency": currency}, currency, debit, credit
            )
            for currency, (debit, credit) in sorted(self.balance.totals().items())
        ]
        return lines

    @cached_property
    def header_buttons(self):
        if not self.user_has_permission(CLOSE_CODENAME):
            return []
        return [
            HeaderButton(_("Close a period"), url=reverse("ledger_close_period"), icon_name="lock")
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        balance = self.balance
        context["balance"] = balance
        context["groups"] = [
            (group, _with_places(group.subtotals())) for group in balance.by_kind()
        ]
        context["totals"] = _with_places(balance.totals())
        context["closed"] = PeriodClose.objects.first()
        return context


def _with_places(sums):
    return [
        (currency, amounts, decimal_places(currency)) for currency, amounts in sorted(sums.items())
    ]


class ClosePeriodForm(forms.Form):
    up_to = forms.DateField(
        label=gettext_lazy("Close up to and including"),
        widget=AdminDateInput,
        help_text=gettext_lazy("No journal may then be dated on or before this day."),
    )


class LedgerView(PermissionCheckedMixin, View):
    """A ledger screen open to those holding ``permission_required`` (a codename in ``wages``)."""

    permission_policy = LEDGER_POLICY


class ClosePeriodView(LedgerView):
    permission_required = CLOSE_CODENAME

    def get(self, request):
        return self.render(ClosePeriodForm())

    def post(self, request):
        form = ClosePeriodForm(request.POST)
        if form.is_valid():
            up_to = form.cleaned_data["up_to"]
            try:
                closed = close_period(up_to, user=request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                log(closed, "bridgework.period_closed", user=request.user)
                messages.success(
                    request, _("The period up to %(day)s is closed.") % {"day": format_day(up_to)}
                )
                return redirect("ledger_trial_balance")
        return self.render(form)

    def render(self, form):
        return TemplateResponse(
            self.request,
            "wages/close_period.html",
            {"heading": _("Close a period"), "form": form, "closed": PeriodClose.objects.first()},
            status=400 if form.errors else 200,
        )


class VerifyView(LedgerView):
    """GET shows the verification in progress, if any, and the latest ones; POST starts one in
    the background (``wages.ledger.tasks``) and comes back here, where its progress shows."""

    permission_required = VERIFY_CODENAME

    def post(self, request):
        job, created = start_verification(user=request.user)
        if not created:
            messages.warning(
                request,
                _("%(user)s asked for it at %(at)s: the ledger is already being verified.")
                % {
                    "user": job.requested_by,
                    "at": format_moment(job.requested_at),
                },
            )
        elif job.status == Job.Status.SUCCEEDED:
            _said(request, LedgerVerification.objects.get(pk=job.result["verification"]))
        elif job.status == Job.Status.FAILED:
            messages.error(request, job.error)
        else:
            messages.info(
                request,
                _(
                    "The ledger is being verified in the background: this page shows how far it has got."
                ),
            )
        return redirect("ledger_verify")

    def get(self, request):
        runs = list(LedgerVerification.objects.select_related("run_by")[:10])
        job = _job_to_show(runs[0] if runs else None)
        busy = job is not None and job.active
        return TemplateResponse(
            request,
            "wages/verify.html",
            {
                "heading": _("Verify the ledger"),
                "runs": runs,
                "journals": Journal.objects.count(),
                "checkpoints": Checkpoint.objects.count(),
                "job": job,
                "job_label": _("Verifying") if busy else _("The verification failed"),
                "refresh_seconds": REFRESH_SECONDS if busy else None,
                "may_start": not busy,
            },
        )


def _said(request, run: LedgerVerification) -> None:
    if run.intact:
        messages.success(request, _("The ledger is intact."))
    else:
        messages.error(
            request,
            _("The ledger is not intact: %(count)s problem(s) found.")
            % {"count": len(run.problems)},
        )


def _job_to_show(latest: LedgerVerification | None) -> Job | None:
    """The verification job while queued or running, or when it failed after the latest
    verification kept; nothing once a verification has finished since."""
    job = latest_job(LEDGER, [VERIFY_KIND])
    if job is None or job.active:
        return job
    if job.status == Job.Status.FAILED and (latest is None or job.finished_at > latest.run_at):
        return job
    return None


class AnchorsView(LedgerView):
    """The checkpoint heads as a JSON file, for an auditor to keep outside the database: a later
    ``verify_ledger --anchors FILE`` names any checkpoint missing or changed since."""

    permission_required = VERIFY_CODENAME

    def get(self, request):
        anchors = export_anchors()
        response = HttpResponse(
            json.dumps(anchors, indent=1, ensure_ascii=False), content_type="application/json"
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="ledger-anchors-{day}.json"'
        response["Cache-Control"] = "no-store"
        return response
