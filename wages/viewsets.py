"""The back office's viewsets of wages records: the ledger's and the pay runs' (read-only,
``core.viewsets.RecordViewSet``) and the pay policy's, rates' and benchmarks' (edited by finance,
Wagtail's ``ModelViewSet``: forms, history and the audit log).

Each viewset is named ``wages_<model>`` and served under ``/admin/wages/<model>/``, like the
workshop records (``workshops.viewsets``). Its listing starts from ``get_queryset(request)``; the
listing and a record's own page write money and dates as people read them (``core.columns``).
"""

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.columns import FormattedColumns, FormattedFields
from core.viewsets import RecordViewSet
from workshops.viewsets import ScopedIndexView


class IndexView(FormattedColumns, ScopedIndexView):
    pass


class InspectView(FormattedFields, generic.InspectView):
    pass


class InWages:
    """Naming and listing shared by the viewsets of ``wages``."""

    index_view_class = IndexView
    inspect_view_class = InspectView
    add_to_admin_menu = False

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name or f"wages_{self.model._meta.model_name}", **kwargs)

    @property
    def url_prefix(self):
        return f"wages/{self.model._meta.model_name}"

    def get_queryset(self, request):
        return self.model._default_manager.all()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=self.get_queryset, **kwargs)


class WagesRecordViewSet(InWages, RecordViewSet):
    """A wages record that changes only through its operations (journals, pay runs)."""


class WagesViewSet(InWages, ModelViewSet):
    """A wages record finance keeps by hand (the pay policy, rates, benchmarks)."""
