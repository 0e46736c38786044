"""Back-office screens of labour invoices (*Pay → Labour invoices*): issuing one for a partner
and period, an invoice's page (lines, payments, journal), recording a payment received, and the
PDF. Finance officers issue and record; auditors read. Every change goes through
``wages.invoices``; invoices are never edited or deleted here."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from djmoney.money import Money
from wagtail.admin.auth import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminDateInput

from core.viewsets import OperationCreateView
from wages import invoices
from wages.invoices.documents import READ, labour_invoice_pdf
from wages.models import LabourInvoice
from workshops.models import Partner

NAMESPACE = "wages_labourinvoice"


class IssueForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Partner.objects.order_by("name")
    )
    start = forms.DateField(label=gettext_lazy("First day"), widget=AdminDateInput)
    end = forms.DateField(label=gettext_lazy("Last day"), widget=AdminDateInput)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invoice"),
        help_text=gettext_lazy("The language the partner reads."),
    )

    def __init__(self, *args, for_user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = get_language()


class IssueView(OperationCreateView):
    submit_button_label = gettext_lazy("Issue the invoice")
    submit_button_active_label = gettext_lazy("Issuing…")

    def get_form_class(self):
        return IssueForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def run_operation(self, data):
        return invoices.labour_invoice_issue(user=self.request.user, **data)

    def get_success_url(self):
        return reverse(f"{NAMESPACE}:inspect", args=[self.object.pk])

    def get_success_message(self, instance):
        return _("Labour invoice %(number)s issued: %(total)s, due on the %(due)s.") % {
            "number": instance.number,
            "total": Money(instance.total, instance.currency),
            "due": instance.due_on.isoformat(),
        }


class InspectView(generic.InspectView):
    template_name = "wages/invoices/inspect.html"

    def get_page_subtitle(self):
        return self.object.number

    def get_fields(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object

        def money(value):
            return Money(value, invoice.currency)

        context |= {
            "invoice": invoice,
            "lines": [
                (line, money(line.amount))
                for line in invoice.lines.select_related("contract", "workshop__trade")
            ],
            "payments": [
                (payment, money(payment.amount), money(payment.back_wages))
                for payment in invoice.payments.select_related("recorded_by")
            ],
            "totals": {
                "labour": money(invoice.labour),
                "wages": money(invoice.wages_charged),
                "back_wages": money(invoice.back_wages),
                "total": money(invoice.total),
                "paid": money(invoice.paid),
                "outstanding": money(invoice.outstanding),
            },
            "overdue": invoice.outstanding and invoice.due_on < timezone.localdate(),
            "may_record": invoice.outstanding
            and self.request.user.has_perm(invoices.RECORD_PAYMENT),
        }
        return context


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount received"), min_value=0, decimal_places=3
    )
    on = forms.DateField(label=gettext_lazy("Received on"), widget=AdminDateInput)
    reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=140)


def record_payment(request, pk):
    """The form of a payment received for an invoice; refusals are shown on it."""
    if not request.user.has_perm(invoices.RECORD_PAYMENT):
        return permission_denied(request)
    invoice = get_object_or_404(LabourInvoice.objects.select_related("partner"), pk=pk)
    form = PaymentForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment = invoices.labour_payment_record(
                invoice=invoice, user=request.user, **form.cleaned_data
            )
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Payment %(reference)s of %(amount)s recorded against %(number)s.")
                % {
                    "reference": payment.reference,
                    "amount": Money(payment.amount, invoice.currency),
                    "number": invoice.number,
                },
            )
            return redirect(f"{NAMESPACE}:inspect", invoice.pk)
    return TemplateResponse(
        request,
        "wages/invoices/record_payment.html",
        {
            "invoice": invoice,
            "form": form,
            "outstanding": Money(invoice.outstanding, invoice.currency),
        },
    )


def download_pdf(request, pk):
    """The invoice's stored PDF (printed now if the task has not yet run)."""
    if not request.user.has_perm(READ):
        return permission_denied(request)
    invoice = get_object_or_404(LabourInvoice.objects.select_related("partner"), pk=pk)
    document = labour_invoice_pdf(invoice)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"labour-invoice-{invoice.number}.pdf",
        content_type="application/pdf",
    )
