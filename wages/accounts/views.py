"""A worker's money in the back office, for finance officers and auditors (any worker; supervisors
none: ``wages.view_account``): the workers by reference with their four balances, one worker's
sub-accounts, and a statement of one over any period, as a page and as a PDF in the worker's
language. Workers are shown by their pseudonymous reference only. Every figure is read from the
ledger (``wages.ledger.worker_accounts``, ``wages.accounts.statements``); the queries a page makes
do not grow with the entries or workers it lists (paginated; the PDF reads with an iterator)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from djmoney.money import Money
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import AdminDateInput

from core.pdf import render_pdf
from wages.accounts.statements import check_period, statement
from wages.ledger.views import LEDGER_POLICY
from wages.ledger.worker_accounts import (
    BACK_WAGES_OWED,
    FAMILY,
    KINDS,
    OWN_SPENDING,
    RELEASE_SAVINGS,
    purposes,
    sub_accounts,
)
from wages.models import Account
from workshops.models import Worker

VIEW_CODENAME = "view_account"
WORKERS_PER_PAGE = 50
ENTRIES_PER_PAGE = 50
LABELS = {
    OWN_SPENDING: gettext_lazy("Own spending"),
    FAMILY: gettext_lazy("Family"),
    RELEASE_SAVINGS: gettext_lazy("Release savings"),
    BACK_WAGES_OWED: gettext_lazy("Back wages owed"),
}


class AccountsView(PermissionCheckedMixin, View):
    permission_policy = LEDGER_POLICY
    permission_required = VIEW_CODENAME


def _owed(account: Account | None, currency: str) -> Money:
    return Money(-account.balance if account else 0, currency)


class WorkersView(AccountsView):
    """The workers by reference (a search narrows them), each with their four balances."""

    def get(self, request):
        currency = settings.BRIDGEWORK_CURRENCY
        query = request.GET.get("q", "").strip()
        workers = Worker.objects.order_by("reference").only("pk", "reference")
        if query:
            workers = workers.filter(reference__icontains=query)
        page = Paginator(workers, WORKERS_PER_PAGE).get_page(request.GET.get("page"))
        wanted = purposes()
        by_purpose = {purpose: kind for kind, purpose in wanted.items() if purpose}
        held: dict = {}
        for account in Account.objects.filter(
            worker__in=list(page.object_list), purpose__in=list(by_purpose), currency=currency
        ):
            held[(account.worker_id, by_purpose[account.purpose])] = account
        rows = [
            (
                worker,
                [_owed(held.get((worker.pk, kind)), currency) for kind in KINDS],
            )
            for worker in page.object_list
        ]
        return TemplateResponse(
            request,
            "wages/accounts/workers.html",
            {
                "heading": _("Workers' accounts"),
                "labels": [LABELS[kind] for kind in KINDS],
                "rows": rows,
                "page": page,
                "query": query,
            },
        )


class WorkerView(AccountsView):
    """One worker's four sub-accounts with their balances, each linking to its statement."""

    def get(self, request, worker_id):
        worker = get_object_or_404(Worker.objects.only("pk", "reference"), pk=worker_id)
        currency = settings.BRIDGEWORK_CURRENCY
        accounts = sub_accounts(worker, currency)
        return TemplateResponse(
            request,
            "wages/accounts/worker.html",
            {
                "heading": _("Accounts of %(worker)s") % {"worker": worker.reference},
                "worker": worker,
                "rows": [
                    (kind, LABELS[kind], accounts[kind], _owed(accounts[kind], currency))
                    for kind in KINDS
                ],
            },
        )


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=AdminDateInput)
    end = forms.DateField(label=gettext_lazy("Until"), widget=AdminDateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                check_period(data["start"], data["end"])
            except ValidationError as refused:
                self.add_error(None, refused)
        return data


def period_form(request) -> PeriodForm:
    """The period asked for; the month so far when none is."""
    today = timezone.localdate()
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    return PeriodForm({"start": today.replace(day=1).isoformat(), "end": today.isoformat()})


def _account(worker_id: int, kind: str) -> tuple[Worker, Account]:
    if kind not in KINDS:
        raise Http404
    worker = get_object_or_404(Worker.objects.only("pk", "reference", "language"), pk=worker_id)
    account = sub_accounts(worker)[kind]
    if account is None:
        raise Http404(_("%(worker)s has no such account yet.") % {"worker": worker.reference})
    return worker, account


class StatementView(AccountsView):
    def get(self, request, worker_id, kind):
        worker, account = _account(worker_id, kind)
        form = period_form(request)
        context = {
            "heading": _("%(account)s of %(worker)s")
            % {"account": LABELS[kind], "worker": worker.reference},
            "worker": worker,
            "kind": kind,
            "form": form,
        }
        if form.is_valid():
            found = statement(account, form.cleaned_data["start"], form.cleaned_data["end"])
            page = Paginator(found.entries(), ENTRIES_PER_PAGE, allow_empty_first_page=True)
            page = page.get_page(request.GET.get("page"))
            context |= {
                "statement": found,
                "page": page,
                "lines": [found.line(entry) for entry in page.object_list],
                "period": request.GET.urlencode() if "start" in request.GET else "",
            }
        return TemplateResponse(
            request,
            "wages/accounts/statement.html",
            context,
            status=200 if form.is_valid() else 400,
        )


class StatementPdfView(AccountsView):
    """The statement as a PDF in the worker's language, entries read with an iterator."""

    def get(self, request, worker_id, kind):
        worker, account = _account(worker_id, kind)
        form = PeriodForm(request.GET)
        if not form.is_valid():
            return HttpResponse(
                " ".join(str(e) for errors in form.errors.values() for e in errors),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        found = statement(account, form.cleaned_data["start"], form.cleaned_data["end"])
        pdf = statement_pdf(found, worker=worker, kind=kind)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"statement-{worker.reference}-{kind}-{found.start}-{found.end}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


def statement_pdf(found, *, worker: Worker, kind: str) -> bytes:
    lines = (found.line(entry) for entry in found.entries().iterator(chunk_size=2000))
    return render_pdf(
        "wages/accounts/statement_pdf.html",
        {
            "statement": found,
            "worker": worker,
            "label": LABELS[kind],
            "lines": lines,
            "printed": timezone.localdate(),
        },
        language=worker.language,
    )
