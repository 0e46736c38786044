"""The back office's purchase screens, for finance officers (``wages.add_purchase``): record one
purchase, import the prison shop's file (checked first as a dry run, then posted), and list the
purchases (finance and auditors, ``wages.view_purchase``; CSV and XLSX export). Every write goes
through ``wages.accounts.spending`` and ``wages.accounts.purchase_import``."""

import uuid

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
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
from wagtail.permission_policies import ModelPermissionPolicy

from core.money import fixed_text
from core.uploads import CSV, XLSX, UploadRefused, check_upload
from wages.accounts.purchase_file import HEADER
from wages.accounts.purchase_import import MAX_PURCHASE_BYTES, PurchasesRefused, import_purchases
from wages.accounts.spending import record_purchase
from wages.models import Purchase
from workshops.models import Worker

PURCHASE_POLICY = ModelPermissionPolicy(Purchase)


class PurchaseForm(forms.Form):
    worker = forms.CharField(
        label=gettext_lazy("Worker's reference"), max_length=20, help_text="W-4F7K2Q"
    )
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=15, decimal_places=3)
    on = forms.DateField(label=gettext_lazy("Bought on"), widget=AdminDateInput)
    description = forms.CharField(label=gettext_lazy("What was bought"), max_length=200)
    reference = forms.CharField(
        label=gettext_lazy("Receipt number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The shop's receipt, if there is one."),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_worker(self):
        reference = self.cleaned_data["worker"].strip()
        worker = Worker.objects.filter(reference=reference).first()
        if worker is None:
            raise ValidationError(_("No worker has the reference %(ref)s.") % {"ref": reference})
        return worker


class RecordPurchaseView(PermissionCheckedMixin, View):
    permission_policy = PURCHASE_POLICY
    permission_required = "add"

    def get(self, request):
        initial = {"on": timezone.localdate(), "token": uuid.uuid4().hex}
        return self.render(PurchaseForm(initial=initial))

    def post(self, request):
        form = PurchaseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            # A receipt is its own key; without one, the form's token: a second click posts once.
            key = data["reference"].strip() or f"manual:{data['token']}"
            try:
                purchase = record_purchase(
                    worker=data["worker"],
                    amount=data["amount"],
                    on=data["on"],
                    description=data["description"],
                    key=key,
                    user=request.user,
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    _("Purchase of %(amount)s %(currency)s recorded for %(worker)s.")
                    % {
                        "amount": fixed_text(purchase.amount, purchase.currency),
                        "currency": purchase.currency,
                        "worker": purchase.worker.reference,
                    },
                )
                return redirect("purchases")
        return self.render(form)

    def render(self, form):
        return TemplateResponse(
            self.request,
            "wages/accounts/purchase_form.html",
            {"heading": _("Record a purchase"), "form": form},
            status=400 if form.errors else 200,
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Purchase file"),
        help_text=gettext_lazy("CSV or XLSX from the prison's shop system, header: %(header)s")
        % {"header": ",".join(HEADER)},
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check it (post nothing)"), required=False, initial=True
    )


class ImportPurchasesView(PermissionCheckedMixin, View):
    """All or nothing (``wages.accounts.purchase_import``): a refused file lists every bad row."""

    permission_policy = PURCHASE_POLICY
    permission_required = "add"

    def get(self, request):
        return self.render(ImportForm(), [])

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        problems = []
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                check_upload(uploaded, allowed=(CSV, XLSX), max_bytes=MAX_PURCHASE_BYTES)
                result = import_purchases(
                    uploaded.read(), file_name=uploaded.name, user=request.user, dry_run=dry_run
                )
            except UploadRefused as refused:
                form.add_error("file", str(refused))
            except PurchasesRefused as refused:
                problems = refused.messages
                form.add_error(
                    None,
                    _("%(file)s was refused: %(count)s problem(s); nothing was posted.")
                    % {"file": uploaded.name, "count": len(refused.problems)},
                )
            else:
                figures = {
                    "rows": result.rows,
                    "new": result.rows - result.already,
                    "already": result.already,
                    "total": fixed_text(result.total, settings.BRIDGEWORK_CURRENCY),
                }
                if dry_run:
                    messages.info(
                        request,
                        _(
                            "%(file)s checked: %(new)s purchase(s), %(total)s in all, would be "
                            "posted; %(already)s recorded before. Untick “Only check it” and "
                            "upload it again to post them."
                        )
                        % {"file": uploaded.name, **figures},
                    )
                    return self.render(ImportForm(initial={"dry_run": False}), [])
                messages.success(
                    request,
                    _(
                        "%(file)s imported: %(new)s purchase(s), %(total)s in all; %(already)s "
                        "recorded before."
                    )
                    % {"file": uploaded.name, **figures},
                )
                return redirect("purchases")
        return self.render(form, problems)

    def render(self, form, problems):
        return TemplateResponse(
            self.request,
            "wages/accounts/purchase_import.html",
            {"heading": _("Import purchases"), "form": form, "problems": problems},
            status=400 if form.errors else 200,
        )


class PurchaseFilters(WagtailFilterSet):
    bought_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Bought on"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    worker = django_filters.CharFilter(
        label=gettext_lazy("Worker's reference"), field_name="worker__reference"
    )

    class Meta:
        model = Purchase
        fields = []


class PurchasesView(ReportView):
    permission_policy = PURCHASE_POLICY
    any_permission_required = ["view", "add"]
    page_title = gettext_lazy("Purchases")
    header_icon = "list-ul"
    index_url_name = "purchases"
    index_results_url_name = "purchases_results"
    results_template_name = "wages/accounts/purchases_results.html"
    filterset_class = PurchaseFilters
    export_filename = "purchases"
    list_export = ["bought_on", "worker", "amount", "currency", "description", "key", "source"]
    export_headings = {
        "bought_on": gettext_lazy("Date"),
        "worker": gettext_lazy("Worker"),
        "amount": gettext_lazy("Amount"),
        "currency": gettext_lazy("Currency"),
        "description": gettext_lazy("Description"),
        "key": gettext_lazy("Reference"),
        "source": gettext_lazy("Source"),
    }

    def get_queryset(self):
        return Purchase.objects.select_related("worker").only(
            *("bought_on", "amount", "currency", "description", "key", "source"),
            "worker__reference",
        )

    @cached_property
    def header_buttons(self):
        if not PURCHASE_POLICY.user_has_permission(self.request.user, "add"):
            return []
        return [
            HeaderButton(_("Record a purchase"), url=reverse("purchase_record"), icon_name="plus"),
            HeaderButton(_("Import purchases"), url=reverse("purchase_import"), icon_name="upload"),
        ]
