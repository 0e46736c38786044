"""The overdue invoices, a Wagtail report for finance officers and order fulfilment (auditors
read it): every invoice whose order still awaits payment after its due date, most overdue first,
with its buyer, organisation and purchase-order number, total, days overdue and the last reminder
sent, exported to CSV or XLSX. *Reports → Overdue invoices*."""

from django.db.models import OuterRef, Subquery
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import Invoice, PaymentReminder
from catalogue.reminders.sending import overdue_invoices
from core.columns import MoneyColumn
from core.formatting import format_day
from core.money import fixed_text

VIEW_INVOICE = "catalogue.view_invoice"


def last_reminder_text(invoice: Invoice) -> str:
    if invoice.last_reminder_on is None:
        return ""
    stage = PaymentReminder.Stage(invoice.last_reminder_stage).label
    return f"{format_day(invoice.last_reminder_on)} ({stage})"


def overdue_text(invoice: Invoice) -> str:
    return _("%(day)s: %(days)s days") % {
        "day": format_day(invoice.due_on),
        "days": invoice.days_overdue,
    }


def buyer_text(invoice: Invoice) -> str:
    """The buyer, their organisation and purchase-order number when they have them: one column,
    so the list fits a tablet."""
    order = invoice.order
    parts = [order.name, order.organisation]
    if order.purchase_order:
        parts.append(_("PO %(number)s") % {"number": order.purchase_order})
    return " · ".join(part for part in parts if part)


class OverdueInvoicesView(ReportView):
    permission_policy = ModelPermissionPolicy(Invoice)
    permission_required = "view"
    page_title = _("Overdue invoices")
    header_icon = "warning"
    template_name = "catalogue/admin/overdue_report.html"
    index_url_name = "catalogue_overdue_invoices"
    index_results_url_name = "catalogue_overdue_invoices_results"
    export_filename = "overdue-invoices"
    paginate_by = 50
    columns = [
        TitleColumn(
            "order",
            label=_("Order, invoice number"),
            accessor=lambda invoice: f"{invoice.order.number} · {invoice.number}",
            url_name="catalogue_order:inspect",
            id_accessor="order_id",
        ),
        Column("buyer", label=_("Buyer, organisation, PO number"), accessor=buyer_text),
        MoneyColumn("order.total", label=_("Total")),
        Column("overdue", label=_("Due on, days overdue"), accessor=overdue_text),
        Column("last_reminder", label=_("Last reminder"), accessor=last_reminder_text),
    ]
    list_export = [
        "order.number",
        "number",
        "order.name",
        "order.organisation",
        "order.purchase_order",
        "order.currency",
        "total_amount",
        "due_on",
        "days_overdue",
        "last_reminder_on",
        "last_reminder_stage",
    ]
    export_headings = {
        "order.number": _("Order"),
        "number": _("Invoice number"),
        "order.name": _("Buyer"),
        "order.organisation": _("Organisation"),
        "order.purchase_order": _("PO number"),
        "order.currency": _("Currency"),
        "total_amount": _("Total"),
        "due_on": _("Due on"),
        "days_overdue": _("Days overdue"),
        "last_reminder_on": _("Last reminder"),
        "last_reminder_stage": _("Last reminder's stage"),
    }

    def get_queryset(self):
        latest = PaymentReminder.objects.filter(invoice=OuterRef("pk")).order_by("-sent_on", "-pk")
        return overdue_invoices(timezone.localdate()).annotate(
            last_reminder_on=Subquery(latest.values("sent_on")[:1]),
            last_reminder_stage=Subquery(latest.values("stage")[:1]),
        )

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        invoices = list(object_list)
        for invoice in invoices:
            invoice.days_overdue = (today - invoice.due_on).days
            invoice.total_amount = fixed_text(invoice.order.total.amount, invoice.order.currency)
        return invoices


class OverdueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_INVOICE)


def menu_item():
    return OverdueMenuItem(
        _("Overdue invoices"), reverse("catalogue_overdue_invoices"), icon_name="warning", order=50
    )


def urls():
    return [
        path(
            "catalogue/overdue-invoices/",
            OverdueInvoicesView.as_view(),
            name="catalogue_overdue_invoices",
        ),
        path(
            "catalogue/overdue-invoices/results/",
            OverdueInvoicesView.as_view(results_only=True),
            name="catalogue_overdue_invoices_results",
        ),
    ]


LOG_ACTIONS = (("payment_reminder_sent", _("Send a payment reminder"), _("Payment reminder sent")),)
