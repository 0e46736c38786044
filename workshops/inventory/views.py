"""Back-office screens of the finished-goods inventory: a supervisor records a finished batch of
one of their workshops' SKUs and counts a workshop's stock in one go (a stocktake); the stock
overview is a report (``workshops.inventory.reports``). Each form carries a key made when it is shown, so a form sent twice (a double
click, a retried request) is applied once. The operations in ``workshops.inventory`` check
everything; these views only collect input and show refusals."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log

from workshops.access import (
    supervised_workshops,
    workshop_policy,
)
from workshops.inventory import count_stock, receive_batch, stock_levels
from workshops.models import SKU, Workshop
from workshops.models.inventory import MAX_BATCH_QUANTITY
from workshops.views import PermissionCheckedView

may_record = workshop_policy.may_record_anywhere
countable_workshops = workshop_policy.countable


def may_count(user, workshop: Workshop) -> bool:
    return countable_workshops(user).filter(pk=workshop.pk).exists()


class OperationKeyField(forms.CharField):
    """A hidden key made when the form is shown: the operation is applied once per form."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, max_length=64, **kwargs)


class BatchForm(forms.Form):
    sku = forms.ModelChoiceField(label=gettext_lazy("Product (SKU)"), queryset=SKU.objects)
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=1, max_value=MAX_BATCH_QUANTITY
    )
    made_from = forms.DateField(label=gettext_lazy("Made from"), widget=AdminDateInput)
    made_to = forms.DateField(label=gettext_lazy("Made until"), widget=AdminDateInput)
    key = OperationKeyField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        workshops = supervised_workshops(user, timezone.localdate())
        self.fields["sku"].queryset = (
            SKU.objects.filter(workshop__in=workshops, workshop__makes_products=True)
            .select_related("workshop")
            .order_by("workshop__name", "code")
        )
        self.fields["sku"].label_from_instance = lambda sku: f"{sku.workshop} · {sku}"


class RecordBatchView(PermissionCheckedView):
    permission_policy = workshop_policy
    permission_required = "record"

    def handle(self, request):
        today = timezone.localdate()
        form = BatchForm(
            request.POST or None,
            user=request.user,
            initial={"made_to": today, "key": uuid.uuid4().hex},
        )
        if request.method == "POST" and form.is_valid():
            try:
                batch = receive_batch(user=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    _("Batch received: %(quantity)s × %(sku)s.")
                    % {"quantity": batch.quantity, "sku": batch.sku},
                )
                return redirect("stock_overview")
        return TemplateResponse(
            request,
            "workshops/inventory/batch.html",
            {"form": form, "heading": _("Record a finished batch")},
            status=400 if form.errors else 200,
        )


record_batch = RecordBatchView.as_view()


class StocktakeView(PermissionCheckedView):
    """Count every SKU of one workshop in one go: all counts are applied, or none. Open to those
    who see stock; a workshop they may not count is not found (not even whether it exists)."""

    permission_policy = workshop_policy
    permission_required = "view_stock"

    def handle(self, request, workshop_id):
        workshop = get_object_or_404(Workshop, pk=workshop_id)
        if not may_count(request.user, workshop):
            raise Http404
        return _stocktake(request, workshop)


stocktake = StocktakeView.as_view()


def _stocktake(request, workshop):
    skus = list(SKU.objects.filter(workshop=workshop).order_by("code"))
    stocks = {stock.sku_id: stock for stock in stock_levels(skus)}
    form = StocktakeForm(request.POST or None, skus=skus, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        counts = {sku: form.cleaned_data[f"sku_{sku.pk}"] for sku in skus}
        counts = {sku: counted for sku, counted in counts.items() if counted is not None}
        try:
            movements = count_stock(
                counts,
                key=form.cleaned_data["key"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            log(
                workshop,
                "bridgework.stock_counted",
                user=request.user,
                data={
                    "counted": {m.stock.sku.code: m.counted for m in movements},
                    "reason": form.cleaned_data["reason"],
                },
            )
            messages.success(
                request,
                ngettext(
                    "Stocktake of %(workshop)s recorded: %(count)s product counted.",
                    "Stocktake of %(workshop)s recorded: %(count)s products counted.",
                    len(movements),
                )
                % {"workshop": workshop, "count": len(movements)},
            )
            return redirect("stock_overview")
    return TemplateResponse(
        request,
        "workshops/inventory/stocktake.html",
        {
            "heading": _("Stocktake: %(workshop)s") % {"workshop": workshop},
            "form": form,
            "rows": [(sku, stocks[sku.pk], form[f"sku_{sku.pk}"]) for sku in skus],
        },
        status=400 if form.errors else 200,
    )


class StocktakeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("e.g. Monthly stocktake, or what the difference was."),
    )
    key = OperationKeyField()

    def __init__(self, *args, skus, **kwargs):
        super().__init__(*args, **kwargs)
        for sku in skus:
            self.fields[f"sku_{sku.pk}"] = forms.IntegerField(
                label=str(sku),
                min_value=0,
                max_value=10 * MAX_BATCH_QUANTITY,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self):
        cleaned = super().clean()
        counted = [
            name
            for name in self.fields
            if name.startswith("sku_") and cleaned.get(name) is not None
        ]
        if not counted and not self.errors:
            raise ValidationError(_("Count at least one product."))
        return cleaned
