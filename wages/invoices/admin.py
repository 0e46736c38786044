"""Labour invoices in the back office: *Pay → Labour invoices* (listing, an invoice's page,
issuing, recording a payment, the PDF: ``views``), and *Reports → Overdue labour invoices*
(past due and not paid in full, exported to CSV or XLSX). Finance officers write; auditors read."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.columns import MoneyColumn
from core.formatting import format_day
from core.money import fixed_text
from wages.invoices.documents import READ
from wages.invoices.overdue import overdue_labour_invoices
from wages.invoices.views import InspectView, IssueView, download_pdf, record_payment
from wages.models import LabourInvoice
from wages.viewsets import WagesRecordViewSet


class LabourInvoiceViewSet(WagesRecordViewSet):
    """View and add (issue) through the screens; payments through their own form."""

    model = LabourInvoice
    icon = "doc-full"
    also_allowed = ("add",)
    add_view_class = IssueView
    inspect_view_class = InspectView
    list_display = ["number", "partner", "period", "due_on", "total", "paid", "status"]
    list_filter = ["status", "partner"]
    search_fields = ["number"]
    list_export = [
        "number",
        "partner",
        "period_start",
        "period_end",
        "issued_on",
        "due_on",
        "currency",
        "labour",
        "wages_charged",
        "back_wages",
        "total",
        "paid",
        "status",
        "journal_key",
    ]

    def get_queryset(self, request):
        return LabourInvoice.objects.select_related("partner")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pay/", record_payment, name="pay"),
            path("<int:pk>/pdf/", download_pdf, name="pdf"),
        ]


def overdue_text(invoice: LabourInvoice) -> str:
    return _("%(day)s: %(days)s days") % {
        "day": format_day(invoice.due_on),
        "days": invoice.days_overdue,
    }


class OverdueLabourInvoicesView(ReportView):
    permission_policy = ModelPermissionPolicy(LabourInvoice)
    permission_required = "view"
    page_title = _("Overdue labour invoices")
    header_icon = "warning"
    template_name = "catalogue/admin/overdue_report.html"
    index_url_name = "wages_overdue_labour_invoices"
    index_results_url_name = "wages_overdue_labour_invoices_results"
    export_filename = "overdue-labour-invoices"
    paginate_by = 50
    columns = [
        TitleColumn(
            "number",
            label=_("Number"),
            url_name="wages_labourinvoice:inspect",
        ),
        Column("partner", label=_("Partner")),
        MoneyColumn("total", label=_("Total"), currency="currency"),
        MoneyColumn("outstanding", label=_("Still owed"), currency="currency"),
        Column("overdue", label=_("Due on, days overdue"), accessor=overdue_text),
    ]
    list_export = [
        "number",
        "partner.name",
        "partner.legal_name",
        "period_start",
        "period_end",
        "currency",
        "total_amount",
        "outstanding_amount",
        "due_on",
        "days_overdue",
    ]
    export_headings = {
        "number": _("Number"),
        "partner.name": _("Partner"),
        "partner.legal_name": _("Legal name"),
        "period_start": _("First day"),
        "period_end": _("Last day"),
        "currency": _("Currency"),
        "total_amount": _("Total"),
        "outstanding_amount": _("Still owed"),
        "due_on": _("Due on"),
        "days_overdue": _("Days overdue"),
    }

    def get_queryset(self):
        return overdue_labour_invoices(timezone.localdate())

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        rows = list(object_list)
        for invoice in rows:
            invoice.days_overdue = (today - invoice.due_on).days
            invoice.total_amount = fixed_text(invoice.total, invoice.currency)
            invoice.outstanding_amount = fixed_text(invoice.outstanding, invoice.currency)
        return rows


class OverdueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(READ)


def overdue_menu_item():
    return OverdueMenuItem(
        _("Overdue labour invoices"),
        reverse("wages_overdue_labour_invoices"),
        icon_name="warning",
        order=55,
    )


def urls():
    return [
        path(
            "wages/overdue-labour-invoices/",
            OverdueLabourInvoicesView.as_view(),
            name="wages_overdue_labour_invoices",
        ),
        path(
            "wages/overdue-labour-invoices/results/",
            OverdueLabourInvoicesView.as_view(results_only=True),
            name="wages_overdue_labour_invoices_results",
        ),
    ]


def register_log_actions(actions):
    actions.register_action(
        "bridgework.labour_invoice_issued", _("Issue a labour invoice"), _("Labour invoice issued")
    )
    actions.register_action(
        "bridgework.labour_payment_recorded",
        _("Record a labour invoice's payment"),
        _("Labour invoice payment recorded"),
    )
