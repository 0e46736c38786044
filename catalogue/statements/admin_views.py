"""Back-office screens of bank statements (*Orders → Bank statements*), for finance officers;
auditors read them.

- the upload (``UploadView``): one file, camt.053 or MT940, imported by
  ``catalogue.statements.importing.import_statement``; a refusal comes back on the form with its
  reason and changes nothing;
- a statement's page (``InspectView``): its account, dates and balances, its totals, and every
  line with its match, and for an unmatched credit a form to match it by order number;
- the manual match (``MatchView``), by POST only, back to the statement's page with a message.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.widgets import HeaderButton
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import BankStatement, StatementLine
from catalogue.statements.importing import import_statement, match_line
from catalogue.statements.matching import outstanding
from catalogue.statements.parsing import MAX_BYTES
from core.viewsets import ScopedIndexView
from workshops.views import PermissionCheckedView

NAMESPACE = "catalogue_bankstatement"
State = StatementLine.State


class StatementPolicy(ModelPermissionPolicy):
    """Bank statement permissions named by their codename: ``"import_bankstatement"``."""

    def _get_permission_codename(self, action):
        return action


statement_policy = StatementPolicy(BankStatement)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Statement file"),
        help_text=gettext_lazy(
            "ISO 20022 camt.053 (XML) or SWIFT MT940, as downloaded from the bank. "
            "The format is read from the file's content."
        ),
    )


class MatchForm(forms.Form):
    order_number = forms.CharField(
        label=gettext_lazy("Order number"), max_length=40, help_text=gettext_lazy("BW-2026-000123")
    )


class IndexView(ScopedIndexView):
    @cached_property
    def header_buttons(self):
        if not statement_policy.user_has_permission(self.request.user, "import_bankstatement"):
            return []
        return [HeaderButton(_("Import a statement"), url=_url("upload"), icon_name="upload")]


def _url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


class UploadView(PermissionCheckedView):
    permission_policy = statement_policy
    permission_required = "import_bankstatement"

    def handle(self, request):
        form = UploadForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                if uploaded.size > MAX_BYTES:
                    raise ValidationError(_("The file is too large for a bank statement."))
                result = import_statement(
                    data=uploaded.read(), file_name=uploaded.name, user=request.user
                )
            except ValidationError as refused:
                form.add_error("file", " ".join(refused.messages))
                status = 400
            else:
                statement = result.statement
                if result.created:
                    counts = _counts(statement)
                    messages.success(
                        request,
                        _(
                            "Statement %(id)s imported: %(lines)s line(s), %(matched)s matched, "
                            "%(unmatched)s waiting for a match."
                        )
                        % {"id": statement.statement_id, **counts},
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "This file was already imported on %(day)s as statement %(id)s: "
                            "nothing changed."
                        )
                        % {
                            "day": statement.uploaded_at.date().isoformat(),
                            "id": statement.statement_id,
                        },
                    )
                return redirect(f"{NAMESPACE}:inspect", statement.pk)
        elif request.method == "POST":
            status = 400
        return TemplateResponse(
            request, "catalogue/admin/statement_upload.html", {"form": form}, status=status
        )


upload = UploadView.as_view()


def _counts(statement: BankStatement) -> dict:
    states = list(statement.lines.values_list("state", flat=True))
    return {
        "lines": len(states),
        "matched": sum(state not in (State.UNMATCHED, State.DEBIT) for state in states),
        "unmatched": states.count(State.UNMATCHED),
    }


def totals(statement: BankStatement, lines) -> dict:
    """The sums finance checks a statement by: credits, debits, what paid orders, what is owed
    back to payers, what waits for a match."""
    zero = Money(Decimal(0), statement.currency)

    def total(chosen):
        return sum((line.amount for line in chosen), zero)

    credits = [line for line in lines if line.direction == StatementLine.Direction.CREDIT]
    return {
        "credits": total(credits),
        "debits": total(line for line in lines if line.direction == "debit"),
        "owed_back": sum((line.excess for line in credits), zero),
        "paid_orders": sum(
            (
                line.received
                for line in credits
                if line.state in (State.MATCHED, State.PARTIAL, State.OVER)
            ),
            zero,
        ),
        "unmatched": total(line for line in credits if line.state == State.UNMATCHED),
    }


class InspectView(generic.InspectView):
    template_name = "catalogue/admin/statement_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(BankStatement.objects.select_related("uploaded_by"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.statement_id

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement, user = self.object, self.request.user
        lines = list(statement.lines.select_related("order", "matched_by").order_by("position"))
        may_match = user.has_perm("catalogue.match_statementline")
        rows = []
        for line in lines:
            remaining = None
            if line.state == State.PARTIAL and line.order.paid_at is None:
                remaining = outstanding(line.order)
            form = None
            if may_match and line.state == State.UNMATCHED:
                form = MatchForm(prefix=f"line-{line.pk}", auto_id=f"id_line-{line.pk}-%s")
            rows.append({"line": line, "remaining": remaining, "form": form})
        context |= {
            "statement": statement,
            "rows": rows,
            "totals": totals(statement, lines),
            "may_view_orders": user.has_perm("catalogue.view_order"),
            "log_entries": ModelLogEntry.objects.for_instance(statement)
            .select_related("user")
            .order_by("timestamp", "pk"),
        }
        return context


class MatchView(PermissionCheckedView):
    permission_policy = statement_policy
    permission_required = "match_statementline"

    def handle(self, request, pk, line_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        line = get_object_or_404(StatementLine, pk=line_pk, statement_id=pk)
        form = MatchForm(request.POST, prefix=f"line-{line.pk}")
        if not form.is_valid():
            messages.error(request, _("Enter the order number the transfer pays."))
            return redirect(f"{NAMESPACE}:inspect", pk)
        try:
            line = match_line(
                line, order_number=form.cleaned_data["order_number"], user=request.user
            )
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("Line %(position)s matched to order %(number)s: %(state)s.")
                % {
                    "position": line.position,
                    "number": line.order.number,
                    "state": line.get_state_display(),
                },
            )
        return redirect(f"{NAMESPACE}:inspect", pk)


match = MatchView.as_view()
