"""Back-office screens of the pay policy, pay rates and market wage benchmarks, kept by finance
officers (``wages.viewsets.WagesViewSet``; Wagtail logs every change, shown in each row's history),
grouped with the pay runs under *Pay*. A policy is checked as a whole
(``wages.pay.policies.check_policy``) with its allocations before it is saved."""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.viewsets.model import ModelViewSetGroup

from wages.invoices.admin import LabourInvoiceViewSet
from wages.models import MarketWageBenchmark, PayPolicy, PayRate, PayRun
from wages.pay.policies import check_policy
from wages.payruns.admin import PayRunViewSet
from wages.payruns.receipts_admin import BackWagesReceiptViewSet
from wages.releases.admin import ReleaseSettlementViewSet
from wages.viewsets import WagesViewSet


class PayPolicyForm(WagtailAdminModelForm):
    def is_valid(self):
        if not super().is_valid():
            return False
        used = (
            self.instance.pk
            and self.instance.pay_runs.exclude(status=PayRun.Status.CANCELLED).first()
        )
        if used:
            # What a run was calculated with stays as it was: a change is a new policy.
            self.add_error(
                None,
                _(
                    "Pay run %(reference)s was calculated with this policy: it can no longer "
                    "change. Add a new policy in effect from a later day instead."
                )
                % {"reference": used.reference},
            )
            return False
        allocations = [
            SimpleNamespace(**form.cleaned_data)
            for form in self.formsets["allocations"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        policy = SimpleNamespace(**self.cleaned_data)
        try:
            check_policy(policy, allocations)
        except ValidationError as refused:
            self.add_error(None, refused)
            return False
        return True


class PayPolicyViewSet(WagesViewSet):
    model = PayPolicy
    icon = "doc-full"
    inspect_view_enabled = True
    list_display = [
        "effective_from",
        "minimum_wage",
        "floor_share",
        "deductions_cap",
        "sales_share",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("effective_from"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("minimum_wage"), FieldPanel("floor_share")]),
                    FieldPanel("training_rate"),
                ],
                heading=_("Wages"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("deductions_cap"), FieldPanel("protected_own_spending")]
                    ),
                    InlinePanel(
                        "allocations", heading=_("Allocations of earnings"), label=_("Allocation")
                    ),
                ],
                heading=_("Deductions"),
            ),
            FieldPanel("sales_share"),
            FieldPanel("notes"),
        ],
        base_form_class=PayPolicyForm,
    )


class PayRateViewSet(WagesViewSet):
    """The workshop is picked from a list, not the workshop chooser: finance keeps the rates but
    holds no permission on workshops, which the chooser asks for."""

    model = PayRate
    icon = "pick"
    list_display = ["applies_to", "hourly", "piece", "effective_from", "effective_to"]
    list_filter = ["workshop", "trade"]
    list_export = ["workshop", "trade", "hourly", "piece", "effective_from", "effective_to"]
    panels = [
        FieldPanel("workshop", widget=forms.Select),
        *(
            FieldPanel(field)
            for field in ("trade", "hourly", "piece", "effective_from", "effective_to")
        ),
    ]

    def get_queryset(self, request):
        return PayRate.objects.select_related("workshop", "trade")


BENCHMARK_SOURCE_MISSING = _(
    "Say where the market wage comes from (a survey, a collective agreement): the wage floor "
    "rule cites it."
)


class MarketWageBenchmarkForm(WagtailAdminModelForm):
    """A benchmark without a source is refused in words (the database refuses it too, wages
    0020), not with Django's bare "This field is required"."""

    class Meta:
        error_messages = {"source": {"required": BENCHMARK_SOURCE_MISSING}}


class MarketWageBenchmarkViewSet(WagesViewSet):
    model = MarketWageBenchmark
    icon = "site"
    list_display = ["trade", "region", "hourly", "source", "observed_on"]
    list_filter = ["trade", "region"]
    list_export = ["trade", "region", "hourly", "source", "observed_on"]
    edit_handler = ObjectList(
        [FieldPanel(field) for field in ("trade", "region", "hourly", "source", "observed_on")],
        base_form_class=MarketWageBenchmarkForm,
    )


class PayGroup(ModelViewSetGroup):
    menu_label = _("Pay")
    menu_icon = "pick"
    menu_order = 204
    items = (
        PayRunViewSet,
        LabourInvoiceViewSet,
        ReleaseSettlementViewSet,
        BackWagesReceiptViewSet,
        PayPolicyViewSet,
        PayRateViewSet,
        MarketWageBenchmarkViewSet,
    )
