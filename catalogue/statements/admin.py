"""Bank statements in the back office (*Orders → Bank statements*): the listing, searched by
the bank's statement id, account or file name; each statement's page; the upload and the
manual match (``catalogue.statements.admin_views``). A statement changes only through
``catalogue.statements.importing``. ``catalogue.orders.admin`` puts it in the Orders group."""

from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from catalogue.models import BankStatement
from catalogue.statements import admin_views
from catalogue.viewsets import CatalogueRecordViewSet
from core.columns import DateColumn, MoneyColumn


def line_count(statement: BankStatement) -> int:
    return statement.line_count


class BankStatementViewSet(CatalogueRecordViewSet):
    model = BankStatement
    icon = "doc-full-inverse"
    menu_label = _("Bank statements")
    index_view_class = admin_views.IndexView
    inspect_view_class = admin_views.InspectView
    list_display = [
        "statement_id",
        DateColumn("to_date", label=_("Date")),
        "iban",
        "format",
        Column("line_count", label=_("Lines"), accessor=line_count),
        MoneyColumn("closing_balance", label=_("Closing balance")),
    ]
    list_export = [
        "statement_id",
        "iban",
        "format",
        "from_date",
        "to_date",
        "opening_balance",
        "closing_balance",
        "file_name",
        "sha256",
        "uploaded_at",
    ]
    search_fields = ["statement_id", "iban", "file_name"]

    def get_queryset(self, request):
        return BankStatement.objects.annotate(line_count=Count("lines"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", admin_views.upload, name="upload"),
            path("<int:pk>/lines/<int:line_pk>/match/", admin_views.match, name="match"),
        ]
