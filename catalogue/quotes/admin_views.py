"""Back-office screens of a quote (*Orders → Quotes*), for order fulfilment staff; auditors read.

A quote's page shows the buyer, what they asked for and their message; while it is requested,
the answer form (a price per line, the shipping, the valid-until day) with "Save the prices" and
"Save and send"; the PDF once sent; "Withdraw" while the buyer has not answered; and the audit
log. Each button is a POST that calls one operation of ``catalogue.quotes.answering``: a refusal
comes back as a message on the quote's page and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import Quote
from catalogue.quotes.admin_forms import AnswerForm, WithdrawForm, offered_rates
from catalogue.quotes.answering import price_quote, send_quote, withdraw_quote
from catalogue.quotes.documents import quote_pdf, tax_rows
from core.views import private_file_response
from workshops.views import PermissionCheckedView

NAMESPACE = "catalogue_quote"
Status = Quote.Status


class QuotePolicy(ModelPermissionPolicy):
    """Quote permissions named by their codename: ``"answer_quote"``, ``"view_quote"``."""

    def _get_permission_codename(self, action):
        return action


quote_policy = QuotePolicy(Quote)


class InspectView(generic.InspectView):
    template_name = "catalogue/admin/quote_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Quote.objects.select_related("shipping_rate", "order").prefetch_related(
                "lines__sku", "lines__variant"
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return self.object.number

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote, user = self.object, self.request.user
        lines = list(quote.lines.all())
        may_answer = user.has_perm("catalogue.answer_quote")
        answering = may_answer and quote.status == Status.REQUESTED
        context |= {
            "quote": quote,
            "lines": lines,
            "tax_rows": tax_rows(quote, lines),
            "shown_status": quote.get_shown_status_display(),
            "answer_form": (
                AnswerForm(quote=quote, lines=lines, rates=offered_rates(quote, lines))
                if answering
                else None
            ),
            "withdraw_form": (
                WithdrawForm()
                if may_answer and quote.status in (Status.REQUESTED, Status.QUOTED)
                else None
            ),
            "log_entries": ModelLogEntry.objects.for_instance(quote)
            .select_related("user")
            .order_by("timestamp", "pk"),
        }
        return context


def _refused(request, refused: ValidationError) -> None:
    messages.error(request, " ".join(refused.messages))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class AnswerView(PermissionCheckedView):
    """Save a quote's prices, shipping and valid-until day; with ``send``, send it too."""

    permission_policy = quote_policy
    permission_required = "answer_quote"

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        quote = get_object_or_404(Quote, pk=pk)
        lines = list(quote.lines.select_related("variant").order_by("pk"))
        form = AnswerForm(request.POST, quote=quote, lines=lines, rates=offered_rates(quote, lines))
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(f"{NAMESPACE}:inspect", quote.pk)
        try:
            quote = price_quote(
                quote,
                user=request.user,
                unit_prices=form.unit_prices(),
                shipping_rate=form.rate,
                valid_until=form.cleaned_data["valid_until"],
            )
            if request.POST.get("send"):
                quote = send_quote(quote, user=request.user)
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            _refused(request, refused)
        else:
            if quote.status == Status.QUOTED:
                messages.success(
                    request,
                    _("Quote %(number)s sent: the buyer is e-mailed its link.")
                    % {"number": quote.number},
                )
            else:
                messages.success(
                    request, _("Prices of quote %(number)s saved.") % {"number": quote.number}
                )
        return redirect(f"{NAMESPACE}:inspect", quote.pk)


class WithdrawView(PermissionCheckedView):
    permission_policy = quote_policy
    permission_required = "answer_quote"

    def handle(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        quote = get_object_or_404(Quote, pk=pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(f"{NAMESPACE}:inspect", quote.pk)
        try:
            quote = withdraw_quote(quote, user=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Quote %(number)s withdrawn.") % {"number": quote.number})
        return redirect(f"{NAMESPACE}:inspect", quote.pk)


class QuotePdfView(PermissionCheckedView):
    """A sent quote's PDF: the same stored bytes the buyer downloads."""

    permission_policy = quote_policy
    permission_required = "view_quote"

    def handle(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        quote = get_object_or_404(Quote, pk=pk, quoted_at__isnull=False)
        return private_file_response(quote_pdf(quote))
