"""The page of one worker's line in a pay run: every figure of their pay (hours, pieces, training,
gross by payer, adjustments, each deduction, own spending, back wages by payer, warnings in words).

The run's page lists its lines in a table that fits a 1024 px tablet (worker, hours, gross, own
spending, warnings); the figures it leaves out are here, one click away. Whoever
may open the run's page may open its lines' pages, and nobody else: the same permission policy
and the same actions as Wagtail's inspect view of a run.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from djmoney.money import Money
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from wages.models import PayRun, PayRunLine
from wages.models.pay import OWN_SPENDING
from wages.payruns.line_display import deductions_total, names_of_payers, warning_text
from workshops.models import DeductionCategory

# What Wagtail's inspect view of a run asks for (``InspectView.any_permission_required``).
RUN_PAGE_ACTIONS = ["add", "change", "delete", "view"]


class LineView(PermissionCheckedMixin, View):
    any_permission_required = RUN_PAGE_ACTIONS

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(PayRun)

    def get(self, request, pk):
        line = get_object_or_404(
            PayRunLine.objects.select_related("run", "run__policy", "worker"), pk=pk
        )
        run, currency = line.run, line.run.currency
        names = names_of_payers()
        categories = dict(DeductionCategory.objects.values_list("code", "name"))
        codes = (
            list(run.policy.allocations.values_list("category__code", flat=True))
            if run.policy
            else list(line.deductions)
        )

        def money(amount) -> Money:
            return Money(amount, currency)

        return TemplateResponse(
            request,
            "wages/payruns/line.html",
            {
                "heading": _("Pay of %(worker)s in %(run)s")
                % {"worker": line.worker.reference, "run": run.reference},
                "line": line,
                "run": run,
                "payers": [(names.get(p, p), money(a)) for p, a in line.payers.items()],
                "deductions": [
                    (categories.get(code, code), money(line.deductions.get(code, 0)))
                    for code in codes
                ],
                "deductions_total": money(deductions_total(line)),
                "own_spending_label": categories.get(OWN_SPENDING, _("Own spending")),
                "earned": money(line.earned),
                "adjustments": money(line.adjustments),
                "gross": money(line.gross),
                "own_spending": money(line.own_spending),
                "back_wages": money(line.back_wages),
                "back_wages_by_payer": [
                    (names.get(p, p), money(a)) for p, a in line.back_wages_by_payer.items()
                ],
                "sales_share": money(line.sales_share),
                "back_wages_paid": money(line.back_wages_paid),
                "back_wages_paid_by_payer": [
                    (names.get(p, p), money(a)) for p, a in line.back_wages_paid_by_payer.items()
                ],
                "warnings": [warning_text(w, names, currency) for w in line.warnings],
            },
        )
